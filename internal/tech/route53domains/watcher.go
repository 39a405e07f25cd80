package route53domains

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/route53domains"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/watch"
)

// route53DomainsAPI lists the Route 53 Domains calls the watcher makes.
type route53DomainsAPI interface {
	ListDomains(ctx context.Context, in *route53domains.ListDomainsInput, optFns ...func(*route53domains.Options)) (*route53domains.ListDomainsOutput, error)
	GetDomainDetail(ctx context.Context, in *route53domains.GetDomainDetailInput, optFns ...func(*route53domains.Options)) (*route53domains.GetDomainDetailOutput, error)
}

// Region is the only region of the Route 53 Domains endpoint list, where
// the domains are stored (technologies.md A.44).
const Region = "us-east-1"

// Watcher collects the registered domains of an account: ListDomains in
// pages of 100 (its maximum), then GetDomainDetail per domain (the list
// holds no contact), a few domains at once — the service allows only a
// handful of calls per second.
type Watcher struct {
	newClient   func(aws.Config) route53DomainsAPI
	concurrency int
}

// NewWatcher returns the route53domains watcher.
func NewWatcher() *Watcher {
	return &Watcher{newClient: func(c aws.Config) route53DomainsAPI { return route53domains.NewFromConfig(c) }, concurrency: 4}
}

// Technology implements watch.Watcher.
func (w *Watcher) Technology() monkey.Technology { return Technology }

// Collect implements watch.Watcher. A failed listing fails the account
// (the one location of the technology); a domain whose detail cannot be
// read is an item failure; the ignore list is tested against the domain
// name before any detail call.
func (w *Watcher) Collect(ctx context.Context, scope watch.Scope) (watch.Result, error) {
	sess, err := awsclient.SessionOf(scope)
	if err != nil {
		return watch.Result{}, err
	}
	c := watch.NewCollector(scope, Technology)
	acct := scope.Account.Identifier
	client := w.newClient(sess.ForRegion(Region))
	p := route53domains.NewListDomainsPaginator(client, &route53domains.ListDomainsInput{MaxItems: aws.Int32(100)})
	err = watch.Paginate(ctx, p.HasMorePages, func(ctx context.Context) (*route53domains.ListDomainsOutput, error) {
		return p.NextPage(ctx)
	}, func(page *route53domains.ListDomainsOutput) error {
		var names []string
		for _, d := range page.Domains {
			if name := aws.ToString(d.DomainName); !scope.Ignored(name) {
				names = append(names, name)
			}
		}
		return watch.Parallel(ctx, w.concurrency, names, func(ctx context.Context, name string) {
			out, err := client.GetDomainDetail(ctx, &route53domains.GetDomainDetailInput{DomainName: aws.String(name)})
			if err != nil {
				c.Fail(Region, name, fmt.Errorf("collect route53domains %s/%s: get domain detail: %w", acct, name, err))
				return
			}
			if out.DomainName == nil {
				out.DomainName = aws.String(name)
			}
			c.Emit(Region, name, "", normalize(out))
		})
	})
	if err != nil {
		c.Fail("", "", fmt.Errorf("collect route53domains %s: list domains: %w", acct, err))
	}
	return c.Result(), nil
}
