package routetable

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
	DescribeRouteTables(ctx context.Context, in *ec2.DescribeRouteTablesInput, optFns ...func(*ec2.Options)) (*ec2.DescribeRouteTablesOutput, error)
}

// Watcher collects the route tables of every region with DescribeRouteTables, 100
// a page (the API's maximum).
type Watcher struct {
	newClient func(aws.Config) ec2API
}

// Option configures a Watcher.
type Option func(*Watcher)

// NewWatcher returns the routetable watcher.
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
		p := ec2.NewDescribeRouteTablesPaginator(w.newClient(cfg), &ec2.DescribeRouteTablesInput{MaxResults: aws.Int32(100)})
		err := watch.Paginate(ctx, p.HasMorePages, func(ctx context.Context) (*ec2.DescribeRouteTablesOutput, error) {
			return p.NextPage(ctx)
		}, func(page *ec2.DescribeRouteTablesOutput) error {
			for i := range page.RouteTables {
				v := &page.RouteTables[i]
				name := itemName(v)
				if scope.Ignored(name) {
					continue
				}
				arn := routeTableARN(sess.Partition, region, acct, aws.ToString(v.RouteTableId))
				c.Emit(region, name, arn, normalize(v, arn))
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("collect routetable %s/%s: describe route tables: %w", acct, region, err)
		}
		return nil
	})
	return c.Result(), nil
}
