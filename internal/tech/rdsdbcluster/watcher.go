package rdsdbcluster

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
	DescribeDBClusters(ctx context.Context, in *rds.DescribeDBClustersInput, optFns ...func(*rds.Options)) (*rds.DescribeDBClustersOutput, error)
}

// Watcher collects the DB clusters of every region: DescribeDBClusters in
// pages of 100 (the maximum), nothing else.
type Watcher struct {
	newClient func(aws.Config) rdsAPI
}

// NewWatcher returns the rdsdbcluster watcher.
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
		p := rds.NewDescribeDBClustersPaginator(w.newClient(cfg), &rds.DescribeDBClustersInput{MaxRecords: aws.Int32(100)})
		err := watch.Paginate(ctx, p.HasMorePages, func(ctx context.Context) (*rds.DescribeDBClustersOutput, error) {
			return p.NextPage(ctx)
		}, func(page *rds.DescribeDBClustersOutput) error {
			for i := range page.DBClusters {
				d := &page.DBClusters[i]
				name := aws.ToString(d.DBClusterIdentifier)
				if scope.Ignored(name) {
					continue
				}
				c.Emit(region, name, aws.ToString(d.DBClusterArn), normalize(d))
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("collect rdsdbcluster %s/%s: describe db clusters: %w", scope.Account.Identifier, region, err)
		}
		return nil
	})
	return c.Result(), nil
}
