package elasticsearchservice

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
	"github.com/secmonkey/monkey/internal/watch/watchtest"
)

func TestWatcherNormalizeGolden(t *testing.T) {
	t.Parallel()
	arn := "arn:aws:es:eu-west-1:123456789012:domain/logs"
	for _, tc := range []struct{ name, policy string }{
		{"full", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"es:*","Resource":"` + arn + `/*"}]}`},
		{"bare", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg, err := normalize(arn, "logs", tc.policy)
			require.NoError(t, err)
			watchtest.Golden(t, "watcher_"+tc.name+".golden.json", cfg)
		})
	}
	_, err := normalize(arn, "logs", "{")
	require.ErrorContains(t, err, "access policies")
}

const items = 18

func simOptions() awssim.Options {
	return awssim.Options{Accounts: 2, Seed: 46, Items: 1, ItemsPer: map[string]int{Technology.Index: items}}
}

func TestWatcherSim(t *testing.T) {
	t.Parallel()
	sim := watchtest.StartSim(t, simOptions())
	scope := sim.Scope(t, 0)
	res := watchtest.Run(t, NewWatcher(), scope)
	require.Len(t, res.Items, items)
	empty := 0
	for _, it := range res.Items {
		watchtest.RequireKeys(t, it.Config, []string{"arn", "name", "policy"}, nil)
		require.Equal(t, "arn:aws:es:"+it.Region+":"+scope.Account.Identifier+":domain/"+it.Name, it.ARN)
		if len(it.Config["policy"].(map[string]any)) == 0 {
			empty++
		}
	}
	require.Equal(t, 2, empty, "domains 6 and 13 (policy flavours cycle by 7)")
	calls := sim.Client.Calls()
	require.Equal(t, int64(3), calls["elasticsearch service.ListDomainNames"])
	require.Equal(t, int64(3*2), calls["elasticsearch service.DescribeElasticsearchDomains"], "6 domains a region, 5 a call")

	scope.Ignore = []string{"sim-es-1"}
	res, err := NewWatcher().Collect(context.Background(), scope)
	require.NoError(t, err)
	require.Len(t, res.Items, items-9)
}

func TestWatcherSimFaults(t *testing.T) {
	t.Parallel()
	t.Run("failing region", func(t *testing.T) {
		t.Parallel()
		sim := watchtest.StartSim(t, simOptions())
		require.NoError(t, sim.Server.SetFaults(awssim.Faults{FailRegions: []string{"eu-west-1"}}))
		res, err := NewWatcher().Collect(context.Background(), sim.Scope(t, 1))
		require.NoError(t, err)
		require.Len(t, res.Failures, 1)
		require.Equal(t, "eu-west-1", res.Failures[0].Region)
		require.Empty(t, res.Failures[0].Name)
		require.Len(t, res.Items, items*2/3)
	})
	t.Run("service fails", func(t *testing.T) {
		t.Parallel()
		watchtest.ServiceFails(t, NewWatcher(), simOptions(), "es", "us-east-1", "sim-es-0")
	})
	t.Run("throttled", func(t *testing.T) {
		t.Parallel()
		// A few items: the adaptive retryer slows a throttled client down.
		opts := simOptions()
		opts.ItemsPer[Technology.Index] = 3
		got := watchtest.Throttled(t, NewWatcher(), opts)
		require.Len(t, got.Items, 3)
	})
}

func BenchmarkWatcherCollectSim10000(b *testing.B) {
	watchtest.BenchmarkCollect(b, NewWatcher(), "elasticsearchservice", 10000)
}
