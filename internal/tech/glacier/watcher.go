package glacier

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier"
	"github.com/aws/aws-sdk-go-v2/service/glacier/types"
	"golang.org/x/sync/errgroup"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/watch"
)

// glacierAPI lists the Glacier calls the watcher makes.
type glacierAPI interface {
	ListVaults(ctx context.Context, in *glacier.ListVaultsInput, optFns ...func(*glacier.Options)) (*glacier.ListVaultsOutput, error)
	GetVaultAccessPolicy(ctx context.Context, in *glacier.GetVaultAccessPolicyInput, optFns ...func(*glacier.Options)) (*glacier.GetVaultAccessPolicyOutput, error)
	ListTagsForVault(ctx context.Context, in *glacier.ListTagsForVaultInput, optFns ...func(*glacier.Options)) (*glacier.ListTagsForVaultOutput, error)
}

// Watcher collects the vaults of every region (the reference scanned only
// the default region): ListVaults (its entries carry every base field, so
// no DescribeVault), then per vault GetVaultAccessPolicy and
// ListTagsForVault at once, vaults described concurrently.
type Watcher struct {
	newClient   func(aws.Config) glacierAPI
	concurrency int
}

// NewWatcher returns the glacier watcher.
func NewWatcher() *Watcher {
	return &Watcher{newClient: func(c aws.Config) glacierAPI { return glacier.NewFromConfig(c) }, concurrency: 16}
}

// Technology implements watch.Watcher.
func (w *Watcher) Technology() monkey.Technology { return Technology }

// Collect implements watch.Watcher.
func (w *Watcher) Collect(ctx context.Context, scope watch.Scope) (watch.Result, error) {
	c := watch.NewCollector(scope, Technology)
	acct := scope.Account.Identifier
	awsclient.EachRegion(ctx, scope, c, func(ctx context.Context, cfg aws.Config, region string) error {
		client := w.newClient(cfg)
		p := glacier.NewListVaultsPaginator(client, &glacier.ListVaultsInput{AccountId: aws.String("-"), Limit: aws.Int32(1000)})
		err := watch.Paginate(ctx, p.HasMorePages, func(ctx context.Context) (*glacier.ListVaultsOutput, error) {
			return p.NextPage(ctx)
		}, func(page *glacier.ListVaultsOutput) error {
			var vaults []*types.DescribeVaultOutput
			for k := range page.VaultList {
				if !scope.Ignored(aws.ToString(page.VaultList[k].VaultName)) {
					vaults = append(vaults, &page.VaultList[k])
				}
			}
			return watch.Parallel(ctx, w.concurrency, vaults, func(ctx context.Context, v *types.DescribeVaultOutput) {
				name := aws.ToString(v.VaultName)
				cfg, err := describe(ctx, client, v)
				if err != nil {
					c.Fail(region, name, fmt.Errorf("collect glacier %s/%s/%s: %w", acct, region, name, err))
					return
				}
				c.Emit(region, name, aws.ToString(v.VaultARN), cfg)
			})
		})
		if err != nil {
			return fmt.Errorf("collect glacier %s/%s: list vaults: %w", acct, region, err)
		}
		return nil
	})
	return c.Result(), nil
}

func describe(ctx context.Context, client glacierAPI, v *types.DescribeVaultOutput) (monkey.Config, error) {
	var (
		policy *string
		tags   map[string]string
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		out, err := client.GetVaultAccessPolicy(gctx, &glacier.GetVaultAccessPolicyInput{AccountId: aws.String("-"), VaultName: v.VaultName})
		if awsclient.ErrorCode(err) == "ResourceNotFoundException" {
			return nil
		}
		if err != nil {
			return fmt.Errorf("get vault access policy: %w", err)
		}
		if out.Policy != nil {
			policy = out.Policy.Policy
		}
		return nil
	})
	g.Go(func() error {
		out, err := client.ListTagsForVault(gctx, &glacier.ListTagsForVaultInput{AccountId: aws.String("-"), VaultName: v.VaultName})
		if err != nil {
			return fmt.Errorf("list tags for vault: %w", err)
		}
		tags = out.Tags
		return nil
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return normalize(v, policy, tags)
}
