package sns

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns/types"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
	"github.com/secmonkey/monkey/internal/watch/watchtest"
)

func TestWatcherNormalizeGolden(t *testing.T) {
	t.Parallel()
	arn := "arn:aws:sns:eu-west-1:123456789012:alerts.fifo"
	for _, tc := range []struct {
		name  string
		attrs map[string]string
		subs  []types.Subscription
	}{
		{"full", map[string]string{"TopicArn": arn, "Owner": "123456789012",
			"Policy": `{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"SNS:Publish","Resource":"` + arn + `"}]}`},
			[]types.Subscription{{SubscriptionArn: aws.String(arn + ":s-1"), Owner: aws.String("210987654321"), Protocol: aws.String("email"),
				Endpoint: aws.String("ops@example.com"), TopicArn: aws.String(arn)}}},
		{"bare", map[string]string{"TopicArn": arn}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg, err := normalize(arn, tc.attrs, tc.subs)
			require.NoError(t, err)
			watchtest.Golden(t, "watcher_"+tc.name+".golden.json", cfg)
		})
	}
	_, err := normalize(arn, map[string]string{"Policy": "{"}, nil)
	require.ErrorContains(t, err, "policy")
	require.Equal(t, "alerts.fifo", topicName(arn))
}

const items = 12

func simOptions() awssim.Options {
	return awssim.Options{Accounts: 2, Seed: 44, Items: 1, ItemsPer: map[string]int{Technology.Index: items}}
}

func TestWatcherSim(t *testing.T) {
	t.Parallel()
	sim := watchtest.StartSim(t, simOptions())
	scope := sim.Scope(t, 0)
	res := watchtest.Run(t, NewWatcher(), scope)
	require.Len(t, res.Items, items)
	subs := 0
	for _, it := range res.Items {
		watchtest.RequireKeys(t, it.Config, []string{"arn", "name", "policy", "subscriptions"}, nil)
		require.Equal(t, it.Config["arn"], it.ARN)
		require.Equal(t, it.Name, it.Config["name"])
		require.NotEmpty(t, it.Config["policy"])
		for _, s := range it.Config["subscriptions"].([]any) {
			require.Equal(t, it.ARN, s.(map[string]any)["TopicArn"])
			subs++
		}
	}
	require.Equal(t, 9, subs, "topics with i%4 != 0")
	calls := sim.Client.Calls()
	require.Equal(t, int64(3), calls["sns.ListTopics"])
	require.Equal(t, int64(3), calls["sns.ListSubscriptions"], "one pass per region, not per topic")
	require.Equal(t, int64(items), calls["sns.GetTopicAttributes"])

	scope.Ignore = []string{"sim-topic-1"}
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
		watchtest.ServiceFails(t, NewWatcher(), simOptions(), "sns", "us-east-1", "sim-topic-0")
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
	watchtest.BenchmarkCollect(b, NewWatcher(), "sns", 10000)
}
