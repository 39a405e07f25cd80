package config

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/configservice/types"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
	"github.com/secmonkey/monkey/internal/watch/watchtest"
)

var keys = []string{"config_rule", "config_rule_arn", "config_rule_id", "scope", "source", "imput_parameters",
	"maximum_execution_frequency", "config_rule_state"}

func TestWatcherNormalizeGolden(t *testing.T) {
	t.Parallel()
	full := &types.ConfigRule{
		ConfigRuleName: aws.String("keys-rotated"), ConfigRuleArn: aws.String("arn:aws:config:eu-west-1:123456789012:config-rule/config-rule-abc123"),
		ConfigRuleId: aws.String("config-rule-abc123"), Description: aws.String("rotate"),
		Scope: &types.Scope{ComplianceResourceTypes: []string{"AWS::IAM::User"}, TagKey: aws.String("env")},
		Source: &types.Source{Owner: types.OwnerCustomLambda, SourceIdentifier: aws.String("arn:aws:lambda:eu-west-1:123456789012:function:f"),
			SourceDetails: []types.SourceDetail{{EventSource: types.EventSourceAwsConfig, MessageType: types.MessageTypeScheduledNotification,
				MaximumExecutionFrequency: types.MaximumExecutionFrequencyTwentyFourHours}}},
		InputParameters: aws.String(`{"maxAccessKeyAge":"90"}`), MaximumExecutionFrequency: types.MaximumExecutionFrequencyTwentyFourHours,
		ConfigRuleState: types.ConfigRuleStateActive,
	}
	bare := &types.ConfigRule{ConfigRuleName: aws.String("bare")}
	for name, r := range map[string]*types.ConfigRule{"full": full, "bare": bare} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cfg := normalize(r)
			watchtest.RequireKeys(t, cfg, keys, nil)
			watchtest.Golden(t, "watcher_"+name+".golden.json", cfg)
		})
	}
}

func simOptions(n int) awssim.Options {
	return awssim.Options{Accounts: 2, Seed: 59, Items: 1, ItemsPer: map[string]int{Technology.Index: n}}
}

func TestWatcherSim(t *testing.T) {
	t.Parallel()
	sim := watchtest.StartSim(t, simOptions(60))
	scope := sim.Scope(t, 1)
	res := watchtest.Run(t, NewWatcher(), scope)
	require.Len(t, res.Items, 60)
	states := map[any]int{}
	for _, it := range res.Items {
		watchtest.RequireKeys(t, it.Config, keys, nil)
		require.Equal(t, it.ARN, it.Config["config_rule_arn"])
		require.Contains(t, it.ARN, ":config:"+it.Region+":"+scope.Account.Identifier+":config-rule/")
		states[it.Config["config_rule_state"]]++
		require.NotEmpty(t, it.Config["source"])
	}
	require.Equal(t, map[any]int{"ACTIVE": 48, "DELETING": 12}, states)
	require.Equal(t, int64(3), sim.Client.Calls()["config service.DescribeConfigRules"], "20 rules a region: one page of 25 each")

	scope.Ignore = []string{"sim-rule-1"}
	res, err := NewWatcher().Collect(context.Background(), scope)
	require.NoError(t, err)
	require.Len(t, res.Items, 49, "1 and 10..19 ignored")
}

func TestWatcherSimFaults(t *testing.T) {
	t.Parallel()
	t.Run("failing region", func(t *testing.T) {
		t.Parallel()
		sim := watchtest.StartSim(t, simOptions(9))
		require.NoError(t, sim.Server.SetFaults(awssim.Faults{FailRegions: []string{"eu-west-1"}}))
		res, err := NewWatcher().Collect(context.Background(), sim.Scope(t, 1))
		require.NoError(t, err)
		require.Len(t, res.Failures, 1)
		require.Equal(t, "eu-west-1", res.Failures[0].Region)
		require.Empty(t, res.Failures[0].Name)
		require.Len(t, res.Items, 6)
	})
	t.Run("config fails", func(t *testing.T) {
		t.Parallel()
		watchtest.ServiceFails(t, NewWatcher(), simOptions(9), "config", "us-east-1", "sim-rule-0")
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
