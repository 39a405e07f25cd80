package rdsdbinstance

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
	DescribeDBInstances(ctx context.Context, in *rds.DescribeDBInstancesInput, optFns ...func(*rds.Options)) (*rds.DescribeDBInstancesOutput, error)
}

// Watcher collects the DB instances of every region: DescribeDBInstances
// in pages of 100 (the maximum; the reference read only the first page),
// nothing else.
type Watcher struct {
	newClient func(aws.Config) rdsAPI
}

// NewWatcher returns the rdsdbinstance watcher.
func NewWatcher() *Watcher {
	return &Watcher{newClient: func(c aws.Config) rdsAPI { return rds.NewFromConfig(c) }}
}

// Technology implements watch.Watcher.
func (w *Watcher) Technology() monkey.Technology { return Technology }

// Collect implements watch.Watcher. A region whose listing fails is a
// region failure.
func (w *Watcher) Collect(ctx context.Context, scope watch.Scope) (watch.Result, error) {
	c := watch.NewCollector(scope, Technology)
	awsclient.EachRegion(ctx, scope, c, func(ctx context.Context, cfg aws.Config, region string) error {
		p := rds.NewDescribeDBInstancesPaginator(w.newClient(cfg), &rds.DescribeDBInstancesInput{MaxRecords: aws.Int32(100)})
		err := watch.Paginate(ctx, p.HasMorePages, func(ctx context.Context) (*rds.DescribeDBInstancesOutput, error) {
			return p.NextPage(ctx)
		}, func(page *rds.DescribeDBInstancesOutput) error {
			for i := range page.DBInstances {
				d := &page.DBInstances[i]
				name := aws.ToString(d.DBInstanceIdentifier)
				if scope.Ignored(name) {
					continue
				}
				c.Emit(region, name, aws.ToString(d.DBInstanceArn), normalize(d))
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("collect rdsdbinstance %s/%s: describe db instances: %w", scope.Account.Identifier, region, err)
		}
		return nil
	})
	return c.Result(), nil
}
