package iamgroup

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

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

// Collect implements watch.Watcher.
func (w *Watcher) Collect(ctx context.Context, scope watch.Scope) (watch.Result, error) {
	var (
		res      watch.Result
		groups   []types.GroupDetail
		users    []types.UserDetail
		versions = map[string]string{}
	)
	p := iam.NewGetAccountAuthorizationDetailsPaginator(w.newClient(scope.AWS), &iam.GetAccountAuthorizationDetailsInput{
		Filter: []types.EntityType{types.EntityTypeGroup, types.EntityTypeUser,
			types.EntityTypeLocalManagedPolicy, types.EntityTypeAWSManagedPolicy},
		MaxItems: aws.Int32(1000),
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			res.Failures = append(res.Failures, watch.Failure{
				Err: fmt.Errorf("collect iamgroup %s: get account authorization details: %w", scope.Account.Identifier, err),
			})
			return res, nil
		}
		groups = append(groups, page.GroupDetailList...)
		users = append(users, page.UserDetailList...)
		for _, pol := range page.Policies {
			versions[aws.ToString(pol.Arn)] = aws.ToString(pol.DefaultVersionId)
		}
	}
	members := members(users)
	res.Items = make([]monkey.Item, 0, len(groups))
	for i := range groups {
		g := &groups[i]
		name := aws.ToString(g.GroupName)
		if scope.Ignored(name) {
			continue
		}
		cfg, err := normalize(g, members[name], versions)
		if err != nil {
			res.Failures = append(res.Failures, watch.Failure{Region: watch.Universal, Name: name, Err: err})
			continue
		}
		scope.Emit(&res.Items, monkey.Item{
			Technology: Technology.Index,
			Region:     watch.Universal,
			Name:       name,
			ARN:        aws.ToString(g.Arn),
			Config:     cfg,
		})
	}
	return res, nil
}
