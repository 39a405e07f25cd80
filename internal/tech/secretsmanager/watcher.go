package secretsmanager

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/watch"
)

// smAPI lists the Secrets Manager calls the watcher makes: metadata and
// resource policies only. GetSecretValue is deliberately absent.
type smAPI interface {
	ListSecrets(ctx context.Context, in *sm.ListSecretsInput, optFns ...func(*sm.Options)) (*sm.ListSecretsOutput, error)
	GetResourcePolicy(ctx context.Context, in *sm.GetResourcePolicyInput, optFns ...func(*sm.Options)) (*sm.GetResourcePolicyOutput, error)
}

// Watcher collects the secrets of every region: ListSecrets in pages of
// 100 (the maximum; it carries the metadata and tags), then
// GetResourcePolicy per secret, secrets described concurrently. A secret
// deleted in between (ResourceNotFoundException) is skipped.
type Watcher struct {
	newClient   func(aws.Config) smAPI
	concurrency int
}

// NewWatcher returns the secretsmanager watcher.
func NewWatcher() *Watcher {
	return &Watcher{newClient: func(c aws.Config) smAPI { return sm.NewFromConfig(c) }, concurrency: 16}
}

// Technology implements watch.Watcher.
func (w *Watcher) Technology() monkey.Technology { return Technology }

// Collect implements watch.Watcher.
func (w *Watcher) Collect(ctx context.Context, scope watch.Scope) (watch.Result, error) {
	c := watch.NewCollector(scope, Technology)
	acct := scope.Account.Identifier
	awsclient.EachRegion(ctx, scope, c, func(ctx context.Context, cfg aws.Config, region string) error {
		client := w.newClient(cfg)
		p := sm.NewListSecretsPaginator(client, &sm.ListSecretsInput{MaxResults: aws.Int32(100)})
		err := watch.Paginate(ctx, p.HasMorePages, func(ctx context.Context) (*sm.ListSecretsOutput, error) {
			return p.NextPage(ctx)
		}, func(page *sm.ListSecretsOutput) error {
			var secrets []*types.SecretListEntry
			for k := range page.SecretList {
				if !scope.Ignored(aws.ToString(page.SecretList[k].Name)) {
					secrets = append(secrets, &page.SecretList[k])
				}
			}
			return watch.Parallel(ctx, w.concurrency, secrets, func(ctx context.Context, s *types.SecretListEntry) {
				name := aws.ToString(s.Name)
				out, err := client.GetResourcePolicy(ctx, &sm.GetResourcePolicyInput{SecretId: s.ARN})
				if awsclient.ErrorCode(err) == "ResourceNotFoundException" {
					return
				}
				var cfg monkey.Config
				if err == nil {
					cfg, err = normalize(s, out.ResourcePolicy)
				}
				if err != nil {
					c.Fail(region, name, fmt.Errorf("collect secretsmanager %s/%s/%s: %w", acct, region, name, err))
					return
				}
				c.Emit(region, name, aws.ToString(s.ARN), cfg)
			})
		})
		if err != nil {
			return fmt.Errorf("collect secretsmanager %s/%s: list secrets: %w", acct, region, err)
		}
		return nil
	})
	return c.Result(), nil
}
