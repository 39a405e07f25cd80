package endpoint

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
	DescribeVpcEndpoints(ctx context.Context, in *ec2.DescribeVpcEndpointsInput, optFns ...func(*ec2.Options)) (*ec2.DescribeVpcEndpointsOutput, error)
}

// Watcher collects the VPC endpoints of every region with DescribeVpcEndpoints, 1000
// a page (the API's maximum).
type Watcher struct {
	newClient func(aws.Config) ec2API
}

// Option configures a Watcher.
type Option func(*Watcher)

// NewWatcher returns the endpoint watcher.
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
	acct := scope.Account.Identifier
	awsclient.EachRegion(ctx, scope, c, func(ctx context.Context, cfg aws.Config, region string) error {
		p := ec2.NewDescribeVpcEndpointsPaginator(w.newClient(cfg), &ec2.DescribeVpcEndpointsInput{MaxResults: aws.Int32(1000)})
		err := watch.Paginate(ctx, p.HasMorePages, func(ctx context.Context) (*ec2.DescribeVpcEndpointsOutput, error) {
			return p.NextPage(ctx)
		}, func(page *ec2.DescribeVpcEndpointsOutput) error {
			for i := range page.VpcEndpoints {
				v := &page.VpcEndpoints[i]
				name := itemName(v)
				if scope.Ignored(name) {
					continue
				}
				c.Emit(region, name, "", normalize(v, name))
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("collect endpoint %s/%s: describe vpc endpoints: %w", acct, region, err)
		}
		return nil
	})
	return c.Result(), nil
}
