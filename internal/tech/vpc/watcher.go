package vpc

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"golang.org/x/sync/errgroup"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/watch"
)

// ec2API is the EC2 calls the watcher makes.
type ec2API interface {
	DescribeVpcs(ctx context.Context, in *ec2.DescribeVpcsInput, optFns ...func(*ec2.Options)) (*ec2.DescribeVpcsOutput, error)
	DescribeVpcAttribute(ctx context.Context, in *ec2.DescribeVpcAttributeInput, optFns ...func(*ec2.Options)) (*ec2.DescribeVpcAttributeOutput, error)
	DescribeInternetGateways(ctx context.Context, in *ec2.DescribeInternetGatewaysInput, optFns ...func(*ec2.Options)) (*ec2.DescribeInternetGatewaysOutput, error)
	DescribeSubnets(ctx context.Context, in *ec2.DescribeSubnetsInput, optFns ...func(*ec2.Options)) (*ec2.DescribeSubnetsOutput, error)
	DescribeRouteTables(ctx context.Context, in *ec2.DescribeRouteTablesInput, optFns ...func(*ec2.Options)) (*ec2.DescribeRouteTablesOutput, error)
	DescribeNetworkAcls(ctx context.Context, in *ec2.DescribeNetworkAclsInput, optFns ...func(*ec2.Options)) (*ec2.DescribeNetworkAclsOutput, error)
	DescribeFlowLogs(ctx context.Context, in *ec2.DescribeFlowLogsInput, optFns ...func(*ec2.Options)) (*ec2.DescribeFlowLogsOutput, error)
	DescribeVpcPeeringConnections(ctx context.Context, in *ec2.DescribeVpcPeeringConnectionsInput, optFns ...func(*ec2.Options)) (*ec2.DescribeVpcPeeringConnectionsOutput, error)
}

// Watcher collects the VPCs of every region. Where the reference made ten
// calls per VPC, it lists once per region, unfiltered and in pages of the
// maximum size, the internet gateways, subnets, route tables, network
// ACLs, flow logs and peering connections, keeps only their ids grouped by
// VPC, then pages DescribeVpcs and calls DescribeVpcAttribute twice per VPC
// (the only per-VPC answer: the API takes one VPC and one attribute).
type Watcher struct {
	newClient   func(aws.Config) ec2API
	concurrency int
}

// Option configures a Watcher.
type Option func(*Watcher)

// withClient replaces the EC2 client factory (tests).
func withClient(f func(aws.Config) ec2API) Option { return func(w *Watcher) { w.newClient = f } }

// NewWatcher returns the vpc watcher.
func NewWatcher(opts ...Option) *Watcher {
	w := &Watcher{newClient: func(c aws.Config) ec2API { return ec2.NewFromConfig(c) }, concurrency: 16}
	for _, o := range opts {
		o(w)
	}
	return w
}

// Technology implements watch.Watcher.
func (w *Watcher) Technology() monkey.Technology { return Technology }

// Collect implements watch.Watcher: a failed listing fails its region; a
// failed attribute call fails its VPC only (never stored without its
// attributes).
func (w *Watcher) Collect(ctx context.Context, scope watch.Scope) (watch.Result, error) {
	c := watch.NewCollector(scope, Technology)
	acct := scope.Account.Identifier
	awsclient.EachRegion(ctx, scope, c, func(ctx context.Context, cfg aws.Config, region string) error {
		client := w.newClient(cfg)
		members, err := listMembers(ctx, client)
		if err != nil {
			return fmt.Errorf("collect vpc %s/%s: %w", acct, region, err)
		}
		p := ec2.NewDescribeVpcsPaginator(client, &ec2.DescribeVpcsInput{MaxResults: aws.Int32(1000)})
		err = watch.Paginate(ctx, p.HasMorePages, func(ctx context.Context) (*ec2.DescribeVpcsOutput, error) {
			return p.NextPage(ctx)
		}, func(page *ec2.DescribeVpcsOutput) error {
			vpcs := make([]*types.Vpc, 0, len(page.Vpcs))
			for i := range page.Vpcs {
				if !scope.Ignored(itemName(&page.Vpcs[i])) {
					vpcs = append(vpcs, &page.Vpcs[i])
				}
			}
			return watch.Parallel(ctx, w.concurrency, vpcs, func(ctx context.Context, v *types.Vpc) {
				name := itemName(v)
				attrs, err := attributes(ctx, client, v.VpcId)
				if err != nil {
					c.Fail(region, name, fmt.Errorf("collect vpc %s/%s/%s: %w", acct, region, aws.ToString(v.VpcId), err))
					return
				}
				arn := vpcARN(region, acct, aws.ToString(v.VpcId))
				c.Emit(region, name, arn, normalize(v, arn, region, attrs, members.of(aws.ToString(v.VpcId))))
			})
		})
		if err != nil {
			return fmt.Errorf("collect vpc %s/%s: describe vpcs: %w", acct, region, err)
		}
		return nil
	})
	return c.Result(), nil
}

// attributes reads enableDnsHostnames and enableDnsSupport at once.
func attributes(ctx context.Context, client ec2API, id *string) (attrs, error) {
	var a attrs
	g, ctx := errgroup.WithContext(ctx)
	for _, name := range []types.VpcAttributeName{types.VpcAttributeNameEnableDnsHostnames, types.VpcAttributeNameEnableDnsSupport} {
		g.Go(func() error {
			out, err := client.DescribeVpcAttribute(ctx, &ec2.DescribeVpcAttributeInput{VpcId: id, Attribute: name})
			if err != nil {
				return fmt.Errorf("describe vpc attribute %s: %w", name, err)
			}
			if name == types.VpcAttributeNameEnableDnsHostnames {
				a.dnsHostnames = boolValue(out.EnableDnsHostnames)
			} else {
				a.dnsSupport = boolValue(out.EnableDnsSupport)
			}
			return nil
		})
	}
	return a, g.Wait()
}

func boolValue(v *types.AttributeBooleanValue) *bool {
	if v == nil {
		return nil
	}
	return v.Value
}

// attrs are a VPC's DNS attributes (nil: not returned).
type attrs struct{ dnsHostnames, dnsSupport *bool }

// igw is the internet gateway attached to a VPC.
type igw struct {
	id, state string
	tags      []types.Tag
}

// members are the ids of a region's resources by VPC id.
type members struct {
	mu                                             sync.Mutex
	subnets, routeTables, acls, flowLogs, peerings map[string][]string
	gateways                                       map[string]igw
}

// vpcMembers are the members of one VPC, ids sorted.
type vpcMembers struct {
	subnets, routeTables, acls, flowLogs, peerings []string
	gateway                                        *igw
}

func (m *members) of(vpc string) vpcMembers {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := vpcMembers{subnets: m.subnets[vpc], routeTables: m.routeTables[vpc], acls: m.acls[vpc],
		flowLogs: m.flowLogs[vpc], peerings: m.peerings[vpc]}
	if g, ok := m.gateways[vpc]; ok {
		out.gateway = &g
	}
	return out
}

func (m *members) add(list map[string][]string, vpc, id string) {
	if vpc == "" || id == "" {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if !slices.Contains(list[vpc], id) {
		list[vpc] = append(list[vpc], id)
	}
}

// listMembers lists, at once, every internet gateway, subnet, route table,
// network ACL, flow log and peering connection of the region and keeps
// their ids by VPC.
func listMembers(ctx context.Context, client ec2API) (*members, error) {
	m := &members{subnets: map[string][]string{}, routeTables: map[string][]string{}, acls: map[string][]string{},
		flowLogs: map[string][]string{}, peerings: map[string][]string{}, gateways: map[string]igw{}}
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		p := ec2.NewDescribeSubnetsPaginator(client, &ec2.DescribeSubnetsInput{MaxResults: aws.Int32(1000)})
		return pages(ctx, "describe subnets", p.HasMorePages, p.NextPage, func(o *ec2.DescribeSubnetsOutput) {
			for _, s := range o.Subnets {
				m.add(m.subnets, aws.ToString(s.VpcId), aws.ToString(s.SubnetId))
			}
		})
	})
	g.Go(func() error {
		p := ec2.NewDescribeRouteTablesPaginator(client, &ec2.DescribeRouteTablesInput{MaxResults: aws.Int32(100)})
		return pages(ctx, "describe route tables", p.HasMorePages, p.NextPage, func(o *ec2.DescribeRouteTablesOutput) {
			for _, r := range o.RouteTables {
				m.add(m.routeTables, aws.ToString(r.VpcId), aws.ToString(r.RouteTableId))
			}
		})
	})
	g.Go(func() error {
		p := ec2.NewDescribeNetworkAclsPaginator(client, &ec2.DescribeNetworkAclsInput{MaxResults: aws.Int32(100)})
		return pages(ctx, "describe network acls", p.HasMorePages, p.NextPage, func(o *ec2.DescribeNetworkAclsOutput) {
			for _, a := range o.NetworkAcls {
				m.add(m.acls, aws.ToString(a.VpcId), aws.ToString(a.NetworkAclId))
			}
		})
	})
	g.Go(func() error {
		p := ec2.NewDescribeFlowLogsPaginator(client, &ec2.DescribeFlowLogsInput{MaxResults: aws.Int32(1000)})
		return pages(ctx, "describe flow logs", p.HasMorePages, p.NextPage, func(o *ec2.DescribeFlowLogsOutput) {
			for _, f := range o.FlowLogs {
				m.add(m.flowLogs, aws.ToString(f.ResourceId), aws.ToString(f.FlowLogId))
			}
		})
	})
	g.Go(func() error {
		p := ec2.NewDescribeVpcPeeringConnectionsPaginator(client, &ec2.DescribeVpcPeeringConnectionsInput{MaxResults: aws.Int32(1000)})
		return pages(ctx, "describe vpc peering connections", p.HasMorePages, p.NextPage, func(o *ec2.DescribeVpcPeeringConnectionsOutput) {
			for _, pc := range o.VpcPeeringConnections {
				id := aws.ToString(pc.VpcPeeringConnectionId)
				if pc.AccepterVpcInfo != nil {
					m.add(m.peerings, aws.ToString(pc.AccepterVpcInfo.VpcId), id)
				}
				if pc.RequesterVpcInfo != nil {
					m.add(m.peerings, aws.ToString(pc.RequesterVpcInfo.VpcId), id)
				}
			}
		})
	})
	g.Go(func() error {
		p := ec2.NewDescribeInternetGatewaysPaginator(client, &ec2.DescribeInternetGatewaysInput{MaxResults: aws.Int32(1000)})
		return pages(ctx, "describe internet gateways", p.HasMorePages, p.NextPage, func(o *ec2.DescribeInternetGatewaysOutput) {
			m.mu.Lock()
			defer m.mu.Unlock()
			for _, gw := range o.InternetGateways {
				for _, a := range gw.Attachments {
					if vpc := aws.ToString(a.VpcId); vpc != "" {
						m.gateways[vpc] = igw{id: aws.ToString(gw.InternetGatewayId), state: string(a.State), tags: gw.Tags}
					}
				}
			}
		})
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	for _, l := range []map[string][]string{m.subnets, m.routeTables, m.acls, m.flowLogs, m.peerings} {
		for _, ids := range l {
			slices.Sort(ids)
		}
	}
	return m, nil
}

// pages walks a paginator, handing each page to handle; what names the
// listing in the error.
func pages[P any](ctx context.Context, what string, hasMore func() bool, next func(context.Context, ...func(*ec2.Options)) (P, error), handle func(P)) error {
	err := watch.Paginate(ctx, hasMore, func(ctx context.Context) (P, error) { return next(ctx) }, func(p P) error {
		handle(p)
		return nil
	})
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}
