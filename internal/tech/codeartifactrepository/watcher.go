package codeartifactrepository

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codeartifact"
	"github.com/aws/aws-sdk-go-v2/service/codeartifact/types"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/watch"
)

// codeartifactAPI lists the CodeArtifact calls the watcher makes.
type codeartifactAPI interface {
	ListRepositories(ctx context.Context, in *codeartifact.ListRepositoriesInput, optFns ...func(*codeartifact.Options)) (*codeartifact.ListRepositoriesOutput, error)
	GetRepositoryPermissionsPolicy(ctx context.Context, in *codeartifact.GetRepositoryPermissionsPolicyInput, optFns ...func(*codeartifact.Options)) (*codeartifact.GetRepositoryPermissionsPolicyOutput, error)
}

// Watcher collects the repositories of every region: ListRepositories in
// pages of 1,000 (every domain of the region), then
// GetRepositoryPermissionsPolicy per repository (ResourceNotFoundException:
// no policy), repositories described concurrently.
type Watcher struct {
	newClient   func(aws.Config) codeartifactAPI
	concurrency int
}

// NewWatcher returns the codeartifactrepository watcher.
func NewWatcher() *Watcher {
	return &Watcher{newClient: func(c aws.Config) codeartifactAPI { return codeartifact.NewFromConfig(c) }, concurrency: 16}
}

// Technology implements watch.Watcher.
func (w *Watcher) Technology() monkey.Technology { return Technology }

// itemName is "<domain>/<repository>": repository names are unique only
// within a domain.
func itemName(r *types.RepositorySummary) string {
	return aws.ToString(r.DomainName) + "/" + aws.ToString(r.Name)
}

// Collect implements watch.Watcher.
func (w *Watcher) Collect(ctx context.Context, scope watch.Scope) (watch.Result, error) {
	c := watch.NewCollector(scope, Technology)
	acct := scope.Account.Identifier
	awsclient.EachRegion(ctx, scope, c, func(ctx context.Context, cfg aws.Config, region string) error {
		client := w.newClient(cfg)
		p := codeartifact.NewListRepositoriesPaginator(client, &codeartifact.ListRepositoriesInput{MaxResults: aws.Int32(1000)})
		err := watch.Paginate(ctx, p.HasMorePages, func(ctx context.Context) (*codeartifact.ListRepositoriesOutput, error) {
			return p.NextPage(ctx)
		}, func(page *codeartifact.ListRepositoriesOutput) error {
			var repos []*types.RepositorySummary
			for k := range page.Repositories {
				if !scope.Ignored(itemName(&page.Repositories[k])) {
					repos = append(repos, &page.Repositories[k])
				}
			}
			return watch.Parallel(ctx, w.concurrency, repos, func(ctx context.Context, r *types.RepositorySummary) {
				name := itemName(r)
				out, err := client.GetRepositoryPermissionsPolicy(ctx, &codeartifact.GetRepositoryPermissionsPolicyInput{
					Domain: r.DomainName, DomainOwner: r.DomainOwner, Repository: r.Name})
				var policy *string
				switch {
				case awsclient.ErrorCode(err) == "ResourceNotFoundException":
					err = nil
				case err == nil && out.Policy != nil:
					policy = out.Policy.Document
				}
				var cfg monkey.Config
				if err == nil {
					cfg, err = normalize(r, policy)
				}
				if err != nil {
					c.Fail(region, name, fmt.Errorf("collect codeartifactrepository %s/%s/%s: %w", acct, region, name, err))
					return
				}
				c.Emit(region, name, aws.ToString(r.Arn), cfg)
			})
		})
		if err != nil {
			return fmt.Errorf("collect codeartifactrepository %s/%s: list repositories: %w", acct, region, err)
		}
		return nil
	})
	return c.Result(), nil
}
