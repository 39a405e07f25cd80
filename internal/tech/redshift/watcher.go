package redshift

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/redshift"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/watch"
)

// redshiftAPI lists the Redshift calls the watcher makes.
type redshiftAPI interface {
	DescribeClusters(ctx context.Context, in *redshift.DescribeClustersInput, optFns ...func(*redshift.Options)) (*redshift.DescribeClustersOutput, error)
}

// Watcher collects the clusters of every region: DescribeClusters in pages
// of 100 (the maximum), nothing else.
type Watcher struct {
	newClient func(aws.Config) redshiftAPI
}

// NewWatcher returns the redshift watcher.
func NewWatcher() *Watcher {
	return &Watcher{newClient: func(c aws.Config) redshiftAPI { return redshift.NewFromConfig(c) }}
}

// Technology implements watch.Watcher.
func (w *Watcher) Technology() monkey.Technology { return Technology }

// Collect implements watch.Watcher. A region whose listing fails is a
// region failure; the ignore list is tested against ClusterIdentifier.
func (w *Watcher) Collect(ctx context.Context, scope watch.Scope) (watch.Result, error) {
	sess, err := awsclient.SessionOf(scope)
	if err != nil {
		return watch.Result{}, err
	}
	c := watch.NewCollector(scope, Technology)
	acct := scope.Account.Identifier
	awsclient.EachRegion(ctx, scope, c, func(ctx context.Context, cfg aws.Config, region string) error {
		p := redshift.NewDescribeClustersPaginator(w.newClient(cfg), &redshift.DescribeClustersInput{MaxRecords: aws.Int32(100)})
		err := watch.Paginate(ctx, p.HasMorePages, func(ctx context.Context) (*redshift.DescribeClustersOutput, error) {
			return p.NextPage(ctx)
		}, func(page *redshift.DescribeClustersOutput) error {
			for i := range page.Clusters {
				cl := &page.Clusters[i]
				name := aws.ToString(cl.ClusterIdentifier)
				if scope.Ignored(name) {
					continue
				}
				arn := "arn:" + sess.Partition + ":redshift:" + region + ":" + acct + ":cluster:" + name
				c.Emit(region, name, arn, normalize(cl, arn))
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("collect redshift %s/%s: describe clusters: %w", acct, region, err)
		}
		return nil
	})
	return c.Result(), nil
}
