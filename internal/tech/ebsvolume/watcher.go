package ebsvolume

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/watch"
)

// ec2API is the one EC2 call the watcher makes.
type ec2API interface {
	DescribeVolumes(ctx context.Context, in *ec2.DescribeVolumesInput, optFns ...func(*ec2.Options)) (*ec2.DescribeVolumesOutput, error)
}

// Watcher collects the EBS volumes of every region with DescribeVolumes,
// 500 a page (the API's maximum).
type Watcher struct {
	newClient func(aws.Config) ec2API
}

// Option configures a Watcher.
type Option func(*Watcher)

// NewWatcher returns the ebsvolume watcher.
func NewWatcher(opts ...Option) *Watcher {
	w := &Watcher{newClient: func(c aws.Config) ec2API { return ec2.NewFromConfig(c) }}
	for _, o := range opts {
		o(w)
	}
	return w
}

// Technology implements watch.Watcher.
func (w *Watcher) Technology() monkey.Technology { return Technology }

// Collect implements watch.Watcher: a region whose listing fails is a
// region failure; items are emitted page by page.
func (w *Watcher) Collect(ctx context.Context, scope watch.Scope) (watch.Result, error) {
	c := watch.NewCollector(scope, Technology)
	awsclient.EachRegion(ctx, scope, c, func(ctx context.Context, cfg aws.Config, region string) error {
		p := ec2.NewDescribeVolumesPaginator(w.newClient(cfg), &ec2.DescribeVolumesInput{MaxResults: aws.Int32(500)})
		err := watch.Paginate(ctx, p.HasMorePages, func(ctx context.Context) (*ec2.DescribeVolumesOutput, error) {
			return p.NextPage(ctx)
		}, func(page *ec2.DescribeVolumesOutput) error {
			for i := range page.Volumes {
				v := &page.Volumes[i]
				name := itemName(v)
				if scope.Ignored(name) {
					continue
				}
				c.Emit(region, name, "", normalize(v))
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("collect ebsvolume %s/%s: describe volumes: %w", scope.Account.Identifier, region, err)
		}
		return nil
	})
	return c.Result(), nil
}
