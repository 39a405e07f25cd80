package ecrrepository

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	"github.com/aws/aws-sdk-go-v2/service/ecr/types"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/watch"
)

// ecrAPI lists the ECR calls the watcher makes.
type ecrAPI interface {
	DescribeRepositories(ctx context.Context, in *ecr.DescribeRepositoriesInput, optFns ...func(*ecr.Options)) (*ecr.DescribeRepositoriesOutput, error)
	GetRepositoryPolicy(ctx context.Context, in *ecr.GetRepositoryPolicyInput, optFns ...func(*ecr.Options)) (*ecr.GetRepositoryPolicyOutput, error)
}

// Watcher collects the repositories of every region: DescribeRepositories
// in pages of 1,000, then GetRepositoryPolicy per repository
// (RepositoryPolicyNotFoundException: no policy), repositories described
// concurrently.
type Watcher struct {
	newClient   func(aws.Config) ecrAPI
	concurrency int
}

// NewWatcher returns the ecrrepository watcher.
func NewWatcher() *Watcher {
	return &Watcher{newClient: func(c aws.Config) ecrAPI { return ecr.NewFromConfig(c) }, concurrency: 16}
}

// Technology implements watch.Watcher.
func (w *Watcher) Technology() monkey.Technology { return Technology }

// Collect implements watch.Watcher.
func (w *Watcher) Collect(ctx context.Context, scope watch.Scope) (watch.Result, error) {
	c := watch.NewCollector(scope, Technology)
	acct := scope.Account.Identifier
	awsclient.EachRegion(ctx, scope, c, func(ctx context.Context, cfg aws.Config, region string) error {
		client := w.newClient(cfg)
		p := ecr.NewDescribeRepositoriesPaginator(client, &ecr.DescribeRepositoriesInput{MaxResults: aws.Int32(1000)})
		err := watch.Paginate(ctx, p.HasMorePages, func(ctx context.Context) (*ecr.DescribeRepositoriesOutput, error) {
			return p.NextPage(ctx)
		}, func(page *ecr.DescribeRepositoriesOutput) error {
			var repos []*types.Repository
			for k := range page.Repositories {
				if !scope.Ignored(aws.ToString(page.Repositories[k].RepositoryName)) {
					repos = append(repos, &page.Repositories[k])
				}
			}
			return watch.Parallel(ctx, w.concurrency, repos, func(ctx context.Context, r *types.Repository) {
				name := aws.ToString(r.RepositoryName)
				cfg, err := describe(ctx, client, r)
				if err != nil {
					c.Fail(region, name, fmt.Errorf("collect ecrrepository %s/%s/%s: %w", acct, region, name, err))
					return
				}
				c.Emit(region, name, aws.ToString(r.RepositoryArn), cfg)
			})
		})
		if err != nil {
			return fmt.Errorf("collect ecrrepository %s/%s: describe repositories: %w", acct, region, err)
		}
		return nil
	})
	return c.Result(), nil
}

func describe(ctx context.Context, client ecrAPI, r *types.Repository) (monkey.Config, error) {
	out, err := client.GetRepositoryPolicy(ctx, &ecr.GetRepositoryPolicyInput{RepositoryName: r.RepositoryName, RegistryId: r.RegistryId})
	var policy *string
	switch {
	case awsclient.ErrorCode(err) == "RepositoryPolicyNotFoundException":
	case err != nil:
		return nil, fmt.Errorf("get repository policy: %w", err)
	default:
		policy = out.PolicyText
	}
	return normalize(r, policy)
}
