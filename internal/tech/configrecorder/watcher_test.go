package configrecorder

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/configservice/types"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
	"github.com/secmonkey/monkey/internal/watch/watchtest"
)

func TestWatcherNormalizeGolden(t *testing.T) {
	t.Parallel()
	full := &types.ConfigurationRecorder{
		Name: aws.String("default"), RoleARN: aws.String("arn:aws:iam::123456789012:role/config"),
		Arn: aws.String("arn:aws:config:eu-west-1:123456789012:configuration-recorder/default/abc"),
		RecordingGroup: &types.RecordingGroup{
			ExclusionByResourceTypes: &types.ExclusionByResourceTypes{ResourceTypes: []types.ResourceType{types.ResourceTypeVolume}},
			RecordingStrategy:        &types.RecordingStrategy{UseOnly: types.RecordingStrategyTypeExclusionByResourceTypes},
		},
	}
	bare := &types.ConfigurationRecorder{Name: aws.String("bare")}
	for name, r := range map[string]*types.ConfigurationRecorder{"full": full, "bare": bare} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cfg := normalize(r)
			watchtest.RequireKeys(t, cfg, []string{"name", "role_arn", "recording_group"}, nil)
			watchtest.Golden(t, "watcher_"+name+".golden.json", cfg)
		})
	}
}

func simOptions(n int) awssim.Options {
	return awssim.Options{Accounts: 2, Seed: 60, Items: 1, ItemsPer: map[string]int{Technology.Index: n}}
}

func TestWatcherSim(t *testing.T) {
	t.Parallel()
	sim := watchtest.StartSim(t, simOptions(6))
	scope := sim.Scope(t, 1)
	res := watchtest.Run(t, NewWatcher(), scope)
	require.Len(t, res.Items, 6)
	all := 0
	for _, it := range res.Items {
		require.Empty(t, it.ARN, "no ARN stored")
		require.Equal(t, it.Name, it.Config["name"])
		g := it.Config["recording_group"].(map[string]any)
		require.Contains(t, g, "resourceTypes")
		require.Contains(t, g, "recordingStrategy")
		if g["allSupported"] == true {
			all++
		}
	}
	require.Equal(t, 2, all)
	require.Equal(t, int64(3), sim.Client.Calls()["config service.DescribeConfigurationRecorders"], "one per region")

	scope.Ignore = []string{"SIM-RECORDER-1"}
	res, err := NewWatcher().Collect(context.Background(), scope)
	require.NoError(t, err)
	require.Len(t, res.Items, 5)
}

func TestWatcherSimFaults(t *testing.T) {
	t.Parallel()
	t.Run("failing region", func(t *testing.T) {
		t.Parallel()
		sim := watchtest.StartSim(t, simOptions(6))
		require.NoError(t, sim.Server.SetFaults(awssim.Faults{FailRegions: []string{"eu-west-1"}}))
		res, err := NewWatcher().Collect(context.Background(), sim.Scope(t, 1))
		require.NoError(t, err)
		require.Len(t, res.Failures, 1)
		require.Equal(t, "eu-west-1", res.Failures[0].Region)
		require.Len(t, res.Items, 4)
	})
	t.Run("config fails", func(t *testing.T) {
		t.Parallel()
		watchtest.ServiceFails(t, NewWatcher(), simOptions(6), "config", "us-east-1", "sim-recorder-0")
	})
	t.Run("throttled", func(t *testing.T) {
		t.Parallel()
		got := watchtest.Throttled(t, NewWatcher(), simOptions(3))
		require.Len(t, got.Items, 3)
	})
}

func BenchmarkWatcherCollectSim10000(b *testing.B) {
	watchtest.BenchmarkCollect(b, NewWatcher(), "config", 10000)
}
