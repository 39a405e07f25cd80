package natgateway

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/watch/watchtest"
)

func TestWatcherNormalizeGolden(t *testing.T) {
	t.Parallel()
	created := time.Date(2019, 3, 4, 5, 6, 7, 0, time.UTC)
	for name, n := range map[string]types.NatGateway{
		"full": {NatGatewayId: aws.String("nat-0123456789abcdef0"), SubnetId: aws.String("subnet-1"), VpcId: aws.String("vpc-1"),
			State: types.NatGatewayStateDeleted, FailureCode: aws.String("Gateway.NotAttached"), FailureMessage: aws.String("no internet gateway"),
			CreateTime: aws.Time(created), DeleteTime: aws.Time(created.Add(48*time.Hour + 500*time.Microsecond)), ConnectivityType: types.ConnectivityTypePublic,
			NatGatewayAddresses: []types.NatGatewayAddress{
				{PublicIp: aws.String("54.0.0.1"), AllocationId: aws.String("eipalloc-1"), PrivateIp: aws.String("10.0.0.5"), NetworkInterfaceId: aws.String("eni-1"), IsPrimary: aws.Bool(true)},
				{PrivateIp: aws.String("10.0.254.1"), NetworkInterfaceId: aws.String("eni-1")},
			}},
		"bare": {NatGatewayId: aws.String("nat-00000000000000001")},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			watchtest.Golden(t, "watcher_"+name+".golden.json", map[string]any{"name": itemName(&n), "config": normalize(&n, "")})
		})
	}
}

func TestWatcherSim(t *testing.T) {
	t.Parallel()
	const items = 14
	sim := watchtest.StartSim(t, awssim.Options{Accounts: 1, Seed: 34, Items: items})
	scope := sim.Scope(t, 0)
	res := watchtest.Run(t, NewWatcher(), scope)
	require.Len(t, res.Items, items)
	states := map[string]int{}
	facts := 0
	for _, it := range res.Items {
		watchtest.RequireKeys(t, it.Config, []string{"id", "subnet_id", "vpc_id", "state", "failure_code", "failure_message",
			"create_time", "delete_time", "nat_gateway_addresses"}, nil)
		require.Equal(t, it.Name, it.Config["id"])
		require.Empty(t, it.ARN)
		states[it.Config["state"].(string)]++
		if it.Config["state"] != "deleted" {
			require.Equal(t, "None", it.Config["delete_time"])
		}
		facts += len(Facts(it.Name, it.Config))
	}
	require.Equal(t, map[string]int{"available": 9, "failed": 3, "deleted": 2}, states)
	require.Equal(t, 8*2+3, facts, "8 public gateways: a public and a private address; 3 private ones: a private address; failed ones: none")

	scope.Ignore = []string{res.Items[0].Name}
	res2, err := NewWatcher().Collect(context.Background(), scope)
	require.NoError(t, err)
	require.Len(t, res2.Items, items-1)
}

// TestFacts: the cases of the reference's known-CIDR table for NAT gateways
// (technologies.md Part E).
func TestFacts(t *testing.T) {
	t.Parallel()
	kr := func(v string) monkey.KnownResource { return monkey.KnownResource{Kind: "cidr", Value: v} }
	for _, tc := range []struct {
		cfg  monkey.Config
		want []monkey.KnownResource
	}{
		{monkey.Config{"nat_gateway_addresses": []any{map[string]any{"public_ip": "2.2.2.2", "private_ip": "10.0.0.2"}, "junk"}},
			[]monkey.KnownResource{kr("2.2.2.2"), kr("10.0.0.2")}},
		{monkey.Config{"nat_gateway_addresses": []any{map[string]any{"public_ip": nil, "private_ip": "10.0.0.3"},
			map[string]any{"private_ip": "10.0.0.3"}}}, []monkey.KnownResource{kr("10.0.0.3")}},
		{monkey.Config{"nat_gateway_addresses": "junk"}, nil},
		{monkey.Config{"id": "nat-1"}, nil},
	} {
		require.Equal(t, tc.want, Plugin().Facts("n", tc.cfg), "%v", tc.cfg)
	}
}

func TestWatcherSimFaults(t *testing.T) {
	t.Parallel()
	t.Run("ec2 fails", func(t *testing.T) {
		t.Parallel()
		watchtest.ServiceFails(t, NewWatcher(), awssim.Options{Accounts: 2, Seed: 34, Items: 5}, "ec2", "us-east-1", "x")
	})
	t.Run("failing region", func(t *testing.T) {
		t.Parallel()
		sim := watchtest.StartSim(t, awssim.Options{Accounts: 2, Seed: 34, Items: 9})
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
		got := watchtest.Throttled(t, NewWatcher(), awssim.Options{Accounts: 2, Seed: 34, Items: 30})
		require.Len(t, got.Items, 30)
	})
}

func BenchmarkWatcherCollectSim10000(b *testing.B) {
	watchtest.BenchmarkCollect(b, NewWatcher(), "ec2", 10000)
}
