package rdssecuritygroup

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
	DescribeDBSecurityGroups(ctx context.Context, in *rds.DescribeDBSecurityGroupsInput, optFns ...func(*rds.Options)) (*rds.DescribeDBSecurityGroupsOutput, error)
}

// Watcher collects the DB security groups of every region:
// DescribeDBSecurityGroups in pages of 100 (the maximum), nothing else.
//
// AWS retired DB security groups with EC2-Classic, and the call fails in
// most accounts and regions today. Such a failure is a region failure like
// any other (no error code tells "retired" from "denied"): the groups stored
// before are kept, never reported deleted.
type Watcher struct {
	newClient func(aws.Config) rdsAPI
}

// NewWatcher returns the rdssecuritygroup watcher.
func NewWatcher() *Watcher {
	return &Watcher{newClient: func(c aws.Config) rdsAPI { return rds.NewFromConfig(c) }}
}

// Technology implements watch.Watcher.
func (w *Watcher) Technology() monkey.Technology { return Technology }

// Collect implements watch.Watcher.
func (w *Watcher) Collect(ctx context.Context, scope watch.Scope) (watch.Result, error) {
	c := watch.NewCollector(scope, Technology)
	awsclient.EachRegion(ctx, scope, c, func(ctx context.Context, cfg aws.Config, region string) error {
		p := rds.NewDescribeDBSecurityGroupsPaginator(w.newClient(cfg), &rds.DescribeDBSecurityGroupsInput{MaxRecords: aws.Int32(100)})
		err := watch.Paginate(ctx, p.HasMorePages, func(ctx context.Context) (*rds.DescribeDBSecurityGroupsOutput, error) {
			return p.NextPage(ctx)
		}, func(page *rds.DescribeDBSecurityGroupsOutput) error {
			for i := range page.DBSecurityGroups {
				g := &page.DBSecurityGroups[i]
				name := aws.ToString(g.DBSecurityGroupName)
				if scope.Ignored(name) {
					continue
				}
				c.Emit(region, name, aws.ToString(g.DBSecurityGroupArn), normalize(g, region))
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("collect rdssecuritygroup %s/%s: describe db security groups: %w", scope.Account.Identifier, region, err)
		}
		return nil
	})
	return c.Result(), nil
}
