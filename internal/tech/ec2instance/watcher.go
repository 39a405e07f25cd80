package ec2instance

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
	DescribeInstances(ctx context.Context, in *ec2.DescribeInstancesInput, optFns ...func(*ec2.Options)) (*ec2.DescribeInstancesOutput, error)
}

// Watcher collects the EC2 instances of every region with
// DescribeInstances, 1,000 a page (the reference read the first page only).
// Everything the stored config holds, tags included, comes with it.
type Watcher struct {
	newClient func(aws.Config) ec2API
}

// Option configures a Watcher.
type Option func(*Watcher)

// NewWatcher returns the ec2instance watcher.
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
		p := ec2.NewDescribeInstancesPaginator(w.newClient(cfg), &ec2.DescribeInstancesInput{MaxResults: aws.Int32(1000)})
		err := watch.Paginate(ctx, p.HasMorePages, func(ctx context.Context) (*ec2.DescribeInstancesOutput, error) {
			return p.NextPage(ctx)
		}, func(page *ec2.DescribeInstancesOutput) error {
			for _, r := range page.Reservations {
				for i := range r.Instances {
					in := &r.Instances[i]
					item, name := itemName(in)
					if scope.Ignored(name) {
						continue
					}
					c.Emit(region, item, "", normalize(in))
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("collect ec2instance %s/%s: describe instances: %w", scope.Account.Identifier, region, err)
		}
		return nil
	})
	return c.Result(), nil
}
