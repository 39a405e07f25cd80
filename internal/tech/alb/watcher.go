package alb

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"golang.org/x/sync/errgroup"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/watch"
)

// elbv2API lists the ELBv2 calls the watcher makes.
type elbv2API interface {
	DescribeLoadBalancers(ctx context.Context, in *elbv2.DescribeLoadBalancersInput, optFns ...func(*elbv2.Options)) (*elbv2.DescribeLoadBalancersOutput, error)
	DescribeListeners(ctx context.Context, in *elbv2.DescribeListenersInput, optFns ...func(*elbv2.Options)) (*elbv2.DescribeListenersOutput, error)
	DescribeRules(ctx context.Context, in *elbv2.DescribeRulesInput, optFns ...func(*elbv2.Options)) (*elbv2.DescribeRulesOutput, error)
	DescribeLoadBalancerAttributes(ctx context.Context, in *elbv2.DescribeLoadBalancerAttributesInput, optFns ...func(*elbv2.Options)) (*elbv2.DescribeLoadBalancerAttributesOutput, error)
	DescribeTags(ctx context.Context, in *elbv2.DescribeTagsInput, optFns ...func(*elbv2.Options)) (*elbv2.DescribeTagsOutput, error)
	DescribeTargetGroups(ctx context.Context, in *elbv2.DescribeTargetGroupsInput, optFns ...func(*elbv2.Options)) (*elbv2.DescribeTargetGroupsOutput, error)
	DescribeTargetGroupAttributes(ctx context.Context, in *elbv2.DescribeTargetGroupAttributesInput, optFns ...func(*elbv2.Options)) (*elbv2.DescribeTargetGroupAttributesOutput, error)
	DescribeTargetHealth(ctx context.Context, in *elbv2.DescribeTargetHealthInput, optFns ...func(*elbv2.Options)) (*elbv2.DescribeTargetHealthOutput, error)
}

const (
	pageSize    = 400 // the maximum of the ELBv2 listings
	tagBatch    = 20  // DescribeTags' maximum of ARNs per call
	concurrency = 16  // calls in flight per region (awsclient bounds the account too)
)

// Watcher collects the ELBv2 load balancers of every region:
// DescribeLoadBalancers in pages of 400; once per region (when it has load
// balancers) DescribeTargetGroups in pages of 400, grouped by load balancer
// (instead of one listing per load balancer); DescribeTags for 20 load
// balancers a call; and per load balancer, at once: DescribeListeners,
// DescribeRules per listener, DescribeLoadBalancerAttributes, and
// DescribeTargetGroupAttributes and DescribeTargetHealth per target group.
type Watcher struct {
	newClient func(aws.Config) elbv2API
}

// NewWatcher returns the alb watcher.
func NewWatcher() *Watcher {
	return &Watcher{newClient: func(c aws.Config) elbv2API { return elbv2.NewFromConfig(c) }}
}

// Technology implements watch.Watcher.
func (w *Watcher) Technology() monkey.Technology { return Technology }

// Collect implements watch.Watcher. A failed listing (of load balancers or
// target groups) fails its region; a failed call about some load balancers
// fails those items, which are neither stored anew nor reported deleted.
func (w *Watcher) Collect(ctx context.Context, scope watch.Scope) (watch.Result, error) {
	c := watch.NewCollector(scope, Technology)
	account := scope.Account.Identifier
	awsclient.EachRegion(ctx, scope, c, func(ctx context.Context, cfg aws.Config, region string) error {
		client := w.newClient(cfg)
		var groups map[string][]types.TargetGroup // by load balancer ARN, read with the first page
		p := elbv2.NewDescribeLoadBalancersPaginator(client, &elbv2.DescribeLoadBalancersInput{PageSize: aws.Int32(pageSize)})
		err := watch.Paginate(ctx, p.HasMorePages, func(ctx context.Context) (*elbv2.DescribeLoadBalancersOutput, error) {
			return p.NextPage(ctx)
		}, func(page *elbv2.DescribeLoadBalancersOutput) error {
			var lbs []*types.LoadBalancer
			for i := range page.LoadBalancers {
				if l := &page.LoadBalancers[i]; !scope.Ignored(aws.ToString(l.LoadBalancerName)) {
					lbs = append(lbs, l)
				}
			}
			if len(lbs) == 0 {
				return nil
			}
			if groups == nil {
				var err error
				if groups, err = targetGroups(ctx, client); err != nil {
					return err
				}
			}
			fail := func(l *types.LoadBalancer, err error) {
				c.Fail(region, aws.ToString(l.LoadBalancerName), fmt.Errorf("collect alb %s/%s/%s: %w", account, region, aws.ToString(l.LoadBalancerName), err))
			}
			tags, err := describeTags(ctx, client, lbs, fail)
			if err != nil {
				return err
			}
			return watch.Parallel(ctx, concurrency, lbs, func(ctx context.Context, l *types.LoadBalancer) {
				arn := aws.ToString(l.LoadBalancerArn)
				t, ok := tags[arn]
				if !ok {
					return // its tag batch failed
				}
				r, err := describe(ctx, client, l, groups[arn])
				if err != nil {
					fail(l, err)
					return
				}
				r.Tags = t
				c.Emit(region, aws.ToString(l.LoadBalancerName), arn, normalize(r, region))
			})
		})
		if err != nil {
			return fmt.Errorf("collect alb %s/%s: %w", account, region, err)
		}
		return nil
	})
	return c.Result(), nil
}

// targetGroups lists the target groups of the region by load balancer ARN.
func targetGroups(ctx context.Context, client elbv2API) (map[string][]types.TargetGroup, error) {
	out := map[string][]types.TargetGroup{}
	p := elbv2.NewDescribeTargetGroupsPaginator(client, &elbv2.DescribeTargetGroupsInput{PageSize: aws.Int32(pageSize)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("describe target groups: %w", err)
		}
		for _, g := range page.TargetGroups {
			for _, arn := range g.LoadBalancerArns {
				out[arn] = append(out[arn], g)
			}
		}
	}
	return out, nil
}

// describeTags reads the tags of lbs, 20 a call, the calls at once. A
// failed call fails its load balancers (absent from the map).
func describeTags(ctx context.Context, client elbv2API, lbs []*types.LoadBalancer, fail func(*types.LoadBalancer, error)) (map[string][]types.TagDescription, error) {
	var mu sync.Mutex
	tags := make(map[string][]types.TagDescription, len(lbs))
	err := watch.Parallel(ctx, concurrency, slices.Collect(slices.Chunk(lbs, tagBatch)), func(ctx context.Context, batch []*types.LoadBalancer) {
		arns := make([]string, len(batch))
		for i, l := range batch {
			arns[i] = aws.ToString(l.LoadBalancerArn)
		}
		out, err := client.DescribeTags(ctx, &elbv2.DescribeTagsInput{ResourceArns: arns})
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			for _, l := range batch {
				fail(l, fmt.Errorf("describe tags: %w", err))
			}
			return
		}
		for _, arn := range arns {
			tags[arn] = []types.TagDescription{}
		}
		for _, td := range out.TagDescriptions {
			if arn := aws.ToString(td.ResourceArn); slices.Contains(arns, arn) {
				tags[arn] = append(tags[arn], td)
			}
		}
	})
	return tags, err
}

// describe reads the listeners and their rules, the attributes, and the
// attributes and health of the target groups of a load balancer, at once.
func describe(ctx context.Context, client elbv2API, l *types.LoadBalancer, groups []types.TargetGroup) (*raw, error) {
	r := &raw{LB: l, TargetGroups: groups}
	if r.TargetGroups == nil {
		r.TargetGroups = []types.TargetGroup{}
	}
	g, ctx := errgroup.WithContext(ctx)
	var mu sync.Mutex
	g.Go(func() error {
		var listeners []types.Listener
		p := elbv2.NewDescribeListenersPaginator(client, &elbv2.DescribeListenersInput{LoadBalancerArn: l.LoadBalancerArn, PageSize: aws.Int32(pageSize)})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				return fmt.Errorf("describe listeners: %w", err)
			}
			listeners = append(listeners, page.Listeners...)
		}
		rules := make([][]types.Rule, len(listeners))
		lg, ctx := errgroup.WithContext(ctx)
		for k := range listeners {
			lg.Go(func() error {
				p := elbv2.NewDescribeRulesPaginator(client, &elbv2.DescribeRulesInput{ListenerArn: listeners[k].ListenerArn, PageSize: aws.Int32(pageSize)})
				for p.HasMorePages() {
					page, err := p.NextPage(ctx)
					if err != nil {
						return fmt.Errorf("describe rules: %w", err)
					}
					rules[k] = append(rules[k], page.Rules...)
				}
				return nil
			})
		}
		if err := lg.Wait(); err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		r.Listeners, r.Rules = listeners, slices.Concat(rules...)
		return nil
	})
	g.Go(func() error {
		out, err := client.DescribeLoadBalancerAttributes(ctx, &elbv2.DescribeLoadBalancerAttributesInput{LoadBalancerArn: l.LoadBalancerArn})
		if err != nil {
			return fmt.Errorf("describe load balancer attributes: %w", err)
		}
		mu.Lock()
		defer mu.Unlock()
		r.Attributes = out.Attributes
		return nil
	})
	attrs := make([][]types.TargetGroupAttribute, len(groups))
	health := make([][]types.TargetHealthDescription, len(groups))
	for k, tg := range groups {
		g.Go(func() error {
			out, err := client.DescribeTargetGroupAttributes(ctx, &elbv2.DescribeTargetGroupAttributesInput{TargetGroupArn: tg.TargetGroupArn})
			if err != nil {
				return fmt.Errorf("describe target group attributes: %w", err)
			}
			attrs[k] = out.Attributes
			return nil
		})
		g.Go(func() error {
			out, err := client.DescribeTargetHealth(ctx, &elbv2.DescribeTargetHealthInput{TargetGroupArn: tg.TargetGroupArn})
			if err != nil {
				return fmt.Errorf("describe target health: %w", err)
			}
			health[k] = out.TargetHealthDescriptions
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	r.TargetGroupAttributes = slices.Concat(attrs...)
	r.TargetGroupHealth = slices.Concat(health...)
	return r, nil
}
