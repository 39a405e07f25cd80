package securitygroup

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/watch"
)

// Instance detail levels of SECURITYGROUP_INSTANCE_DETAIL.
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
	detail    string
}

// Option configures a Watcher.
type Option func(*Watcher)

// withClient replaces the EC2 client factory (tests).
func withClient(f func(aws.Config) ec2API) Option { return func(w *Watcher) { w.newClient = f } }

// NewWatcher returns the securitygroup watcher; detail is the
// SECURITYGROUP_INSTANCE_DETAIL setting (FULL when not set).
func NewWatcher(detail string, opts ...Option) (*Watcher, error) {
	switch detail {
	case DetailFull, DetailSummary, DetailNone:
	case "":
		detail = DetailFull
	default:
		return nil, fmt.Errorf("%s %q: want FULL, SUMMARY or NONE", InstanceDetail.Name, detail)
	}
	w := &Watcher{newClient: func(c aws.Config) ec2API { return ec2.NewFromConfig(c) }, detail: detail}
	for _, o := range opts {
		o(w)
	}
	return w, nil
}

// Technology implements watch.Watcher.
func (w *Watcher) Technology() monkey.Technology { return Technology }

// Collect implements watch.Watcher. A region where any call fails yields a
// Failure for that region; other regions are kept.
func (w *Watcher) Collect(ctx context.Context, scope watch.Scope) (watch.Result, error) {
	sess, err := awsclient.SessionOf(scope)
	if err != nil {
		return watch.Result{}, err
	}
	c := watch.NewCollector(scope, Technology)
	awsclient.EachRegion(ctx, scope, c, func(ctx context.Context, cfg aws.Config, region string) error {
		if err := w.collectRegion(ctx, scope, c, cfg, region, sess.Partition); err != nil {
			return fmt.Errorf("collect securitygroup %s/%s: %w", scope.Account.Identifier, region, err)
		}
		return nil
	})
	return c.Result(), nil
}

func (w *Watcher) collectRegion(ctx context.Context, scope watch.Scope, c *watch.Collector, cfg aws.Config, region, partition string) error {
	detail := w.detail
	client := w.newClient(cfg)

	// Security groups are normalised page by page, so that the SDK
	// structures of one page at a time are alive (100,000 groups fit in
	// memory). Instances (only what assigned_to needs: id, tags, groups) are
	// read after the first page, and not at all for a region without groups.
	sp := ec2.NewDescribeSecurityGroupsPaginator(client, &ec2.DescribeSecurityGroupsInput{MaxResults: aws.Int32(1000)})
	page, err := sp.NextPage(ctx)
	if err != nil {
		return fmt.Errorf("describe security groups: %w", err)
	}
	var assigned map[string]any
	if detail != DetailNone && (len(page.SecurityGroups) > 0 || sp.HasMorePages()) {
		var instances []instanceRef
		ip := ec2.NewDescribeInstancesPaginator(client, &ec2.DescribeInstancesInput{MaxResults: aws.Int32(1000)})
		for ip.HasMorePages() {
			ipage, err := ip.NextPage(ctx)
			if err != nil {
				return fmt.Errorf("describe instances: %w", err)
			}
			for _, r := range ipage.Reservations {
				for i := range r.Instances {
					instances = append(instances, refOf(&r.Instances[i]))
				}
			}
		}
		assigned = assignedTo(instances, detail)
	}
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
			c.Emit(region, itemName(g), cfg["arn"].(string), cfg)
		}
		return nil
	}
	if err := handle(page); err != nil {
		return err
	}
	// Later pages are fetched while the previous one is normalised.
	err = watch.Paginate(ctx, sp.HasMorePages, func(ctx context.Context) (*ec2.DescribeSecurityGroupsOutput, error) {
		return sp.NextPage(ctx)
	}, handle)
	if err != nil {
		return fmt.Errorf("describe security groups: %w", err)
	}
	return nil
}
