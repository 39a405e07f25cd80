package natgateway

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
	DescribeNatGateways(ctx context.Context, in *ec2.DescribeNatGatewaysInput, optFns ...func(*ec2.Options)) (*ec2.DescribeNatGatewaysOutput, error)
}

// Watcher collects the NAT gateways of every region with DescribeNatGateways, 1000
// a page (the API's maximum).
type Watcher struct {
	newClient func(aws.Config) ec2API
}

// Option configures a Watcher.
type Option func(*Watcher)

// NewWatcher returns the natgateway watcher.
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
		p := ec2.NewDescribeNatGatewaysPaginator(w.newClient(cfg), &ec2.DescribeNatGatewaysInput{MaxResults: aws.Int32(1000)})
		err := watch.Paginate(ctx, p.HasMorePages, func(ctx context.Context) (*ec2.DescribeNatGatewaysOutput, error) {
			return p.NextPage(ctx)
		}, func(page *ec2.DescribeNatGatewaysOutput) error {
			for i := range page.NatGateways {
				v := &page.NatGateways[i]
				name := itemName(v)
				if scope.Ignored(name) {
					continue
				}
				c.Emit(region, name, "", normalize(v, name))
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("collect natgateway %s/%s: describe nat gateways: %w", acct, region, err)
		}
		return nil
	})
	return c.Result(), nil
}
