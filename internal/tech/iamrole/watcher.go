package iamrole

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/watch"
)

// iamAPI is the one IAM call the watcher makes.
type iamAPI interface {
	GetAccountAuthorizationDetails(ctx context.Context, in *iam.GetAccountAuthorizationDetailsInput, optFns ...func(*iam.Options)) (*iam.GetAccountAuthorizationDetailsOutput, error)
}

// Watcher collects IAM roles with iam:GetAccountAuthorizationDetails
// (Filter Role, 1000 per page) instead of five calls per role.
type Watcher struct {
	newClient func(aws.Config) iamAPI
}

// Option configures a Watcher.
type Option func(*Watcher)

// withClient replaces the IAM client factory (tests).
func withClient(f func(aws.Config) iamAPI) Option { return func(w *Watcher) { w.newClient = f } }

// NewWatcher returns the iamrole watcher.
func NewWatcher(opts ...Option) *Watcher {
	w := &Watcher{newClient: func(c aws.Config) iamAPI { return iam.NewFromConfig(c) }}
	for _, o := range opts {
		o(w)
	}
	return w
}

// Technology implements watch.Watcher.
func (w *Watcher) Technology() monkey.Technology { return Technology }

// Collect implements watch.Watcher. A failed listing fails the whole
// account (never fewer items); an undecodable role fails that role only.
// Each page is normalised and its roles emitted as it arrives, while the
// next one is fetched, so that the SDK structures of only a page or two are
// alive at a time (100,000 roles fit in memory).
func (w *Watcher) Collect(ctx context.Context, scope watch.Scope) (watch.Result, error) {
	sess, err := awsclient.SessionOf(scope)
	if err != nil {
		return watch.Result{}, err
	}
	c := watch.NewCollector(scope, Technology)
	p := iam.NewGetAccountAuthorizationDetailsPaginator(w.newClient(sess.Config), &iam.GetAccountAuthorizationDetailsInput{
		Filter:   []types.EntityType{types.EntityTypeRole},
		MaxItems: aws.Int32(1000),
	})
	err = watch.Paginate(ctx, p.HasMorePages, func(ctx context.Context) (*iam.GetAccountAuthorizationDetailsOutput, error) {
		return p.NextPage(ctx)
	}, func(page *iam.GetAccountAuthorizationDetailsOutput) error {
		for i := range page.RoleDetailList {
			r := &page.RoleDetailList[i]
			name := aws.ToString(r.RoleName)
			if scope.Ignored(name) {
				continue
			}
			cfg, err := normalize(r)
			if err != nil {
				c.Fail(watch.Universal, name, err)
				continue
			}
			c.Emit(watch.Universal, name, aws.ToString(r.Arn), cfg)
		}
		return nil
	})
	if err != nil {
		c.Fail("", "", fmt.Errorf("collect iamrole %s: get account authorization details: %w", scope.Account.Identifier, err))
	}
	return c.Result(), nil
}
