package elasticsearchservice

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	es "github.com/aws/aws-sdk-go-v2/service/elasticsearchservice"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/watch"
)

// esAPI lists the Elasticsearch Service calls the watcher makes.
type esAPI interface {
	ListDomainNames(ctx context.Context, in *es.ListDomainNamesInput, optFns ...func(*es.Options)) (*es.ListDomainNamesOutput, error)
	DescribeElasticsearchDomains(ctx context.Context, in *es.DescribeElasticsearchDomainsInput, optFns ...func(*es.Options)) (*es.DescribeElasticsearchDomainsOutput, error)
}

// batch is the most domains DescribeElasticsearchDomains describes at once.
const batch = 5

// Watcher collects the domains of every region: ListDomainNames (one call,
// not paged), then DescribeElasticsearchDomains for 5 domains at a time
// (its AccessPolicies replace a DescribeElasticsearchDomainConfig per
// domain), batches described concurrently.
type Watcher struct {
	newClient   func(aws.Config) esAPI
	concurrency int
}

// NewWatcher returns the elasticsearchservice watcher.
func NewWatcher() *Watcher {
	return &Watcher{newClient: func(c aws.Config) esAPI { return es.NewFromConfig(c) }, concurrency: 8}
}

// Technology implements watch.Watcher.
func (w *Watcher) Technology() monkey.Technology { return Technology }

// Collect implements watch.Watcher.
func (w *Watcher) Collect(ctx context.Context, scope watch.Scope) (watch.Result, error) {
	sess, err := awsclient.SessionOf(scope)
	if err != nil {
		return watch.Result{}, err
	}
	c := watch.NewCollector(scope, Technology)
	acct := scope.Account.Identifier
	awsclient.EachRegion(ctx, scope, c, func(ctx context.Context, cfg aws.Config, region string) error {
		client := w.newClient(cfg)
		out, err := client.ListDomainNames(ctx, &es.ListDomainNamesInput{})
		if err != nil {
			return fmt.Errorf("collect elasticsearchservice %s/%s: list domain names: %w", acct, region, err)
		}
		var batches [][]string
		for _, d := range out.DomainNames {
			n := aws.ToString(d.DomainName)
			if scope.Ignored(n) {
				continue
			}
			if len(batches) == 0 || len(batches[len(batches)-1]) == batch {
				batches = append(batches, nil)
			}
			batches[len(batches)-1] = append(batches[len(batches)-1], n)
		}
		return watch.Parallel(ctx, w.concurrency, batches, func(ctx context.Context, names []string) {
			out, err := client.DescribeElasticsearchDomains(ctx, &es.DescribeElasticsearchDomainsInput{DomainNames: names})
			if err != nil {
				for _, n := range names {
					c.Fail(region, n, fmt.Errorf("collect elasticsearchservice %s/%s/%s: describe domains: %w", acct, region, n, err))
				}
				return
			}
			for _, d := range out.DomainStatusList {
				n := aws.ToString(d.DomainName)
				arn := "arn:" + sess.Partition + ":es:" + region + ":" + acct + ":domain/" + n
				cfg, err := normalize(arn, n, aws.ToString(d.AccessPolicies))
				if err != nil {
					c.Fail(region, n, fmt.Errorf("collect elasticsearchservice %s/%s/%s: %w", acct, region, n, err))
					continue
				}
				c.Emit(region, n, arn, cfg)
			}
		})
	})
	return c.Result(), nil
}
