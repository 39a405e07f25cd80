package backupvault

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/backup"
	"github.com/aws/aws-sdk-go-v2/service/backup/types"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/watch"
)

// backupAPI lists the AWS Backup calls the watcher makes.
type backupAPI interface {
	ListBackupVaults(ctx context.Context, in *backup.ListBackupVaultsInput, optFns ...func(*backup.Options)) (*backup.ListBackupVaultsOutput, error)
	GetBackupVaultAccessPolicy(ctx context.Context, in *backup.GetBackupVaultAccessPolicyInput, optFns ...func(*backup.Options)) (*backup.GetBackupVaultAccessPolicyOutput, error)
}

// Watcher collects the backup vaults of every region: ListBackupVaults in
// pages of 1,000, then GetBackupVaultAccessPolicy per vault
// (ResourceNotFoundException: no policy), vaults described concurrently.
type Watcher struct {
	newClient   func(aws.Config) backupAPI
	concurrency int
}

// NewWatcher returns the backupvault watcher.
func NewWatcher() *Watcher {
	return &Watcher{newClient: func(c aws.Config) backupAPI { return backup.NewFromConfig(c) }, concurrency: 16}
}

// Technology implements watch.Watcher.
func (w *Watcher) Technology() monkey.Technology { return Technology }

// Collect implements watch.Watcher.
func (w *Watcher) Collect(ctx context.Context, scope watch.Scope) (watch.Result, error) {
	c := watch.NewCollector(scope, Technology)
	acct := scope.Account.Identifier
	awsclient.EachRegion(ctx, scope, c, func(ctx context.Context, cfg aws.Config, region string) error {
		client := w.newClient(cfg)
		p := backup.NewListBackupVaultsPaginator(client, &backup.ListBackupVaultsInput{MaxResults: aws.Int32(1000)})
		err := watch.Paginate(ctx, p.HasMorePages, func(ctx context.Context) (*backup.ListBackupVaultsOutput, error) {
			return p.NextPage(ctx)
		}, func(page *backup.ListBackupVaultsOutput) error {
			var vaults []*types.BackupVaultListMember
			for k := range page.BackupVaultList {
				if !scope.Ignored(aws.ToString(page.BackupVaultList[k].BackupVaultName)) {
					vaults = append(vaults, &page.BackupVaultList[k])
				}
			}
			return watch.Parallel(ctx, w.concurrency, vaults, func(ctx context.Context, v *types.BackupVaultListMember) {
				name := aws.ToString(v.BackupVaultName)
				out, err := client.GetBackupVaultAccessPolicy(ctx, &backup.GetBackupVaultAccessPolicyInput{BackupVaultName: v.BackupVaultName})
				var policy *string
				switch {
				case awsclient.ErrorCode(err) == "ResourceNotFoundException":
					err = nil
				case err == nil:
					policy = out.Policy
				}
				var cfg monkey.Config
				if err == nil {
					cfg, err = normalize(v, policy)
				}
				if err != nil {
					c.Fail(region, name, fmt.Errorf("collect backupvault %s/%s/%s: %w", acct, region, name, err))
					return
				}
				c.Emit(region, name, aws.ToString(v.BackupVaultArn), cfg)
			})
		})
		if err != nil {
			return fmt.Errorf("collect backupvault %s/%s: list backup vaults: %w", acct, region, err)
		}
		return nil
	})
	return c.Result(), nil
}
