package route53

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/route53/types"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/watch"
)

// route53API lists the Route 53 calls the watcher makes.
type route53API interface {
	ListHostedZones(ctx context.Context, in *route53.ListHostedZonesInput, optFns ...func(*route53.Options)) (*route53.ListHostedZonesOutput, error)
	ListResourceRecordSets(ctx context.Context, in *route53.ListResourceRecordSetsInput, optFns ...func(*route53.Options)) (*route53.ListResourceRecordSetsOutput, error)
}

// Watcher collects the record sets of every hosted zone of an account:
// ListHostedZones in pages of 100 and ListResourceRecordSets in pages of
// 300 (the maxima), nothing else.
//
// Zones are read one after the other: Route 53 allows five calls a second
// per account, so reading zones at once would gain little, and the order
// decides which record set keeps a name that several share (the item name
// is the record name alone, technologies.md A.43's quirk — the apex NS and
// SOA records always share one): the first listed, the same on every scan.
// What is kept across zones is the set of names already emitted.
type Watcher struct {
	newClient func(aws.Config) route53API
}

// NewWatcher returns the route53 watcher.
func NewWatcher() *Watcher {
	return &Watcher{newClient: func(c aws.Config) route53API { return route53.NewFromConfig(c) }}
}

// Technology implements watch.Watcher.
func (w *Watcher) Technology() monkey.Technology { return Technology }

// Collect implements watch.Watcher. A failed zone listing fails the
// account; a zone whose record sets cannot be listed fails every location
// of the technology (the record names it holds are unknown, so none of
// them may be reported deleted) while the other zones are still read. The
// ignore list is tested against the zone name (the zone is skipped) and
// the record name.
func (w *Watcher) Collect(ctx context.Context, scope watch.Scope) (watch.Result, error) {
	sess, err := awsclient.SessionOf(scope)
	if err != nil {
		return watch.Result{}, err
	}
	c := watch.NewCollector(scope, Technology)
	acct := scope.Account.Identifier
	client := w.newClient(sess.Config)
	seen := map[string]bool{}
	zones := route53.NewListHostedZonesPaginator(client, &route53.ListHostedZonesInput{MaxItems: aws.Int32(100)})
	err = watch.Paginate(ctx, zones.HasMorePages, func(ctx context.Context) (*route53.ListHostedZonesOutput, error) {
		return zones.NextPage(ctx)
	}, func(page *route53.ListHostedZonesOutput) error {
		for k := range page.HostedZones {
			z := &page.HostedZones[k]
			if scope.Ignored(aws.ToString(z.Name)) {
				continue
			}
			if err := w.zone(ctx, client, scope, c, z, seen); err != nil {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				c.Fail(watch.Universal, "", fmt.Errorf("collect route53 %s: list resource record sets of %s (%s): %w",
					acct, aws.ToString(z.Name), aws.ToString(z.Id), err))
			}
		}
		return nil
	})
	if err != nil {
		c.Fail("", "", fmt.Errorf("collect route53 %s: list hosted zones: %w", acct, err))
	}
	return c.Result(), nil
}

// zone emits the record sets of zone z whose names were not seen before.
func (w *Watcher) zone(ctx context.Context, client route53API, scope watch.Scope, c *watch.Collector, z *types.HostedZone, seen map[string]bool) error {
	p := route53.NewListResourceRecordSetsPaginator(client, &route53.ListResourceRecordSetsInput{HostedZoneId: z.Id, MaxItems: aws.Int32(300)})
	return watch.Paginate(ctx, p.HasMorePages, func(ctx context.Context) (*route53.ListResourceRecordSetsOutput, error) {
		return p.NextPage(ctx)
	}, func(page *route53.ListResourceRecordSetsOutput) error {
		for k := range page.ResourceRecordSets {
			r := &page.ResourceRecordSets[k]
			name := aws.ToString(r.Name)
			if seen[name] || scope.Ignored(name) {
				continue
			}
			seen[name] = true
			c.Emit(watch.Universal, name, "", normalize(z, r))
		}
		return nil
	})
}
