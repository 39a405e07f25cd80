package securitygroup

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/watch"
)

// SettingInstanceDetail is the scope setting choosing what `assigned_to`
// holds: FULL (default), SUMMARY or NONE.
const SettingInstanceDetail = "SECURITYGROUP_INSTANCE_DETAIL"

// Instance detail levels.
const (
	DetailFull    = "FULL"
	DetailSummary = "SUMMARY"
	DetailNone    = "NONE"
)

// ec2API lists the EC2 calls the watcher makes.
type ec2API interface {
	DescribeSecurityGroups(ctx context.Context, in *ec2.DescribeSecurityGroupsInput, optFns ...func(*ec2.Options)) (*ec2.DescribeSecurityGroupsOutput, error)
	DescribeInstances(ctx context.Context, in *ec2.DescribeInstancesInput, optFns ...func(*ec2.Options)) (*ec2.DescribeInstancesOutput, error)
}

// Watcher collects security groups of every region of the scope
// concurrently: DescribeSecurityGroups (paginated, 1000 per page) and, unless
// the instance detail is NONE, DescribeInstances (paginated; instance tags
// come with it, so no DescribeTags).
type Watcher struct {
	newClient func(aws.Config) ec2API
}

// Option configures a Watcher.
type Option func(*Watcher)

// withClient replaces the EC2 client factory (tests).
func withClient(f func(aws.Config) ec2API) Option { return func(w *Watcher) { w.newClient = f } }

// NewWatcher returns the securitygroup watcher.
func NewWatcher(opts ...Option) *Watcher {
	w := &Watcher{newClient: func(c aws.Config) ec2API { return ec2.NewFromConfig(c) }}
	for _, o := range opts {
		o(w)
	}
	return w
}

// Technology implements watch.Watcher.
func (w *Watcher) Technology() monkey.Technology { return Technology }

// Collect implements watch.Watcher. A region where any call fails yields a
// Failure for that region and none of its items; other regions are kept.
func (w *Watcher) Collect(ctx context.Context, scope watch.Scope) (watch.Result, error) {
	detail := strings.ToUpper(strings.TrimSpace(scope.Settings[SettingInstanceDetail]))
	switch detail {
	case DetailFull, DetailSummary, DetailNone:
	case "":
		detail = DetailFull
	default:
		return watch.Result{}, fmt.Errorf("collect securitygroup: %s %q: want FULL, SUMMARY or NONE", SettingInstanceDetail, detail)
	}
	partition := scope.Partition
	if partition == "" {
		partition = "aws"
	}
	var (
		mu    sync.Mutex
		items = map[string][]monkey.Item{}
	)
	failures := watch.ForEachRegion(ctx, scope, func(ctx context.Context, region string) error {
		got, err := w.collectRegion(ctx, scope, region, partition, detail)
		if err != nil {
			return fmt.Errorf("collect securitygroup %s/%s: %w", scope.Account.Identifier, region, err)
		}
		mu.Lock()
		items[region] = got
		mu.Unlock()
		return nil
	})
	res := watch.Result{Failures: failures}
	for _, r := range scope.Regions {
		res.Items = append(res.Items, items[r]...)
	}
	return res, nil
}

func (w *Watcher) collectRegion(ctx context.Context, scope watch.Scope, region, partition, detail string) ([]monkey.Item, error) {
	cfg := scope.AWS.Copy()
	cfg.Region = region
	client := w.newClient(cfg)

	// Security groups are normalised page by page, so that the SDK
	// structures of one page at a time are alive (100,000 groups fit in
	// memory). Instances (only what assigned_to needs: id, tags, groups) are
	// read after the first page, and not at all for a region without groups.
	sp := ec2.NewDescribeSecurityGroupsPaginator(client, &ec2.DescribeSecurityGroupsInput{MaxResults: aws.Int32(1000)})
	page, err := sp.NextPage(ctx)
	if err != nil {
		return nil, fmt.Errorf("describe security groups: %w", err)
	}
	var assigned map[string]any
	if detail != DetailNone && (len(page.SecurityGroups) > 0 || sp.HasMorePages()) {
		var instances []instanceRef
		ip := ec2.NewDescribeInstancesPaginator(client, &ec2.DescribeInstancesInput{MaxResults: aws.Int32(1000)})
		for ip.HasMorePages() {
			ipage, err := ip.NextPage(ctx)
			if err != nil {
				return nil, fmt.Errorf("describe instances: %w", err)
			}
			for _, r := range ipage.Reservations {
				for i := range r.Instances {
					instances = append(instances, refOf(&r.Instances[i]))
				}
			}
		}
		assigned = assignedTo(instances, detail)
	}
	var out []monkey.Item
	handle := func(page *ec2.DescribeSecurityGroupsOutput) error {
		for i := range page.SecurityGroups {
			g := &page.SecurityGroups[i]
			if scope.Ignored(aws.ToString(g.GroupName)) {
				continue
			}
			var a any
			switch detail {
			case DetailFull:
				a = assigned[aws.ToString(g.GroupId)]
				if a == nil {
					a = []any{}
				}
			case DetailSummary:
				a = assigned[aws.ToString(g.GroupId)]
				if a == nil {
					a = "0 instances"
				}
			}
			cfg := normalize(g, region, partition, scope.Account.Identifier, a)
			scope.Emit(&out, monkey.Item{
				Technology: Technology.Index,
				Region:     region,
				Name:       itemName(g),
				ARN:        cfg["arn"].(string),
				Config:     cfg,
			})
		}
		return nil
	}
	if err := handle(page); err != nil {
		return nil, err
	}
	// Later pages are fetched while the previous one is normalised.
	if sp.HasMorePages() {
		err := watch.Prefetch(ctx, func(ctx context.Context) (*ec2.DescribeSecurityGroupsOutput, bool, error) {
			page, err := sp.NextPage(ctx)
			return page, err == nil && sp.HasMorePages(), err
		}, handle)
		if err != nil {
			return nil, fmt.Errorf("describe security groups: %w", err)
		}
	}
	return out, nil
}
