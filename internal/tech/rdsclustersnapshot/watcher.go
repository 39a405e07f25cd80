package rdsclustersnapshot

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/watch"
)

// rdsAPI lists the RDS calls the watcher makes.
type rdsAPI interface {
	DescribeDBClusterSnapshots(ctx context.Context, in *rds.DescribeDBClusterSnapshotsInput, optFns ...func(*rds.Options)) (*rds.DescribeDBClusterSnapshotsOutput, error)
}

// Watcher collects the cluster snapshots of every region:
// DescribeDBClusterSnapshots in pages of 100 (the maximum). Sharing
// attributes are not collected (technologies.md A.17), so no per-item call.
type Watcher struct {
	newClient func(aws.Config) rdsAPI
}

// NewWatcher returns the rdsclustersnapshot watcher.
func NewWatcher() *Watcher {
	return &Watcher{newClient: func(c aws.Config) rdsAPI { return rds.NewFromConfig(c) }}
}

// Technology implements watch.Watcher.
func (w *Watcher) Technology() monkey.Technology { return Technology }

// Collect implements watch.Watcher. A region whose listing fails is a
// region failure. Items carry no ARN (the reference stored none).
func (w *Watcher) Collect(ctx context.Context, scope watch.Scope) (watch.Result, error) {
	c := watch.NewCollector(scope, Technology)
	awsclient.EachRegion(ctx, scope, c, func(ctx context.Context, cfg aws.Config, region string) error {
		p := rds.NewDescribeDBClusterSnapshotsPaginator(w.newClient(cfg), &rds.DescribeDBClusterSnapshotsInput{MaxRecords: aws.Int32(100)})
		err := watch.Paginate(ctx, p.HasMorePages, func(ctx context.Context) (*rds.DescribeDBClusterSnapshotsOutput, error) {
			return p.NextPage(ctx)
		}, func(page *rds.DescribeDBClusterSnapshotsOutput) error {
			for i := range page.DBClusterSnapshots {
				s := &page.DBClusterSnapshots[i]
				name := aws.ToString(s.DBClusterSnapshotIdentifier)
				if scope.Ignored(name) {
					continue
				}
				c.Emit(region, name, "", normalize(s))
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("collect rdsclustersnapshot %s/%s: describe db cluster snapshots: %w", scope.Account.Identifier, region, err)
		}
		return nil
	})
	return c.Result(), nil
}
