package ebssnapshot

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"golang.org/x/sync/errgroup"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/watch"
)

// ec2API lists the EC2 calls the watcher makes.
type ec2API interface {
	DescribeSnapshots(ctx context.Context, in *ec2.DescribeSnapshotsInput, optFns ...func(*ec2.Options)) (*ec2.DescribeSnapshotsOutput, error)
	DescribeSnapshotAttribute(ctx context.Context, in *ec2.DescribeSnapshotAttributeInput, optFns ...func(*ec2.Options)) (*ec2.DescribeSnapshotAttributeOutput, error)
}

// Watcher collects the snapshots the account owns, region by region:
// DescribeSnapshots (OwnerIds self, 1,000 a page; the reference read the
// first page only) and, per snapshot, its two attributes —
// createVolumePermission and productCodes, which no listing returns — both
// at once, for the snapshots of a page at once (WithConcurrency, default
// 16).
type Watcher struct {
	newClient   func(aws.Config) ec2API
	concurrency int
}

// Option configures a Watcher.
type Option func(*Watcher)

// WithConcurrency bounds the snapshots described at once per region
// (default 16).
func WithConcurrency(n int) Option {
	return func(w *Watcher) {
		if n > 0 {
			w.concurrency = n
		}
	}
}

// withClient replaces the EC2 client factory (tests).
func withClient(f func(aws.Config) ec2API) Option { return func(w *Watcher) { w.newClient = f } }

// NewWatcher returns the ebssnapshot watcher.
func NewWatcher(opts ...Option) *Watcher {
	w := &Watcher{newClient: func(c aws.Config) ec2API { return ec2.NewFromConfig(c) }, concurrency: 16}
	for _, o := range opts {
		o(w)
	}
	return w
}

// Technology implements watch.Watcher.
func (w *Watcher) Technology() monkey.Technology { return Technology }

// Collect implements watch.Watcher: a failed listing fails its region, a
// failed attribute call fails its snapshot only.
func (w *Watcher) Collect(ctx context.Context, scope watch.Scope) (watch.Result, error) {
	c := watch.NewCollector(scope, Technology)
	acct := scope.Account.Identifier
	awsclient.EachRegion(ctx, scope, c, func(ctx context.Context, cfg aws.Config, region string) error {
		client := w.newClient(cfg)
		p := ec2.NewDescribeSnapshotsPaginator(client, &ec2.DescribeSnapshotsInput{OwnerIds: []string{"self"}, MaxResults: aws.Int32(1000)})
		err := watch.Paginate(ctx, p.HasMorePages, func(ctx context.Context) (*ec2.DescribeSnapshotsOutput, error) {
			return p.NextPage(ctx)
		}, func(page *ec2.DescribeSnapshotsOutput) error {
			snaps := make([]*types.Snapshot, 0, len(page.Snapshots))
			for i := range page.Snapshots {
				if !scope.Ignored(itemName(&page.Snapshots[i])) {
					snaps = append(snaps, &page.Snapshots[i])
				}
			}
			return watch.Parallel(ctx, w.concurrency, snaps, func(ctx context.Context, s *types.Snapshot) {
				name := itemName(s)
				a, err := describe(ctx, client, s.SnapshotId)
				if err != nil {
					c.Fail(region, name, fmt.Errorf("collect ebssnapshot %s/%s/%s: %w", acct, region, aws.ToString(s.SnapshotId), err))
					return
				}
				c.Emit(region, name, "", normalize(s, a))
			})
		})
		if err != nil {
			return fmt.Errorf("collect ebssnapshot %s/%s: describe snapshots: %w", acct, region, err)
		}
		return nil
	})
	return c.Result(), nil
}

// describe reads the two attributes of a snapshot at once.
func describe(ctx context.Context, client ec2API, id *string) (attributes, error) {
	var a attributes
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		out, err := client.DescribeSnapshotAttribute(ctx, &ec2.DescribeSnapshotAttributeInput{SnapshotId: id, Attribute: types.SnapshotAttributeNameCreateVolumePermission})
		if err != nil {
			return fmt.Errorf("describe snapshot attribute createVolumePermission: %w", err)
		}
		a.createVolume = out.CreateVolumePermissions
		return nil
	})
	g.Go(func() error {
		out, err := client.DescribeSnapshotAttribute(ctx, &ec2.DescribeSnapshotAttributeInput{SnapshotId: id, Attribute: types.SnapshotAttributeNameProductCodes})
		if err != nil {
			return fmt.Errorf("describe snapshot attribute productCodes: %w", err)
		}
		a.productCodes = out.ProductCodes
		return nil
	})
	return a, g.Wait()
}
