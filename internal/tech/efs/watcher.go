package efs

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/efs"
	"github.com/aws/aws-sdk-go-v2/service/efs/types"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/watch"
)

// efsAPI lists the EFS calls the watcher makes.
type efsAPI interface {
	DescribeFileSystems(ctx context.Context, in *efs.DescribeFileSystemsInput, optFns ...func(*efs.Options)) (*efs.DescribeFileSystemsOutput, error)
	DescribeFileSystemPolicy(ctx context.Context, in *efs.DescribeFileSystemPolicyInput, optFns ...func(*efs.Options)) (*efs.DescribeFileSystemPolicyOutput, error)
}

// Watcher collects the file systems of every region: DescribeFileSystems
// in pages of 100 (it carries the tags), then DescribeFileSystemPolicy per
// file system (PolicyNotFound: no policy), file systems described
// concurrently. One deleted in between (FileSystemNotFound) is skipped.
type Watcher struct {
	newClient   func(aws.Config) efsAPI
	concurrency int
}

// NewWatcher returns the efs watcher.
func NewWatcher() *Watcher {
	return &Watcher{newClient: func(c aws.Config) efsAPI { return efs.NewFromConfig(c) }, concurrency: 16}
}

// Technology implements watch.Watcher.
func (w *Watcher) Technology() monkey.Technology { return Technology }

// Collect implements watch.Watcher.
func (w *Watcher) Collect(ctx context.Context, scope watch.Scope) (watch.Result, error) {
	c := watch.NewCollector(scope, Technology)
	acct := scope.Account.Identifier
	awsclient.EachRegion(ctx, scope, c, func(ctx context.Context, cfg aws.Config, region string) error {
		client := w.newClient(cfg)
		p := efs.NewDescribeFileSystemsPaginator(client, &efs.DescribeFileSystemsInput{MaxItems: aws.Int32(100)})
		err := watch.Paginate(ctx, p.HasMorePages, func(ctx context.Context) (*efs.DescribeFileSystemsOutput, error) {
			return p.NextPage(ctx)
		}, func(page *efs.DescribeFileSystemsOutput) error {
			var fss []*types.FileSystemDescription
			for k := range page.FileSystems {
				if !scope.Ignored(aws.ToString(page.FileSystems[k].FileSystemId)) {
					fss = append(fss, &page.FileSystems[k])
				}
			}
			return watch.Parallel(ctx, w.concurrency, fss, func(ctx context.Context, fs *types.FileSystemDescription) {
				id := aws.ToString(fs.FileSystemId)
				out, err := client.DescribeFileSystemPolicy(ctx, &efs.DescribeFileSystemPolicyInput{FileSystemId: fs.FileSystemId})
				var policy *string
				switch awsclient.ErrorCode(err) {
				case "FileSystemNotFound":
					return
				case "PolicyNotFound":
					err = nil
				case "":
					if err == nil {
						policy = out.Policy
					}
				}
				var cfg monkey.Config
				if err == nil {
					cfg, err = normalize(fs, policy)
				}
				if err != nil {
					c.Fail(region, id, fmt.Errorf("collect efs %s/%s/%s: %w", acct, region, id, err))
					return
				}
				c.Emit(region, id, aws.ToString(fs.FileSystemArn), cfg)
			})
		})
		if err != nil {
			return fmt.Errorf("collect efs %s/%s: describe file systems: %w", acct, region, err)
		}
		return nil
	})
	return c.Result(), nil
}
