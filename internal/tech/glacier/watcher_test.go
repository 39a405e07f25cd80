package glacier

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier/types"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
	"github.com/secmonkey/monkey/internal/watch/watchtest"
)

func TestWatcherNormalizeGolden(t *testing.T) {
	t.Parallel()
	arn := "arn:aws:glacier:eu-west-1:123456789012:vaults/backups"
	full := &types.DescribeVaultOutput{VaultARN: aws.String(arn), VaultName: aws.String("backups"),
		CreationDate: aws.String("2019-03-04T05:06:07.000Z"), LastInventoryDate: aws.String("2019-03-05T05:06:07.000Z"),
		NumberOfArchives: 3, SizeInBytes: 3145728}
	policy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"glacier:InitiateJob","Resource":"` + arn + `"}]}`
	for _, tc := range []struct {
		name   string
		v      *types.DescribeVaultOutput
		policy *string
		tags   map[string]string
	}{
		{"full", full, &policy, map[string]string{"team": "backup"}},
		{"bare", &types.DescribeVaultOutput{VaultARN: aws.String(arn), VaultName: aws.String("backups")}, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg, err := normalize(tc.v, tc.policy, tc.tags)
			require.NoError(t, err)
			watchtest.Golden(t, "watcher_"+tc.name+".golden.json", cfg)
		})
	}
	_, err := normalize(full, aws.String("{"), nil)
	require.ErrorContains(t, err, "vault access policy")
}

const items = 12

func simOptions() awssim.Options {
	return awssim.Options{Accounts: 2, Seed: 45, Items: 1, ItemsPer: map[string]int{Technology.Index: items}}
}

func TestWatcherSim(t *testing.T) {
	t.Parallel()
	sim := watchtest.StartSim(t, simOptions())
	scope := sim.Scope(t, 0)
	res := watchtest.Run(t, NewWatcher(), scope)
	require.Len(t, res.Items, items)
	noPolicy := 0
	for _, it := range res.Items {
		watchtest.RequireKeys(t, it.Config, []string{"VaultARN", "VaultName", "CreationDate", "NumberOfArchives", "SizeInBytes",
			"Arn", "Policy", "Tags", "_version"}, []string{"LastInventoryDate"})
		require.Equal(t, it.Config["VaultARN"], it.ARN)
		if it.Config["Policy"] == nil {
			noPolicy++
		}
	}
	require.Equal(t, 1, noPolicy, "vault 6 (policy flavours cycle by 7)")
	calls := sim.Client.Calls()
	require.Equal(t, int64(3), calls["glacier.ListVaults"])
	require.Equal(t, int64(items), calls["glacier.GetVaultAccessPolicy"])
	require.Equal(t, int64(items), calls["glacier.ListTagsForVault"])
	require.Zero(t, calls["glacier.DescribeVault"])

	scope.Ignore = []string{"sim-vault-1"}
	res, err := NewWatcher().Collect(context.Background(), scope)
	require.NoError(t, err)
	require.Len(t, res.Items, items-3)
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
		watchtest.ServiceFails(t, NewWatcher(), simOptions(), "glacier", "us-east-1", "sim-vault-0")
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
	watchtest.BenchmarkCollect(b, NewWatcher(), "glacier", 10000)
}
