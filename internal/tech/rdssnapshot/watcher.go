package rdssnapshot

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/watch"
)

// rdsAPI lists the RDS calls the watcher makes.
type rdsAPI interface {
	DescribeDBSnapshots(ctx context.Context, in *rds.DescribeDBSnapshotsInput, optFns ...func(*rds.Options)) (*rds.DescribeDBSnapshotsOutput, error)
	DescribeDBSnapshotAttributes(ctx context.Context, in *rds.DescribeDBSnapshotAttributesInput, optFns ...func(*rds.Options)) (*rds.DescribeDBSnapshotAttributesOutput, error)
}

// concurrency bounds the attribute calls in flight per region (the
// account's per-service bound of awsclient applies too).
const concurrency = 16

// Watcher collects the DB snapshots of every region: DescribeDBSnapshots in
// pages of 100 (the maximum; the account's own automated and manual
// snapshots), then DescribeDBSnapshotAttributes for every snapshot that can
// be shared, at once. Automated snapshots cannot be shared: their
// attributes are {"restore": []} without a call.
type Watcher struct {
	newClient func(aws.Config) rdsAPI
}

// NewWatcher returns the rdssnapshot watcher.
func NewWatcher() *Watcher {
	return &Watcher{newClient: func(c aws.Config) rdsAPI { return rds.NewFromConfig(c) }}
}

// Technology implements watch.Watcher.
func (w *Watcher) Technology() monkey.Technology { return Technology }

// Collect implements watch.Watcher. A failed listing fails its region; a
// failed attribute call fails its snapshot (item failure), which is then
// neither stored nor reported deleted.
func (w *Watcher) Collect(ctx context.Context, scope watch.Scope) (watch.Result, error) {
	c := watch.NewCollector(scope, Technology)
	awsclient.EachRegion(ctx, scope, c, func(ctx context.Context, cfg aws.Config, region string) error {
		client := w.newClient(cfg)
		p := rds.NewDescribeDBSnapshotsPaginator(client, &rds.DescribeDBSnapshotsInput{MaxRecords: aws.Int32(100)})
		err := watch.Paginate(ctx, p.HasMorePages, func(ctx context.Context) (*rds.DescribeDBSnapshotsOutput, error) {
			return p.NextPage(ctx)
		}, func(page *rds.DescribeDBSnapshotsOutput) error {
			var snaps []*types.DBSnapshot
			for i := range page.DBSnapshots {
				if s := &page.DBSnapshots[i]; !scope.Ignored(aws.ToString(s.DBSnapshotIdentifier)) {
					snaps = append(snaps, s)
				}
			}
			return watch.Parallel(ctx, concurrency, snaps, func(ctx context.Context, s *types.DBSnapshot) {
				name := aws.ToString(s.DBSnapshotIdentifier)
				attrs := unshared()
				if aws.ToString(s.SnapshotType) != automated {
					out, err := client.DescribeDBSnapshotAttributes(ctx, &rds.DescribeDBSnapshotAttributesInput{DBSnapshotIdentifier: s.DBSnapshotIdentifier})
					if err != nil {
						c.Fail(region, name, fmt.Errorf("collect rdssnapshot %s/%s/%s: describe db snapshot attributes: %w", scope.Account.Identifier, region, name, err))
						return
					}
					attrs = nil
					if out.DBSnapshotAttributesResult != nil {
						attrs = out.DBSnapshotAttributesResult.DBSnapshotAttributes
					}
				}
				c.Emit(region, name, aws.ToString(s.DBSnapshotArn), normalize(s, attrs))
			})
		})
		if err != nil {
			return fmt.Errorf("collect rdssnapshot %s/%s: describe db snapshots: %w", scope.Account.Identifier, region, err)
		}
		return nil
	})
	return c.Result(), nil
}
