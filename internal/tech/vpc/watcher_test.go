package vpc

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/tech/flowlog"
	"github.com/secmonkey/monkey/internal/tech/subnet"
	"github.com/secmonkey/monkey/internal/watch/watchtest"
)

func TestWatcherNormalizeGolden(t *testing.T) {
	t.Parallel()
	full := types.Vpc{VpcId: aws.String("vpc-0123456789abcdef0"), OwnerId: aws.String("123456789012"), State: types.VpcStateAvailable,
		CidrBlock: aws.String("10.0.0.0/16"), DhcpOptionsId: aws.String("dopt-1"), InstanceTenancy: types.TenancyDefault, IsDefault: aws.Bool(true),
		CidrBlockAssociationSet: []types.VpcCidrBlockAssociation{{AssociationId: aws.String("vpc-cidr-assoc-1"), CidrBlock: aws.String("10.0.0.0/16"),
			CidrBlockState: &types.VpcCidrBlockState{State: types.VpcCidrBlockStateCodeAssociated}}},
		Ipv6CidrBlockAssociationSet: []types.VpcIpv6CidrBlockAssociation{{AssociationId: aws.String("vpc-cidr-assoc-2"), Ipv6CidrBlock: aws.String("2600:1f18::/56"),
			Ipv6CidrBlockState: &types.VpcCidrBlockState{State: types.VpcCidrBlockStateCodeAssociated}, NetworkBorderGroup: aws.String("us-east-1")}},
		Tags: []types.Tag{{Key: aws.String("Name"), Value: aws.String("prod")}, {Key: aws.String("vpcnat"), Value: aws.String("198.18.0.1/32")}}}
	members := vpcMembers{subnets: []string{"subnet-1", "subnet-2"}, routeTables: []string{"rtb-1"}, acls: []string{"acl-1"},
		flowLogs: []string{"fl-1"}, peerings: []string{"pcx-1"},
		gateway: &igw{id: "igw-1", state: "available", tags: []types.Tag{{Key: aws.String("Name"), Value: aws.String("gw")}}}}
	bare := types.Vpc{VpcId: aws.String("vpc-00000000000000001")}
	for name, tc := range map[string]struct {
		v types.Vpc
		a attrs
		m vpcMembers
	}{
		"full": {full, attrs{dnsHostnames: aws.Bool(true), dnsSupport: aws.Bool(false)}, members},
		"bare": {bare, attrs{}, vpcMembers{}},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			arn := vpcARN("us-east-1", "123456789012", aws.ToString(tc.v.VpcId))
			watchtest.Golden(t, "watcher_"+name+".golden.json", map[string]any{"name": itemName(&tc.v), "config": normalize(&tc.v, arn, "us-east-1", tc.a, tc.m)})
		})
	}
}

var keys = []string{"Arn", "Id", "Name", "Region", "Tags", "IsDefault", "InstanceTenancy", "DhcpOptionsId", "CidrBlock",
	"CidrBlockAssociationSet", "Ipv6CidrBlockAssociationSet", "Attributes", "InternetGateway", "ClassicLink",
	"VpcPeeringConnections", "Subnets", "RouteTables", "NetworkAcls", "FlowLogs", "_version"}

// TestWatcherSim: the VPCs and, through the listings of the other VPC
// technologies, the ids of their members, which those watchers see too.
func TestWatcherSim(t *testing.T) {
	t.Parallel()
	const items = 14
	sim := watchtest.StartSim(t, awssim.Options{Accounts: 2, Seed: 26, Items: items})
	scope := sim.Scope(t, 0)
	res := watchtest.Run(t, NewWatcher(), scope)
	require.Len(t, res.Items, items)

	subnets, err := subnet.NewWatcher().Collect(context.Background(), scope)
	require.NoError(t, err)
	subnetVPC := map[string]string{}
	for _, s := range subnets.Items {
		subnetVPC[s.Config["id"].(string)] = s.Config["vpc_id"].(string)
	}
	flowLogs, err := flowlog.NewWatcher().Collect(context.Background(), scope)
	require.NoError(t, err)
	flowLogResource := map[string]string{}
	for _, f := range flowLogs.Items {
		flowLogResource[f.Config["flow_log_id"].(string)] = f.Config["resource_id"].(string)
	}

	var unnamed, withFlowLogs, withIGW, nat, members int
	for _, it := range res.Items {
		watchtest.RequireKeys(t, it.Config, keys, nil)
		id := it.Config["Id"].(string)
		require.Equal(t, "arn:aws:ec2:"+it.Region+":"+scope.Account.Identifier+":vpc/"+id, it.ARN)
		require.Equal(t, it.ARN, it.Config["Arn"])
		require.Equal(t, it.Region, it.Config["Region"])
		if it.Config["Name"] == nil {
			unnamed++
			require.Equal(t, "None ("+id+")", it.Name)
		} else {
			require.Equal(t, it.Config["Name"].(string)+" ("+id+")", it.Name)
		}
		attrs := it.Config["Attributes"].(map[string]any)
		require.Contains(t, attrs, "EnableDnsHostnames")
		require.Contains(t, attrs, "EnableDnsSupport")
		require.Equal(t, map[string]any{}, it.Config["ClassicLink"])
		for _, s := range it.Config["Subnets"].([]any) {
			require.Equal(t, id, subnetVPC[s.(string)], "a subnet of the VPC")
			members++
		}
		for _, f := range it.Config["FlowLogs"].([]any) {
			require.Equal(t, id, flowLogResource[f.(string)])
		}
		if len(it.Config["FlowLogs"].([]any)) > 0 {
			withFlowLogs++
		}
		if len(it.Config["InternetGateway"].(map[string]any)) > 0 {
			withIGW++
			require.Equal(t, "available", it.Config["InternetGateway"].(map[string]any)["State"])
		}
		for _, k := range []string{"Subnets", "RouteTables", "NetworkAcls", "VpcPeeringConnections", "FlowLogs"} {
			l := it.Config[k].([]any)
			require.True(t, slices.IsSortedFunc(l, func(a, b any) int { return compare(a.(string), b.(string)) }), "%s sorted", k)
		}
		for _, f := range Facts(it.Name, it.Config) {
			if f.Kind == "cidr" && f.Value != it.Config["CidrBlock"] {
				nat++
			}
		}
	}
	require.Equal(t, 4, unnamed)
	require.Equal(t, 5, withFlowLogs, "flow logs 0, 3, 6, 9, 12 watch their VPC")
	require.Equal(t, 9, withIGW)
	require.Equal(t, 4, nat, "two vpcnat CIDRs on VPCs 4 and 10")
	require.Equal(t, 14, members, "every subnet is in a VPC")

	scope.Ignore = []string{"sim-vpc-1", "None"}
	res, err = NewWatcher().Collect(context.Background(), scope)
	require.NoError(t, err)
	require.Len(t, res.Items, items-4-4, "sim-vpc-1, -10, -12, -13 and the four unnamed VPCs")
}

func compare(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// TestWatcherVPCAttributeFails: a VPC whose attributes cannot be read is an
// item failure, the others are collected.
func TestWatcherVPCAttributeFails(t *testing.T) {
	t.Parallel()
	sim := watchtest.StartSim(t, awssim.Options{Accounts: 1, Seed: 26, Items: 6})
	scope := sim.Scope(t, 0)
	all := watchtest.Run(t, NewWatcher(), scope)
	failing := map[string]string{all.Items[0].Config["Id"].(string): all.Items[0].Name, all.Items[4].Config["Id"].(string): all.Items[4].Name}
	w := NewWatcher(withClient(func(cfg aws.Config) ec2API { return failAttribute{NewWatcher().newClient(cfg), failing} }))
	res, err := w.Collect(context.Background(), scope)
	require.NoError(t, err)
	require.Len(t, res.Items, 4)
	require.Len(t, res.Failures, 2)
	for _, f := range res.Failures {
		require.Contains(t, []string{all.Items[0].Name, all.Items[4].Name}, f.Name)
		require.ErrorContains(t, f.Err, "describe vpc attribute")
	}
}

// failAttribute fails DescribeVpcAttribute for some VPCs.
type failAttribute struct {
	ec2API
	ids map[string]string
}

func (f failAttribute) DescribeVpcAttribute(ctx context.Context, in *ec2.DescribeVpcAttributeInput, o ...func(*ec2.Options)) (*ec2.DescribeVpcAttributeOutput, error) {
	if _, ok := f.ids[aws.ToString(in.VpcId)]; ok {
		return nil, errors.New("boom")
	}
	return f.ec2API.DescribeVpcAttribute(ctx, in, o...)
}

func TestWatcherSimFaults(t *testing.T) {
	t.Parallel()
	t.Run("ec2 fails", func(t *testing.T) {
		t.Parallel()
		watchtest.ServiceFails(t, NewWatcher(), awssim.Options{Accounts: 2, Seed: 26, Items: 5}, "ec2", "us-east-1", "x")
	})
	t.Run("failing region", func(t *testing.T) {
		t.Parallel()
		sim := watchtest.StartSim(t, awssim.Options{Accounts: 2, Seed: 26, Items: 9})
		scope := sim.Scope(t, 1)
		require.NoError(t, sim.Server.SetFaults(awssim.Faults{FailRegions: []string{"eu-west-1"}}))
		res, err := NewWatcher().Collect(context.Background(), scope)
		require.NoError(t, err)
		require.Len(t, res.Failures, 1)
		require.Equal(t, "eu-west-1", res.Failures[0].Region)
		require.Empty(t, res.Failures[0].Name)
		require.Len(t, res.Items, 6)
	})
	t.Run("throttled", func(t *testing.T) {
		t.Parallel()
		// Three VPCs: nine calls per region (decisions.md 43).
		got := watchtest.Throttled(t, NewWatcher(), awssim.Options{Accounts: 2, Seed: 26, Items: 3})
		require.Len(t, got.Items, 3)
	})
}

func BenchmarkWatcherCollectSim10000(b *testing.B) {
	watchtest.BenchmarkCollect(b, NewWatcher(), "ec2", 10000)
}

// TestFacts: the known VPCs and CIDRs of technologies.md Part E, in both
// spellings (the cases of the reference's object store).
func TestFacts(t *testing.T) {
	t.Parallel()
	kr := func(kind, v string) monkey.KnownResource { return monkey.KnownResource{Kind: kind, Value: v} }
	for _, tc := range []struct {
		cfg  monkey.Config
		want []monkey.KnownResource
	}{
		{monkey.Config{"Id": "vpc-1", "CidrBlock": "10.0.0.0/16", "Tags": []any{
			map[string]any{"Key": "vpcnat", "Value": "1.2.3.4, 5.6.7.8/32 ,"}, map[string]any{"Key": "Name", "Value": "x"}}},
			[]monkey.KnownResource{kr("vpc", "vpc-1"), kr("cidr", "10.0.0.0/16"), kr("cidr", "1.2.3.4"), kr("cidr", "5.6.7.8/32")}},
		{monkey.Config{"id": "vpc-2", "cidr_block": "10.1.0.0/16", "tags": map[string]any{"vpcnat": "9.9.9.9"}},
			[]monkey.KnownResource{kr("vpc", "vpc-2"), kr("cidr", "10.1.0.0/16"), kr("cidr", "9.9.9.9")}},
		{monkey.Config{"Id": "vpc-3", "CidrBlock": "10.2.0.0/16", "Tags": "junk", "tags": []any{"junk"}},
			[]monkey.KnownResource{kr("vpc", "vpc-3"), kr("cidr", "10.2.0.0/16")}},
		{monkey.Config{"Id": 3, "CidrBlock": nil}, nil},
	} {
		require.Equal(t, tc.want, Plugin().Facts("v", tc.cfg), "%v", tc.cfg)
	}
}
