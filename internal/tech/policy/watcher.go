package policy

import (
	"context"
	"fmt"
	"sort"
	"strings"

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

// Watcher collects managed policies from one paginated
// iam:GetAccountAuthorizationDetails pass (Filter LocalManagedPolicy,
// AWSManagedPolicy, User, Group, Role). attachments are computed by
// inverting the principals' AttachedManagedPolicies of the same pass, so no
// per-policy call is made.
//
// AWS-managed policies are collected only when attached (AttachmentCount >
// 0) unless WithUnattachedAWSManaged(true): the reference listed all of them
// (~1000 identical items per account) and the auditor ignores unattached
// ones.
type Watcher struct {
	newClient         func(aws.Config) iamAPI
	unattachedManaged bool
}

// Option configures a Watcher.
type Option func(*Watcher)

// WithUnattachedAWSManaged also collects AWS-managed policies attached to
// nothing (the reference behaviour).
func WithUnattachedAWSManaged(on bool) Option { return func(w *Watcher) { w.unattachedManaged = on } }

// withClient replaces the IAM client factory (tests).
func withClient(f func(aws.Config) iamAPI) Option { return func(w *Watcher) { w.newClient = f } }

// NewWatcher returns the policy watcher.
func NewWatcher(opts ...Option) *Watcher {
	w := &Watcher{newClient: func(c aws.Config) iamAPI { return iam.NewFromConfig(c) }}
	for _, o := range opts {
		o(w)
	}
	return w
}

// Technology implements watch.Watcher.
func (w *Watcher) Technology() monkey.Technology { return Technology }

// attachments are the principals (ARNs) a managed policy is attached to.
type attachments struct {
	Users, Groups, Roles []string
}

// Collect implements watch.Watcher. A policy's attachments are known only
// when every page was read, so policies are emitted after the pass; what is
// kept meanwhile is the policies that will be emitted (unattached
// AWS-managed ones are dropped as their page arrives) and the principals'
// ARNs by policy, never the principals themselves.
func (w *Watcher) Collect(ctx context.Context, scope watch.Scope) (watch.Result, error) {
	sess, err := awsclient.SessionOf(scope)
	if err != nil {
		return watch.Result{}, err
	}
	c := watch.NewCollector(scope, Technology)
	var (
		policies []types.ManagedPolicyDetail
		att      = map[string]*attachments{}
	)
	add := func(policyARN string) *attachments {
		a := att[policyARN]
		if a == nil {
			a = &attachments{}
			att[policyARN] = a
		}
		return a
	}
	p := iam.NewGetAccountAuthorizationDetailsPaginator(w.newClient(sess.Config), &iam.GetAccountAuthorizationDetailsInput{
		Filter: []types.EntityType{types.EntityTypeLocalManagedPolicy, types.EntityTypeAWSManagedPolicy,
			types.EntityTypeUser, types.EntityTypeGroup, types.EntityTypeRole},
		MaxItems: aws.Int32(1000),
	})
	err = watch.Paginate(ctx, p.HasMorePages, func(ctx context.Context) (*iam.GetAccountAuthorizationDetailsOutput, error) {
		return p.NextPage(ctx)
	}, func(page *iam.GetAccountAuthorizationDetailsOutput) error {
		for _, pol := range page.Policies {
			name, arn := aws.ToString(pol.PolicyName), aws.ToString(pol.Arn)
			if isAWSManaged(arn) && !w.unattachedManaged && aws.ToInt32(pol.AttachmentCount) == 0 {
				continue
			}
			if scope.Ignored(name) || scope.Ignored(arn) {
				continue
			}
			policies = append(policies, pol)
		}
		for _, u := range page.UserDetailList {
			for _, ap := range u.AttachedManagedPolicies {
				a := add(aws.ToString(ap.PolicyArn))
				a.Users = append(a.Users, aws.ToString(u.Arn))
			}
		}
		for _, g := range page.GroupDetailList {
			for _, ap := range g.AttachedManagedPolicies {
				a := add(aws.ToString(ap.PolicyArn))
				a.Groups = append(a.Groups, aws.ToString(g.Arn))
			}
		}
		for _, r := range page.RoleDetailList {
			for _, ap := range r.AttachedManagedPolicies {
				a := add(aws.ToString(ap.PolicyArn))
				a.Roles = append(a.Roles, aws.ToString(r.Arn))
			}
		}
		return nil
	})
	if err != nil {
		c.Fail("", "", fmt.Errorf("collect policy %s: get account authorization details: %w", scope.Account.Identifier, err))
		return c.Result(), nil
	}

	// A customer-managed policy wins a name clash with an AWS-managed one
	// (one item per name); customer-managed policies come first.
	sort.SliceStable(policies, func(i, j int) bool {
		return !isAWSManaged(aws.ToString(policies[i].Arn)) && isAWSManaged(aws.ToString(policies[j].Arn))
	})
	seen := map[string]bool{}
	for i := range policies {
		pol := &policies[i]
		name, arn := aws.ToString(pol.PolicyName), aws.ToString(pol.Arn)
		if seen[name] {
			continue
		}
		seen[name] = true
		a := att[arn]
		if a == nil {
			a = &attachments{}
		}
		cfg, err := normalize(pol, *a)
		if err != nil {
			c.Fail(watch.Universal, name, err)
			continue
		}
		itemARN := arn
		if isAWSManaged(arn) {
			itemARN = "" // AWS-managed ARNs exist in every account: no ARN
		}
		c.Emit(watch.Universal, name, itemARN, cfg)
	}
	return c.Result(), nil
}

// isAWSManaged reports an AWS-managed policy ARN (arn:<partition>:iam::aws:policy…).
func isAWSManaged(arn string) bool {
	return strings.HasPrefix(arn, "arn:") && strings.Contains(arn, ":iam::aws:policy")
}
