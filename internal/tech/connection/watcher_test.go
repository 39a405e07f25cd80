package connection

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect/types"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
	"github.com/secmonkey/monkey/internal/watch/watchtest"
)

func TestWatcherNormalizeGolden(t *testing.T) {
	t.Parallel()
	for name, c := range map[string]types.Connection{
		"full": {ConnectionName: aws.String("dc-office"), OwnerAccount: aws.String("123456789012"), ConnectionId: aws.String("dxcon-fg5678gh"),
			ConnectionState: types.ConnectionStateAvailable, Region: aws.String("us-east-1"), Location: aws.String("EqDC2"),
			Bandwidth: aws.String("1Gbps"), PartnerName: aws.String("partner"), Vlan: 101, AwsDevice: aws.String("EqDC2-123h49s71dabc")},
		"bare": {ConnectionName: aws.String("bare")},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			watchtest.Golden(t, "watcher_"+name+".golden.json", normalize(&c))
		})
	}
}

func TestWatcherSim(t *testing.T) {
	t.Parallel()
	const items = 14
	sim := watchtest.StartSim(t, awssim.Options{Accounts: 1, Seed: 36, Items: items})
	scope := sim.Scope(t, 0)
	res := watchtest.Run(t, NewWatcher(), scope)
	require.Len(t, res.Items, items)
	states := map[string]int{}
	for _, it := range res.Items {
		watchtest.RequireKeys(t, it.Config, []string{"name", "connection_name", "owner_account", "connection_id", "connection_state",
			"region", "location", "bandwidth", "partner_name", "vlan"}, nil)
		require.Equal(t, it.Name, it.Config["name"])
		require.Equal(t, it.Name, it.Config["connection_name"])
		require.Equal(t, it.Region, it.Config["region"])
		require.Equal(t, scope.Account.Identifier, it.Config["owner_account"])
		require.Empty(t, it.ARN)
		states[it.Config["connection_state"].(string)]++
	}
	require.Equal(t, map[string]int{"available": 7, "down": 4, "ordering": 3}, states)

	scope.Ignore = []string{"sim-dx-1"}
	res2, err := NewWatcher().Collect(context.Background(), scope)
	require.NoError(t, err)
	require.Len(t, res2.Items, items-5, "sim-dx-1, -10…-13")
}

func TestWatcherSimFaults(t *testing.T) {
	t.Parallel()
	t.Run("directconnect fails", func(t *testing.T) {
		t.Parallel()
		watchtest.ServiceFails(t, NewWatcher(), awssim.Options{Accounts: 2, Seed: 36, Items: 5}, "directconnect", "us-east-1", "x")
	})
	t.Run("failing region", func(t *testing.T) {
		t.Parallel()
		sim := watchtest.StartSim(t, awssim.Options{Accounts: 2, Seed: 36, Items: 9})
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
		got := watchtest.Throttled(t, NewWatcher(), awssim.Options{Accounts: 2, Seed: 36, Items: 30})
		require.Len(t, got.Items, 30)
	})
}

func BenchmarkWatcherCollectSim10000(b *testing.B) {
	watchtest.BenchmarkCollect(b, NewWatcher(), "directconnect", 10000)
}
