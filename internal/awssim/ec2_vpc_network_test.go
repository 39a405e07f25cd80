package awssim_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
)

// The resources of the VPC technologies other than vpc itself: every one
// lives in a VPC of its own region; pages of 5; mutations, deletions and
// creations show in the next reply.

// listAll pages an EC2 listing of one region with pages of 5 and returns
// its items; page extracts the items and the next token.
func listAll[T any](t *testing.T, call func(token *string) ([]T, *string, error)) []T {
	t.Helper()
	var out []T
	var token *string
	for pages := 0; ; pages++ {
		items, next, err := call(token)
		require.NoError(t, err)
		out = append(out, items...)
		if aws.ToString(next) == "" {
			return out
		}
		require.Less(t, pages, 1000)
		token = next
	}
}

func subnets(t *testing.T, c *ec2.Client) []ec2types.Subnet {
	return listAll(t, func(tok *string) ([]ec2types.Subnet, *string, error) {
		o, err := c.DescribeSubnets(context.Background(), &ec2.DescribeSubnetsInput{MaxResults: aws.Int32(5), NextToken: tok})
		if err != nil {
			return nil, nil, err
		}
		return o.Subnets, o.NextToken, nil
	})
}

func routeTables(t *testing.T, c *ec2.Client) []ec2types.RouteTable {
	return listAll(t, func(tok *string) ([]ec2types.RouteTable, *string, error) {
		o, err := c.DescribeRouteTables(context.Background(), &ec2.DescribeRouteTablesInput{MaxResults: aws.Int32(5), NextToken: tok})
		if err != nil {
			return nil, nil, err
		}
		return o.RouteTables, o.NextToken, nil
	})
}

func networkACLs(t *testing.T, c *ec2.Client) []ec2types.NetworkAcl {
	return listAll(t, func(tok *string) ([]ec2types.NetworkAcl, *string, error) {
		o, err := c.DescribeNetworkAcls(context.Background(), &ec2.DescribeNetworkAclsInput{MaxResults: aws.Int32(5), NextToken: tok})
		if err != nil {
			return nil, nil, err
		}
		return o.NetworkAcls, o.NextToken, nil
	})
}

func dhcpOptions(t *testing.T, c *ec2.Client) []ec2types.DhcpOptions {
	return listAll(t, func(tok *string) ([]ec2types.DhcpOptions, *string, error) {
		o, err := c.DescribeDhcpOptions(context.Background(), &ec2.DescribeDhcpOptionsInput{MaxResults: aws.Int32(5), NextToken: tok})
		if err != nil {
			return nil, nil, err
		}
		return o.DhcpOptions, o.NextToken, nil
	})
}

func peerings(t *testing.T, c *ec2.Client) []ec2types.VpcPeeringConnection {
	return listAll(t, func(tok *string) ([]ec2types.VpcPeeringConnection, *string, error) {
		o, err := c.DescribeVpcPeeringConnections(context.Background(), &ec2.DescribeVpcPeeringConnectionsInput{MaxResults: aws.Int32(5), NextToken: tok})
		if err != nil {
			return nil, nil, err
		}
		return o.VpcPeeringConnections, o.NextToken, nil
	})
}

func endpoints(t *testing.T, c *ec2.Client) []ec2types.VpcEndpoint {
	return listAll(t, func(tok *string) ([]ec2types.VpcEndpoint, *string, error) {
		o, err := c.DescribeVpcEndpoints(context.Background(), &ec2.DescribeVpcEndpointsInput{MaxResults: aws.Int32(5), NextToken: tok})
		if err != nil {
			return nil, nil, err
		}
		return o.VpcEndpoints, o.NextToken, nil
	})
}

func flowLogs(t *testing.T, c *ec2.Client) []ec2types.FlowLog {
	return listAll(t, func(tok *string) ([]ec2types.FlowLog, *string, error) {
		o, err := c.DescribeFlowLogs(context.Background(), &ec2.DescribeFlowLogsInput{MaxResults: aws.Int32(5), NextToken: tok})
		if err != nil {
			return nil, nil, err
		}
		return o.FlowLogs, o.NextToken, nil
	})
}

func natGateways(t *testing.T, c *ec2.Client) []ec2types.NatGateway {
	return listAll(t, func(tok *string) ([]ec2types.NatGateway, *string, error) {
		o, err := c.DescribeNatGateways(context.Background(), &ec2.DescribeNatGatewaysInput{MaxResults: aws.Int32(5), NextToken: tok})
		if err != nil {
			return nil, nil, err
		}
		return o.NatGateways, o.NextToken, nil
	})
}

// changes mutates item 0, deletes the last item and creates one of tech in
// the first account, and returns the listings of us-east-1 (item 0 and the
// created item 24) and eu-west-1 (the deleted item 23) before and after.
func changes[T any](t *testing.T, b *testBundle, tech string, list func(t *testing.T, c *ec2.Client) []T) (east, eastAfter, west, westAfter []T) {
	t.Helper()
	id := b.srv.AccountIDs()[0]
	east, west = list(t, regionClient(b.cfg, "us-east-1")), list(t, regionClient(b.cfg, "eu-west-1"))
	_, err := b.srv.Mutate(id, tech, 1)
	require.NoError(t, err)
	_, err = b.srv.Delete(id, tech, 1)
	require.NoError(t, err)
	_, err = b.srv.Create(id, tech, 1)
	require.NoError(t, err)
	eastAfter, westAfter = list(t, regionClient(b.cfg, "us-east-1")), list(t, regionClient(b.cfg, "eu-west-1"))
	require.Len(t, eastAfter, len(east)+1, "%s: created", tech)
	require.Len(t, westAfter, len(west)-1, "%s: deleted", tech)
	return east, eastAfter, west, westAfter
}

func TestEC2Subnets(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 31, Items: 24, Accounts: 1})
	all := regionVPCs(t, b.cfg)
	public, named := 0, 0
	for _, region := range simRegions {
		for k, s := range subnets(t, regionClient(b.cfg, region)) {
			require.Regexp(t, `^subnet-[0-9a-f]{17}$`, aws.ToString(s.SubnetId))
			require.Equal(t, region, all[aws.ToString(s.VpcId)], "a VPC of its region")
			require.True(t, strings.HasPrefix(aws.ToString(s.AvailabilityZone), region))
			require.Regexp(t, `^10\.\d+\.\d+\.0/24$`, aws.ToString(s.CidrBlock))
			require.Equal(t, k == 0, aws.ToBool(s.DefaultForAz))
			require.Equal(t, ec2types.SubnetStateAvailable, s.State)
			require.NotNil(t, s.MapPublicIpOnLaunch)
			if aws.ToBool(s.MapPublicIpOnLaunch) {
				public++
			}
			if _, ok := tagValue(s.Tags, "Name"); ok {
				named++
			}
		}
	}
	require.Equal(t, 6, public)
	require.Equal(t, 12, named)
	// The region's subnet is the one instances run in.
	inst := instances(t, b.cfg)["us-west-2"]
	require.Equal(t, aws.ToString(subnets(t, regionClient(b.cfg, "us-west-2"))[0].SubnetId), aws.ToString(inst[0].SubnetId))

	east, after, _, _ := changes(t, b, "subnet", subnets)
	require.Equal(t, east[0].SubnetId, after[0].SubnetId)
	v, _ := tagValue(after[0].Tags, "sim:mutation")
	require.Equal(t, "1", v)
}

func TestEC2RouteTables(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 32, Items: 24, Accounts: 1})
	all := regionVPCs(t, b.cfg)
	var main, igw, nat, pcx int
	for _, region := range simRegions {
		for _, rt := range routeTables(t, regionClient(b.cfg, region)) {
			require.Regexp(t, `^rtb-[0-9a-f]{17}$`, aws.ToString(rt.RouteTableId))
			require.Equal(t, region, all[aws.ToString(rt.VpcId)])
			require.GreaterOrEqual(t, len(rt.Routes), 2)
			require.Equal(t, "local", aws.ToString(rt.Routes[0].GatewayId))
			r := rt.Routes[1]
			switch {
			case strings.HasPrefix(aws.ToString(r.GatewayId), "igw-"):
				igw++
			case aws.ToString(r.NatGatewayId) != "":
				nat++
			case aws.ToString(r.VpcPeeringConnectionId) != "":
				pcx++
			}
			require.Equal(t, ec2types.RouteStateActive, r.State)
			require.Len(t, rt.Associations, 1)
			if aws.ToBool(rt.Associations[0].Main) {
				main++
			} else {
				require.Regexp(t, `^subnet-`, aws.ToString(rt.Associations[0].SubnetId))
			}
		}
	}
	require.Equal(t, 6, main)
	require.Equal(t, 8, igw)
	require.Equal(t, 8, nat)
	require.Equal(t, 8, pcx)
	_, err := regionClient(b.cfg, "us-east-1").DescribeRouteTables(context.Background(), &ec2.DescribeRouteTablesInput{MaxResults: aws.Int32(101)})
	require.Equal(t, "InvalidParameterValue", apiCode(t, err), "100 a page at most")

	east, after, _, _ := changes(t, b, "routetable", routeTables)
	require.Len(t, after[0].Routes, len(east[0].Routes)+1)
	require.Equal(t, "172.31.1.0/24", aws.ToString(after[0].Routes[len(east[0].Routes)].DestinationCidrBlock))
}

func TestEC2NetworkACLs(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 33, Items: 24, Accounts: 1})
	all := regionVPCs(t, b.cfg)
	var defaults, ssh int
	for _, region := range simRegions {
		for _, acl := range networkACLs(t, regionClient(b.cfg, region)) {
			require.Regexp(t, `^acl-[0-9a-f]{17}$`, aws.ToString(acl.NetworkAclId))
			require.Equal(t, region, all[aws.ToString(acl.VpcId)])
			require.GreaterOrEqual(t, len(acl.Entries), 4)
			if aws.ToBool(acl.IsDefault) {
				defaults++
				require.Empty(t, acl.Associations)
			} else {
				require.Len(t, acl.Associations, 1)
				require.Equal(t, acl.NetworkAclId, acl.Associations[0].NetworkAclId)
			}
			for _, e := range acl.Entries {
				require.NotNil(t, e.RuleNumber)
				require.NotEmpty(t, e.RuleAction)
				if e.PortRange != nil && aws.ToInt32(e.PortRange.From) == 22 && aws.ToString(e.CidrBlock) == "0.0.0.0/0" {
					ssh++
				}
				if aws.ToString(e.Protocol) == "1" {
					require.Equal(t, int32(-1), aws.ToInt32(e.IcmpTypeCode.Type))
				}
			}
		}
	}
	require.Equal(t, 6, defaults)
	require.Equal(t, 6, ssh)
	_, err := regionClient(b.cfg, "us-east-1").DescribeNetworkAcls(context.Background(), &ec2.DescribeNetworkAclsInput{MaxResults: aws.Int32(101)})
	require.Equal(t, "InvalidParameterValue", apiCode(t, err), "100 a page at most")

	east, after, _, _ := changes(t, b, "networkacl", networkACLs)
	require.Len(t, after[0].Entries, len(east[0].Entries)+1)
	require.Equal(t, int32(201), aws.ToInt32(after[0].Entries[len(east[0].Entries)].RuleNumber))
}

func TestEC2DHCPOptions(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 34, Items: 24, Accounts: 1})
	keys := map[string]int{}
	for _, region := range simRegions {
		for _, d := range dhcpOptions(t, regionClient(b.cfg, region)) {
			require.Regexp(t, `^dopt-[0-9a-f]{17}$`, aws.ToString(d.DhcpOptionsId))
			for _, c := range d.DhcpConfigurations {
				keys[aws.ToString(c.Key)]++
				require.NotEmpty(t, c.Values)
			}
		}
	}
	require.Equal(t, map[string]int{"domain-name": 24, "domain-name-servers": 24, "ntp-servers": 6, "netbios-name-servers": 5, "netbios-node-type": 5}, keys)
	// Every VPC names an option set of its region.
	for _, region := range simRegions {
		ids := map[string]bool{}
		for _, d := range dhcpOptions(t, regionClient(b.cfg, region)) {
			ids[aws.ToString(d.DhcpOptionsId)] = true
		}
		for _, v := range vpcs(t, b.cfg, region) {
			require.True(t, ids[aws.ToString(v.DhcpOptionsId)], "VPC %s: options %s", aws.ToString(v.VpcId), aws.ToString(v.DhcpOptionsId))
		}
	}

	_, after, _, _ := changes(t, b, "dhcp", dhcpOptions)
	servers := after[0].DhcpConfigurations[1]
	require.Equal(t, "domain-name-servers", aws.ToString(servers.Key))
	require.Equal(t, "10.0.1.1", aws.ToString(servers.Values[len(servers.Values)-1].Value))
}

func TestEC2VPCPeeringConnections(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 35, Items: 24, Accounts: 2})
	all := regionVPCs(t, b.cfg)
	ids := b.srv.AccountIDs()
	var cross, inter, pending, tagged int
	for _, region := range simRegions {
		for _, p := range peerings(t, regionClient(b.cfg, region)) {
			require.Regexp(t, `^pcx-[0-9a-f]{17}$`, aws.ToString(p.VpcPeeringConnectionId))
			req, acc := p.RequesterVpcInfo, p.AccepterVpcInfo
			require.Equal(t, region, all[aws.ToString(req.VpcId)])
			require.Equal(t, ids[0], aws.ToString(req.OwnerId))
			require.NotEmpty(t, req.CidrBlockSet)
			switch {
			case aws.ToString(acc.OwnerId) == ids[1]:
				cross++
			case aws.ToString(acc.Region) != region:
				inter++
				require.Equal(t, aws.ToString(acc.Region), all[aws.ToString(acc.VpcId)])
			default:
				require.Equal(t, region, all[aws.ToString(acc.VpcId)])
				require.NotEqual(t, req.VpcId, acc.VpcId)
			}
			if p.Status.Code == ec2types.VpcPeeringConnectionStateReasonCodePendingAcceptance {
				pending++
				require.NotNil(t, p.ExpirationTime)
				require.Nil(t, req.PeeringOptions)
			} else {
				require.Equal(t, ec2types.VpcPeeringConnectionStateReasonCodeActive, p.Status.Code)
				require.NotNil(t, req.PeeringOptions)
			}
			if len(p.Tags) > 0 {
				tagged++
			}
		}
	}
	require.Equal(t, 8, cross)
	require.Equal(t, 8, inter)
	require.Equal(t, 4, pending)
	require.Equal(t, 12, tagged)

	east, after, _, _ := changes(t, b, "peering", peerings)
	require.Len(t, after[0].AccepterVpcInfo.CidrBlockSet, len(east[0].AccepterVpcInfo.CidrBlockSet)+1)
}

func TestEC2VPCEndpoints(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 36, Items: 24, Accounts: 1})
	all := regionVPCs(t, b.cfg)
	var gateway, nopolicy, open int
	for _, region := range simRegions {
		for _, e := range endpoints(t, regionClient(b.cfg, region)) {
			require.Regexp(t, `^vpce-[0-9a-f]{17}$`, aws.ToString(e.VpcEndpointId))
			require.Equal(t, region, all[aws.ToString(e.VpcId)])
			require.True(t, strings.HasPrefix(aws.ToString(e.ServiceName), "com.amazonaws."+region+"."))
			require.NotNil(t, e.CreationTimestamp)
			if e.VpcEndpointType == ec2types.VpcEndpointTypeGateway {
				gateway++
				require.Len(t, e.RouteTableIds, 1)
			} else {
				require.Empty(t, e.RouteTableIds)
				require.Len(t, e.SubnetIds, 1)
			}
			if aws.ToString(e.PolicyDocument) == "" {
				nopolicy++
				continue
			}
			var doc map[string]any
			require.NoError(t, json.Unmarshal([]byte(aws.ToString(e.PolicyDocument)), &doc))
			if strings.Contains(aws.ToString(e.PolicyDocument), `"Action":"*"`) {
				open++
			}
		}
	}
	require.Equal(t, 12, gateway)
	require.Equal(t, 4, nopolicy)
	require.Positive(t, open)

	east, after, _, _ := changes(t, b, "endpoint", endpoints)
	require.NotEqual(t, aws.ToString(east[0].PolicyDocument), aws.ToString(after[0].PolicyDocument))
	require.Contains(t, aws.ToString(after[0].PolicyDocument), "sim-mutation-1")
}

func TestEC2FlowLogs(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 37, Items: 24, Accounts: 1})
	all := regionVPCs(t, b.cfg)
	var onVPC, inactive, s3 int
	for _, region := range simRegions {
		for _, f := range flowLogs(t, regionClient(b.cfg, region)) {
			require.Regexp(t, `^fl-[0-9a-f]{17}$`, aws.ToString(f.FlowLogId))
			require.NotNil(t, f.CreationTime)
			res := aws.ToString(f.ResourceId)
			if strings.HasPrefix(res, "vpc-") {
				onVPC++
				require.Equal(t, region, all[res])
			} else {
				require.Regexp(t, `^subnet-`, res)
			}
			if aws.ToString(f.FlowLogStatus) != "ACTIVE" {
				inactive++
			}
			if aws.ToString(f.LogGroupName) == "" {
				s3++
				require.Equal(t, ec2types.LogDestinationTypeS3, f.LogDestinationType)
			} else {
				require.NotEmpty(t, aws.ToString(f.DeliverLogsPermissionArn))
			}
			require.NotEmpty(t, f.TrafficType)
		}
	}
	require.Equal(t, 8, onVPC)
	require.Equal(t, 4, inactive)
	require.Equal(t, 6, s3)

	_, after, _, _ := changes(t, b, "flowlog", flowLogs)
	require.True(t, strings.HasSuffix(aws.ToString(after[0].DeliverLogsPermissionArn), "-1"))
}

func TestEC2NATGateways(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 38, Items: 24, Accounts: 1})
	all := regionVPCs(t, b.cfg)
	states := map[ec2types.NatGatewayState]int{}
	private := 0
	for _, region := range simRegions {
		subnetVPC := map[string]string{}
		for _, s := range subnets(t, regionClient(b.cfg, region)) {
			subnetVPC[aws.ToString(s.SubnetId)] = aws.ToString(s.VpcId)
		}
		for _, n := range natGateways(t, regionClient(b.cfg, region)) {
			require.Regexp(t, `^nat-[0-9a-f]{17}$`, aws.ToString(n.NatGatewayId))
			require.Equal(t, region, all[aws.ToString(n.VpcId)])
			require.Equal(t, aws.ToString(n.VpcId), subnetVPC[aws.ToString(n.SubnetId)], "its subnet is in its VPC")
			states[n.State]++
			switch n.State {
			case ec2types.NatGatewayStateFailed:
				require.NotEmpty(t, aws.ToString(n.FailureCode))
				require.Empty(t, n.NatGatewayAddresses)
			case ec2types.NatGatewayStateDeleted:
				require.NotNil(t, n.DeleteTime)
			}
			if n.ConnectivityType == ec2types.ConnectivityTypePrivate {
				private++
			}
			for _, a := range n.NatGatewayAddresses {
				require.NotEmpty(t, aws.ToString(a.PrivateIp))
				require.Equal(t, n.ConnectivityType == ec2types.ConnectivityTypePublic, aws.ToString(a.PublicIp) != "")
			}
		}
	}
	require.Equal(t, map[ec2types.NatGatewayState]int{"available": 16, "failed": 5, "deleted": 3}, states)
	require.Equal(t, 6, private)

	east, after, _, _ := changes(t, b, "natgateway", natGateways)
	require.Len(t, after[0].NatGatewayAddresses, len(east[0].NatGatewayAddresses)+1)
}
