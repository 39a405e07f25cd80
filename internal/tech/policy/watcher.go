package policy

import (
	"context"
	"fmt"
	"sort"
	"strings"

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

// Collect implements watch.Watcher.
func (w *Watcher) Collect(ctx context.Context, scope watch.Scope) (watch.Result, error) {
	var (
		res      watch.Result
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
	p := iam.NewGetAccountAuthorizationDetailsPaginator(w.newClient(scope.AWS), &iam.GetAccountAuthorizationDetailsInput{
		Filter: []types.EntityType{types.EntityTypeLocalManagedPolicy, types.EntityTypeAWSManagedPolicy,
			types.EntityTypeUser, types.EntityTypeGroup, types.EntityTypeRole},
		MaxItems: aws.Int32(1000),
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			res.Failures = append(res.Failures, watch.Failure{
				Err: fmt.Errorf("collect policy %s: get account authorization details: %w", scope.Account.Identifier, err),
			})
			return res, nil
		}
		policies = append(policies, page.Policies...)
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
	}

	// A customer-managed policy wins a name clash with an AWS-managed one
	// (one item per name); customer-managed policies come first.
	sort.SliceStable(policies, func(i, j int) bool {
		return !isAWSManaged(aws.ToString(policies[i].Arn)) && isAWSManaged(aws.ToString(policies[j].Arn))
	})
	seen := map[string]bool{}
	res.Items = make([]monkey.Item, 0, len(policies))
	for i := range policies {
		pol := &policies[i]
		name, arn := aws.ToString(pol.PolicyName), aws.ToString(pol.Arn)
		awsManaged := isAWSManaged(arn)
		if awsManaged && !w.unattachedManaged && aws.ToInt32(pol.AttachmentCount) == 0 {
			continue
		}
		if scope.Ignored(name) || scope.Ignored(arn) || seen[name] {
			continue
		}
		seen[name] = true
		a := att[arn]
		if a == nil {
			a = &attachments{}
		}
		cfg, err := normalize(pol, *a)
		if err != nil {
			res.Failures = append(res.Failures, watch.Failure{Region: watch.Universal, Name: name, Err: err})
			continue
		}
		item := monkey.Item{Technology: Technology.Index, Region: watch.Universal, Name: name, Config: cfg}
		if !awsManaged {
			item.ARN = arn // AWS-managed ARNs exist in every account: no ARN
		}
		scope.Emit(&res.Items, item)
	}
	return res, nil
}

// isAWSManaged reports an AWS-managed policy ARN (arn:<partition>:iam::aws:policy…).
func isAWSManaged(arn string) bool {
	return strings.HasPrefix(arn, "arn:") && strings.Contains(arn, ":iam::aws:policy")
}
