package awssim_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
)

func vpnConnections(t *testing.T, c *ec2.Client) []ec2types.VpnConnection {
	t.Helper()
	out, err := c.DescribeVpnConnections(context.Background(), &ec2.DescribeVpnConnectionsInput{})
	require.NoError(t, err)
	return out.VpnConnections
}

func vpnGateways(t *testing.T, c *ec2.Client) []ec2types.VpnGateway {
	t.Helper()
	out, err := c.DescribeVpnGateways(context.Background(), &ec2.DescribeVpnGatewaysInput{})
	require.NoError(t, err)
	return out.VpnGateways
}

func TestEC2VPNConnections(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 39, Items: 24, Accounts: 1})
	var down, transit, static int
	for _, region := range simRegions {
		gateways := map[string]bool{}
		for _, g := range vpnGateways(t, regionClient(b.cfg, region)) {
			gateways[aws.ToString(g.VpnGatewayId)] = true
		}
		for _, v := range vpnConnections(t, regionClient(b.cfg, region)) {
			require.Regexp(t, `^vpn-[0-9a-f]{17}$`, aws.ToString(v.VpnConnectionId))
			require.Contains(t, aws.ToString(v.CustomerGatewayConfiguration), "<pre_shared_key>")
			require.Equal(t, ec2types.VpnStateAvailable, v.State)
			if aws.ToString(v.TransitGatewayId) != "" {
				transit++
				require.Empty(t, aws.ToString(v.VpnGatewayId))
			} else {
				require.True(t, gateways[aws.ToString(v.VpnGatewayId)], "a VPN gateway of its region")
			}
			require.Len(t, v.VgwTelemetry, 2)
			for _, tl := range v.VgwTelemetry {
				require.NotEmpty(t, aws.ToString(tl.OutsideIpAddress))
				require.NotNil(t, tl.LastStatusChange)
				if tl.Status == ec2types.TelemetryStatusDown {
					down++
					require.Equal(t, "IPSEC IS DOWN", aws.ToString(tl.StatusMessage))
				}
			}
			require.Len(t, v.Options.TunnelOptions, 2)
			require.NotEmpty(t, aws.ToString(v.Options.TunnelOptions[0].PreSharedKey))
			if aws.ToBool(v.Options.StaticRoutesOnly) {
				static++
				require.Len(t, v.Routes, 1)
			}
		}
	}
	require.Equal(t, 6+2*6, down, "k%4 == 1: one tunnel down; k%4 == 3: both")
	require.Equal(t, 8, transit)
	require.Equal(t, 12, static)

	id := b.srv.AccountIDs()[0]
	c := regionClient(b.cfg, "us-east-1")
	before := vpnConnections(t, c)
	_, err := b.srv.Mutate(id, "vpn", 1)
	require.NoError(t, err)
	v, _ := tagValue(vpnConnections(t, c)[0].Tags, "sim:mutation")
	require.Equal(t, "1", v)
	_, err = b.srv.Create(id, "vpn", 1)
	require.NoError(t, err)
	require.Len(t, vpnConnections(t, c), len(before)+1)
	_, err = b.srv.Delete(id, "vpn", 2)
	require.NoError(t, err)
	require.Len(t, vpnConnections(t, c), len(before))
	require.Len(t, vpnConnections(t, regionClient(b.cfg, "eu-west-1")), 7)
}

func TestEC2VPNGateways(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 40, Items: 24, Accounts: 1})
	all := regionVPCs(t, b.cfg)
	detached := 0
	for _, region := range simRegions {
		for _, g := range vpnGateways(t, regionClient(b.cfg, region)) {
			require.Regexp(t, `^vgw-[0-9a-f]{17}$`, aws.ToString(g.VpnGatewayId))
			require.Equal(t, ec2types.GatewayTypeIpsec1, g.Type)
			require.Equal(t, ec2types.VpnStateAvailable, g.State)
			if len(g.VpcAttachments) == 0 {
				detached++
				continue
			}
			require.Equal(t, region, all[aws.ToString(g.VpcAttachments[0].VpcId)])
			require.Equal(t, ec2types.AttachmentStatusAttached, g.VpcAttachments[0].State)
		}
	}
	require.Equal(t, 6, detached)

	id := b.srv.AccountIDs()[0]
	c := regionClient(b.cfg, "us-east-1")
	before := vpnGateways(t, c)
	_, err := b.srv.Mutate(id, "virtual_gateway", 1)
	require.NoError(t, err)
	after := vpnGateways(t, c)
	require.Len(t, after[0].VpcAttachments, len(before[0].VpcAttachments)+1)
	require.Equal(t, ec2types.AttachmentStatusDetached, after[0].VpcAttachments[1].State)
	_, err = b.srv.Delete(id, "virtual_gateway", 1)
	require.NoError(t, err)
	require.Len(t, vpnGateways(t, regionClient(b.cfg, "eu-west-1")), 7)
}
