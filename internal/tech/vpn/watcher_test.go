package vpn

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
	"github.com/secmonkey/monkey/internal/watch/watchtest"
)

func TestWatcherNormalizeGolden(t *testing.T) {
	t.Parallel()
	changed := time.Date(2019, 3, 4, 5, 6, 7, 890000000, time.UTC)
	for name, v := range map[string]types.VpnConnection{
		"full": {VpnConnectionId: aws.String("vpn-0123456789abcdef0"), State: types.VpnStateAvailable, Type: types.GatewayTypeIpsec1,
			CustomerGatewayId: aws.String("cgw-1"), VpnGatewayId: aws.String("vgw-1"), Category: aws.String("VPN"),
			CustomerGatewayConfiguration: aws.String("<vpn_connection><pre_shared_key>secret</pre_shared_key></vpn_connection>"),
			Options: &types.VpnConnectionOptions{StaticRoutesOnly: aws.Bool(true), TunnelInsideIpVersion: types.TunnelInsideIpVersionIpv4,
				TunnelOptions: []types.TunnelOption{{OutsideIpAddress: aws.String("34.0.0.1"), PreSharedKey: aws.String("secret"), TunnelInsideCidr: aws.String("169.254.0.0/30")}}},
			Routes: []types.VpnStaticRoute{{DestinationCidrBlock: aws.String("192.168.0.0/24"), Source: types.VpnStaticRouteSourceStatic, State: types.VpnStateAvailable}},
			Tags:   []types.Tag{{Key: aws.String("Name"), Value: aws.String("office")}},
			VgwTelemetry: []types.VgwTelemetry{
				{OutsideIpAddress: aws.String("34.0.0.1"), Status: types.TelemetryStatusUp, StatusMessage: aws.String("2 BGP ROUTES"), AcceptedRouteCount: aws.Int32(2), LastStatusChange: aws.Time(changed)},
				{OutsideIpAddress: aws.String("34.0.0.2"), Status: types.TelemetryStatusDown, AcceptedRouteCount: aws.Int32(0), LastStatusChange: aws.Time(changed), CertificateArn: aws.String("arn:aws:acm:x")},
			}},
		"bare": {VpnConnectionId: aws.String("vpn-00000000000000001")},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			arn := vpnARN("us-east-1", "123456789012", aws.ToString(v.VpnConnectionId))
			cfg := normalize(&v, arn)
			b, err := json.Marshal(cfg)
			require.NoError(t, err)
			require.NotContains(t, string(b), "secret", "no pre-shared key is stored")
			watchtest.Golden(t, "watcher_"+name+".golden.json", map[string]any{"name": itemName(&v), "config": cfg})
		})
	}
}

func TestWatcherSim(t *testing.T) {
	t.Parallel()
	const items = 14
	sim := watchtest.StartSim(t, awssim.Options{Accounts: 1, Seed: 37, Items: items})
	scope := sim.Scope(t, 0)
	res := watchtest.Run(t, NewWatcher(), scope)
	require.Len(t, res.Items, items)
	regions := map[string]bool{}
	named, down := 0, 0
	for _, it := range res.Items {
		regions[it.Region] = true
		watchtest.RequireKeys(t, it.Config, []string{"VpnConnectionId", "State", "Type", "CustomerGatewayId", "Category", "Options", "Routes", "Tags", "VgwTelemetry", "Arn"},
			[]string{"VpnGatewayId", "TransitGatewayId"})
		id := it.Config["VpnConnectionId"].(string)
		require.Equal(t, "arn:aws:ec2:"+it.Region+":"+scope.Account.Identifier+":vpn-connection/"+id, it.ARN)
		require.Equal(t, it.ARN, it.Config["Arn"])
		require.NotContains(t, it.Config, "CustomerGatewayConfiguration")
		b, err := json.Marshal(it.Config)
		require.NoError(t, err)
		require.NotContains(t, string(b), "sim-psk-", "no pre-shared key is stored")
		require.NotContains(t, string(b), "PreSharedKey")
		if it.Name != id {
			named++
			require.True(t, strings.HasPrefix(it.Name, "sim-vpn-"))
		}
		for _, tl := range it.Config["VgwTelemetry"].([]any) {
			m := tl.(map[string]any)
			require.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`, m["LastStatusChange"])
			if m["Status"] == "DOWN" {
				down++
			}
		}
	}
	require.Len(t, regions, 3, "every region, not the default region only")
	require.Equal(t, 7, named)
	require.Equal(t, 4+2*3, down, "one tunnel down for k%4 == 1, both for k%4 == 3")

	scope.Ignore = []string{"sim-vpn-1"}
	res, err := NewWatcher().Collect(context.Background(), scope)
	require.NoError(t, err)
	require.Len(t, res.Items, items-2, "sim-vpn-10 and sim-vpn-12")
}

func TestWatcherSimFaults(t *testing.T) {
	t.Parallel()
	t.Run("ec2 fails", func(t *testing.T) {
		t.Parallel()
		watchtest.ServiceFails(t, NewWatcher(), awssim.Options{Accounts: 2, Seed: 37, Items: 5}, "ec2", "us-east-1", "x")
	})
	t.Run("failing region", func(t *testing.T) {
		t.Parallel()
		sim := watchtest.StartSim(t, awssim.Options{Accounts: 2, Seed: 37, Items: 9})
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
		got := watchtest.Throttled(t, NewWatcher(), awssim.Options{Accounts: 2, Seed: 37, Items: 30})
		require.Len(t, got.Items, 30)
	})
}

func BenchmarkWatcherCollectSim10000(b *testing.B) {
	watchtest.BenchmarkCollect(b, NewWatcher(), "ec2", 10000)
}
