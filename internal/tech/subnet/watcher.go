package subnet

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
	DescribeSubnets(ctx context.Context, in *ec2.DescribeSubnetsInput, optFns ...func(*ec2.Options)) (*ec2.DescribeSubnetsOutput, error)
}

// Watcher collects the subnets of every region with DescribeSubnets, 1,000
// a page (the API's maximum).
type Watcher struct {
	newClient func(aws.Config) ec2API
}

// Option configures a Watcher.
type Option func(*Watcher)

// NewWatcher returns the subnet watcher.
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
	sess, err := awsclient.SessionOf(scope)
	if err != nil {
		return watch.Result{}, err
	}
	c := watch.NewCollector(scope, Technology)
	acct := scope.Account.Identifier
	awsclient.EachRegion(ctx, scope, c, func(ctx context.Context, cfg aws.Config, region string) error {
		p := ec2.NewDescribeSubnetsPaginator(w.newClient(cfg), &ec2.DescribeSubnetsInput{MaxResults: aws.Int32(1000)})
		err := watch.Paginate(ctx, p.HasMorePages, func(ctx context.Context) (*ec2.DescribeSubnetsOutput, error) {
			return p.NextPage(ctx)
		}, func(page *ec2.DescribeSubnetsOutput) error {
			for i := range page.Subnets {
				s := &page.Subnets[i]
				name := itemName(s)
				if scope.Ignored(name) {
					continue
				}
				arn := subnetARN(sess.Partition, region, acct, aws.ToString(s.SubnetId))
				c.Emit(region, name, arn, normalize(s, name, arn))
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("collect subnet %s/%s: describe subnets: %w", acct, region, err)
		}
		return nil
	})
	return c.Result(), nil
}
