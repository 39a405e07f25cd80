package elb

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	lb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
	"golang.org/x/sync/errgroup"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/tech/securitygroup"
	"github.com/secmonkey/monkey/internal/watch"
)

// elbAPI lists the Elastic Load Balancing calls the watcher makes.
type elbAPI interface {
	DescribeLoadBalancers(ctx context.Context, in *lb.DescribeLoadBalancersInput, optFns ...func(*lb.Options)) (*lb.DescribeLoadBalancersOutput, error)
	DescribeLoadBalancerAttributes(ctx context.Context, in *lb.DescribeLoadBalancerAttributesInput, optFns ...func(*lb.Options)) (*lb.DescribeLoadBalancerAttributesOutput, error)
	DescribeLoadBalancerPolicies(ctx context.Context, in *lb.DescribeLoadBalancerPoliciesInput, optFns ...func(*lb.Options)) (*lb.DescribeLoadBalancerPoliciesOutput, error)
	DescribeTags(ctx context.Context, in *lb.DescribeTagsInput, optFns ...func(*lb.Options)) (*lb.DescribeTagsOutput, error)
}

const (
	pageSize    = 400 // DescribeLoadBalancers' maximum
	tagBatch    = 20  // DescribeTags' maximum of names per call
	concurrency = 16  // calls in flight per region (awsclient bounds the account too)
)

// Watcher collects the Classic Load Balancers of every region:
// DescribeLoadBalancers in pages of 400 (the maximum), then for each page
// DescribeTags for 20 load balancers a call, and per load balancer
// DescribeLoadBalancerAttributes and — when its listeners name policies —
// DescribeLoadBalancerPolicies for those, all at once. The instances are in
// the listing; what is stored of them follows SECURITYGROUP_INSTANCE_DETAIL.
type Watcher struct {
	newClient func(aws.Config) elbAPI
	detail    string
}

// NewWatcher returns the elb watcher; detail is the
// SECURITYGROUP_INSTANCE_DETAIL setting (FULL when not set).
func NewWatcher(detail string) (*Watcher, error) {
	switch detail {
	case securitygroup.DetailFull, securitygroup.DetailSummary, securitygroup.DetailNone:
	case "":
		detail = securitygroup.DetailFull
	default:
		return nil, fmt.Errorf("%s %q: want FULL, SUMMARY or NONE", securitygroup.InstanceDetail.Name, detail)
	}
	return &Watcher{newClient: func(c aws.Config) elbAPI { return lb.NewFromConfig(c) }, detail: detail}, nil
}

// Technology implements watch.Watcher.
func (w *Watcher) Technology() monkey.Technology { return Technology }

// Collect implements watch.Watcher. A failed listing fails its region; a
// failed call about some load balancers (their tags, attributes or
// policies) fails those items, which are then neither stored anew nor
// reported deleted.
func (w *Watcher) Collect(ctx context.Context, scope watch.Scope) (watch.Result, error) {
	c := watch.NewCollector(scope, Technology)
	account := scope.Account.Identifier
	awsclient.EachRegion(ctx, scope, c, func(ctx context.Context, cfg aws.Config, region string) error {
		client := w.newClient(cfg)
		p := lb.NewDescribeLoadBalancersPaginator(client, &lb.DescribeLoadBalancersInput{PageSize: aws.Int32(pageSize)})
		err := watch.Paginate(ctx, p.HasMorePages, func(ctx context.Context) (*lb.DescribeLoadBalancersOutput, error) {
			return p.NextPage(ctx)
		}, func(page *lb.DescribeLoadBalancersOutput) error {
			var lbs []*types.LoadBalancerDescription
			for i := range page.LoadBalancerDescriptions {
				if d := &page.LoadBalancerDescriptions[i]; !scope.Ignored(aws.ToString(d.LoadBalancerName)) {
					lbs = append(lbs, d)
				}
			}
			fail := func(name string, err error) {
				c.Fail(region, name, fmt.Errorf("collect elb %s/%s/%s: %w", account, region, name, err))
			}
			tags, err := describeTags(ctx, client, lbs, fail)
			if err != nil {
				return err
			}
			return watch.Parallel(ctx, concurrency, lbs, func(ctx context.Context, d *types.LoadBalancerDescription) {
				name := aws.ToString(d.LoadBalancerName)
				t, ok := tags[name]
				if !ok {
					return // its tag batch failed
				}
				r, err := describe(ctx, client, d)
				if err != nil {
					fail(name, err)
					return
				}
				r.Tags = t
				c.Emit(region, name, lbARN(region, account, name), normalize(r, region, account, w.detail))
			})
		})
		if err != nil {
			return fmt.Errorf("collect elb %s/%s: describe load balancers: %w", account, region, err)
		}
		return nil
	})
	return c.Result(), nil
}

// describeTags reads the tags of lbs, 20 a call, the calls at once. A
// failed call fails its load balancers (absent from the map).
func describeTags(ctx context.Context, client elbAPI, lbs []*types.LoadBalancerDescription, fail func(string, error)) (map[string][]types.Tag, error) {
	var batches [][]string
	for chunk := range slices.Chunk(lbs, tagBatch) {
		names := make([]string, len(chunk))
		for i, d := range chunk {
			names[i] = aws.ToString(d.LoadBalancerName)
		}
		batches = append(batches, names)
	}
	var mu sync.Mutex
	tags := make(map[string][]types.Tag, len(lbs))
	err := watch.Parallel(ctx, concurrency, batches, func(ctx context.Context, names []string) {
		out, err := client.DescribeTags(ctx, &lb.DescribeTagsInput{LoadBalancerNames: names})
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			for _, n := range names {
				fail(n, fmt.Errorf("describe tags: %w", err))
			}
			return
		}
		for _, n := range names {
			tags[n] = []types.Tag{}
		}
		for _, td := range out.TagDescriptions {
			if n := aws.ToString(td.LoadBalancerName); slices.Contains(names, n) {
				tags[n] = td.Tags
			}
		}
	})
	return tags, err
}

// describe reads the attributes and the listener policies of a load
// balancer, at once.
func describe(ctx context.Context, client elbAPI, d *types.LoadBalancerDescription) (*raw, error) {
	r := &raw{LB: d}
	name := d.LoadBalancerName
	var policies []string
	for _, ld := range d.ListenerDescriptions {
		for _, p := range ld.PolicyNames {
			if !slices.Contains(policies, p) {
				policies = append(policies, p)
			}
		}
	}
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		out, err := client.DescribeLoadBalancerAttributes(ctx, &lb.DescribeLoadBalancerAttributesInput{LoadBalancerName: name})
		if err != nil {
			return fmt.Errorf("describe load balancer attributes: %w", err)
		}
		r.Attributes = out.LoadBalancerAttributes
		return nil
	})
	if len(policies) > 0 {
		g.Go(func() error {
			out, err := client.DescribeLoadBalancerPolicies(ctx, &lb.DescribeLoadBalancerPoliciesInput{LoadBalancerName: name, PolicyNames: policies})
			if err != nil {
				return fmt.Errorf("describe load balancer policies: %w", err)
			}
			r.Policies = out.PolicyDescriptions
			return nil
		})
	}
	return r, g.Wait()
}
