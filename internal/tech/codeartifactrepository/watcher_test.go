package codeartifactrepository

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codeartifact/types"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
	"github.com/secmonkey/monkey/internal/watch/watchtest"
)

const testPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"x:Get","Resource":"*"}]}`

func TestWatcherNormalizeGolden(t *testing.T) {
	t.Parallel()
	full := &types.RepositorySummary{Name: aws.String("npm-store"), DomainName: aws.String("corp"), DomainOwner: aws.String("123456789012"),
		AdministratorAccount: aws.String("123456789012"), Arn: aws.String("arn:aws:codeartifact:eu-west-1:123456789012:repository/corp/npm-store"),
		Description: aws.String("npm packages"), CreatedTime: aws.Time(time.Date(2019, 3, 4, 5, 6, 7, 0, time.UTC))}
	cfg, err := normalize(full, aws.String(testPolicy))
	require.NoError(t, err)
	watchtest.Golden(t, "watcher_full.golden.json", cfg)
	cfg, err = normalize(&types.RepositorySummary{Name: full.Name, Arn: full.Arn}, nil)
	require.NoError(t, err)
	watchtest.Golden(t, "watcher_bare.golden.json", cfg)
	_, err = normalize(full, aws.String("{"))
	require.ErrorContains(t, err, "repository permissions policy")
}

const items = 12

func simOptions() awssim.Options {
	return awssim.Options{Accounts: 2, Seed: 53, Items: 1, ItemsPer: map[string]int{Technology.Index: items}}
}

func TestWatcherSim(t *testing.T) {
	t.Parallel()
	sim := watchtest.StartSim(t, simOptions())
	scope := sim.Scope(t, 0)
	res := watchtest.Run(t, NewWatcher(), scope)
	require.Len(t, res.Items, items)
	noPolicy := 0
	for _, it := range res.Items {
		watchtest.RequireKeys(t, it.Config, []string{"Name", "AdministratorAccount", "DomainName", "DomainOwner", "Arn", "CreatedTime", "Policy"}, []string{"Description"})
		require.Equal(t, it.Config["Arn"], it.ARN)
		require.Equal(t, "sim-domain/"+it.Config["Name"].(string), it.Name)
		if it.Config["Policy"] == nil {
			noPolicy++
		} else {
			require.IsType(t, map[string]any{}, it.Config["Policy"], "parsed policy")
		}
	}
	require.Equal(t, 1, noPolicy, "item 6 has no policy (policy flavours cycle by 7)")
	calls := sim.Client.Calls()
	require.Equal(t, int64(3), calls["codeartifact.ListRepositories"])
	require.Equal(t, int64(items), calls["codeartifact.GetRepositoryPermissionsPolicy"])

	scope.Ignore = []string{"sim-domain/sim-pkgs-1"}
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
		watchtest.ServiceFails(t, NewWatcher(), simOptions(), "codeartifact", "us-east-1", "anything")
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
	watchtest.BenchmarkCollect(b, NewWatcher(), "codeartifact", 10000)
}
