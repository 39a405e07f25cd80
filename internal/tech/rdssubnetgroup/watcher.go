package rdssubnetgroup

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
	DescribeDBSubnetGroups(ctx context.Context, in *rds.DescribeDBSubnetGroupsInput, optFns ...func(*rds.Options)) (*rds.DescribeDBSubnetGroupsOutput, error)
}

// Watcher collects the DB subnet groups of every region:
// DescribeDBSubnetGroups in pages of 100 (the maximum), nothing else.
type Watcher struct {
	newClient func(aws.Config) rdsAPI
}

// NewWatcher returns the rdssubnetgroup watcher.
func NewWatcher() *Watcher {
	return &Watcher{newClient: func(c aws.Config) rdsAPI { return rds.NewFromConfig(c) }}
}

// Technology implements watch.Watcher.
func (w *Watcher) Technology() monkey.Technology { return Technology }

// Collect implements watch.Watcher. A region whose listing fails is a
// region failure; the ignore list is tested against DBSubnetGroupName.
func (w *Watcher) Collect(ctx context.Context, scope watch.Scope) (watch.Result, error) {
	c := watch.NewCollector(scope, Technology)
	awsclient.EachRegion(ctx, scope, c, func(ctx context.Context, cfg aws.Config, region string) error {
		p := rds.NewDescribeDBSubnetGroupsPaginator(w.newClient(cfg), &rds.DescribeDBSubnetGroupsInput{MaxRecords: aws.Int32(100)})
		err := watch.Paginate(ctx, p.HasMorePages, func(ctx context.Context) (*rds.DescribeDBSubnetGroupsOutput, error) {
			return p.NextPage(ctx)
		}, func(page *rds.DescribeDBSubnetGroupsOutput) error {
			for i := range page.DBSubnetGroups {
				g := &page.DBSubnetGroups[i]
				if scope.Ignored(aws.ToString(g.DBSubnetGroupName)) {
					continue
				}
				c.Emit(region, itemName(g), aws.ToString(g.DBSubnetGroupArn), normalize(g))
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("collect rdssubnetgroup %s/%s: describe db subnet groups: %w", scope.Account.Identifier, region, err)
		}
		return nil
	})
	return c.Result(), nil
}
