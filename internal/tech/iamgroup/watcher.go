package iamgroup

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

// Watcher collects IAM groups from one paginated
// iam:GetAccountAuthorizationDetails pass with Filter Group, User,
// LocalManagedPolicy and AWSManagedPolicy: groups and their inline and
// attached policies, membership by inverting the users' GroupList, and the
// managed policy `version` from the policies' DefaultVersionId. No
// per-group or per-policy call is made.
type Watcher struct {
	newClient func(aws.Config) iamAPI
}

// Option configures a Watcher.
type Option func(*Watcher)

// withClient replaces the IAM client factory (tests).
func withClient(f func(aws.Config) iamAPI) Option { return func(w *Watcher) { w.newClient = f } }

// NewWatcher returns the iamgroup watcher.
func NewWatcher(opts ...Option) *Watcher {
	w := &Watcher{newClient: func(c aws.Config) iamAPI { return iam.NewFromConfig(c) }}
	for _, o := range opts {
		o(w)
	}
	return w
}

// Technology implements watch.Watcher.
func (w *Watcher) Technology() monkey.Technology { return Technology }

// Collect implements watch.Watcher. A group's members are known only when
// every page was read (users and groups come on any page), so groups are
// emitted after the pass; what is kept meanwhile is the groups and, of the
// users, only their memberships (user ARN and name per group), never the
// users' policies, so memory follows the number of groups and memberships.
func (w *Watcher) Collect(ctx context.Context, scope watch.Scope) (watch.Result, error) {
	sess, err := awsclient.SessionOf(scope)
	if err != nil {
		return watch.Result{}, err
	}
	c := watch.NewCollector(scope, Technology)
	var (
		groups   []types.GroupDetail
		members  = map[string]map[string]any{}
		versions = map[string]string{}
	)
	p := iam.NewGetAccountAuthorizationDetailsPaginator(w.newClient(sess.Config), &iam.GetAccountAuthorizationDetailsInput{
		Filter: []types.EntityType{types.EntityTypeGroup, types.EntityTypeUser,
			types.EntityTypeLocalManagedPolicy, types.EntityTypeAWSManagedPolicy},
		MaxItems: aws.Int32(1000),
	})
	err = watch.Paginate(ctx, p.HasMorePages, func(ctx context.Context) (*iam.GetAccountAuthorizationDetailsOutput, error) {
		return p.NextPage(ctx)
	}, func(page *iam.GetAccountAuthorizationDetailsOutput) error {
		for _, g := range page.GroupDetailList {
			if !scope.Ignored(aws.ToString(g.GroupName)) {
				groups = append(groups, g)
			}
		}
		addMembers(members, page.UserDetailList)
		for _, pol := range page.Policies {
			versions[aws.ToString(pol.Arn)] = aws.ToString(pol.DefaultVersionId)
		}
		return nil
	})
	if err != nil {
		c.Fail("", "", fmt.Errorf("collect iamgroup %s: get account authorization details: %w", scope.Account.Identifier, err))
		return c.Result(), nil
	}
	for i := range groups {
		g := &groups[i]
		name := aws.ToString(g.GroupName)
		cfg, err := normalize(g, members[name], versions)
		if err != nil {
			c.Fail(watch.Universal, name, err)
			continue
		}
		c.Emit(watch.Universal, name, aws.ToString(g.Arn), cfg)
	}
	return c.Result(), nil
}
