package sqs

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
	"github.com/secmonkey/monkey/internal/watch/watchtest"
)

func TestWatcherNormalizeGolden(t *testing.T) {
	t.Parallel()
	arn := "arn:aws:sqs:eu-west-1:123456789012:orders"
	url := "https://sqs.eu-west-1.amazonaws.com/123456789012/orders"
	for _, tc := range []struct {
		name string
		in   raw
	}{
		{"full", raw{URL: url, Region: "eu-west-1",
			Attributes: map[string]string{"QueueArn": arn, "VisibilityTimeout": "30", "CreatedTimestamp": "1550000000",
				"RedrivePolicy": `{"deadLetterTargetArn":"arn:aws:sqs:eu-west-1:123456789012:dlq","maxReceiveCount":5}`,
				"Policy":        `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sqs:SendMessage","Resource":"` + arn + `"}]}`},
			Tags:              map[string]string{"team": "payments"},
			DeadLetterSources: []string{"https://sqs.eu-west-1.amazonaws.com/123456789012/src"}}},
		{"bare", raw{URL: url, Region: "eu-west-1", Attributes: map[string]string{"QueueArn": arn}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg, err := normalize(&tc.in)
			require.NoError(t, err)
			watchtest.Golden(t, "watcher_"+tc.name+".golden.json", cfg)
		})
	}
	_, err := normalize(&raw{URL: url, Attributes: map[string]string{"QueueArn": arn, "Policy": "{broken"}})
	require.ErrorContains(t, err, "policy")
	_, err = normalize(&raw{URL: url, Attributes: map[string]string{}})
	require.ErrorContains(t, err, "bad QueueArn")
}

const items = 12

func simOptions() awssim.Options {
	return awssim.Options{Accounts: 2, Seed: 41, Items: 1, ItemsPer: map[string]int{Technology.Index: items}}
}

func TestWatcherSim(t *testing.T) {
	t.Parallel()
	sim := watchtest.StartSim(t, simOptions())
	scope := sim.Scope(t, 0)
	res := watchtest.Run(t, NewWatcher(), scope)
	require.Len(t, res.Items, items)
	policies := 0
	for _, it := range res.Items {
		watchtest.RequireKeys(t, it.Config, []string{"Arn", "Url", "Name", "Region", "Attributes", "Tags", "DeadLetterSourceQueues", "_version"}, nil)
		require.Equal(t, it.Config["Arn"], it.ARN)
		require.Equal(t, "arn:aws:sqs:"+it.Region+":"+scope.Account.Identifier+":"+it.Name, it.ARN)
		if p, ok := it.Config["Attributes"].(map[string]any)["Policy"]; ok {
			require.IsType(t, map[string]any{}, p, "parsed policy")
			policies++
		}
	}
	require.Positive(t, policies)
	calls := sim.Client.Calls()
	require.Equal(t, int64(3), calls["sqs.ListQueues"], "one page per region")
	require.Equal(t, int64(items), calls["sqs.GetQueueAttributes"])
	require.Equal(t, int64(items), calls["sqs.ListQueueTags"])
	require.Equal(t, int64(items), calls["sqs.ListDeadLetterSourceQueues"])

	// The ignore list is tested before any describe call.
	scope.Ignore = []string{"SIM-QUEUE-1"} // sim-queue-1, -10, -11
	before := sim.Client.Calls()["sqs.GetQueueAttributes"]
	res, err := NewWatcher().Collect(context.Background(), scope)
	require.NoError(t, err)
	require.Len(t, res.Items, items-3)
	require.Equal(t, int64(items-3), sim.Client.Calls()["sqs.GetQueueAttributes"]-before)
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
		watchtest.ServiceFails(t, NewWatcher(), simOptions(), "sqs", "us-east-1", "sim-queue-0")
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
	watchtest.BenchmarkCollect(b, NewWatcher(), "sqs", 10000)
}
