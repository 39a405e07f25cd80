package flowlog

import (
	"context"
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
	for name, f := range map[string]types.FlowLog{
		"full": {FlowLogId: aws.String("fl-0123456789abcdef0"), CreationTime: aws.Time(time.Date(2019, 3, 4, 5, 6, 7, 0, time.UTC)),
			DeliverLogsPermissionArn: aws.String("arn:aws:iam::123456789012:role/flow-logs"), DeliverLogsStatus: aws.String("SUCCESS"),
			FlowLogStatus: aws.String("ACTIVE"), LogGroupName: aws.String("vpc-flow-logs"), ResourceId: aws.String("vpc-1"),
			TrafficType: types.TrafficTypeAll, LogDestinationType: types.LogDestinationTypeCloudWatchLogs},
		"bare": {FlowLogId: aws.String("fl-00000000000000001")},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			watchtest.Golden(t, "watcher_"+name+".golden.json", map[string]any{"name": itemName(&f), "config": normalize(&f, "")})
		})
	}
}

func TestWatcherSim(t *testing.T) {
	t.Parallel()
	const items = 14
	sim := watchtest.StartSim(t, awssim.Options{Accounts: 1, Seed: 33, Items: items})
	scope := sim.Scope(t, 0)
	res := watchtest.Run(t, NewWatcher(), scope)
	require.Len(t, res.Items, items)
	inactive, s3 := 0, 0
	for _, it := range res.Items {
		watchtest.RequireKeys(t, it.Config, []string{"creation_time", "deliver_logs_permission_arn", "flow_log_id", "flow_log_status",
			"log_group_name", "resource_id", "traffic_type"}, nil)
		require.Empty(t, it.ARN)
		require.True(t, strings.HasSuffix(it.Name, " ("+it.Config["flow_log_id"].(string)+")"))
		if it.Config["flow_log_status"] != "ACTIVE" {
			inactive++
		}
		if it.Config["log_group_name"] == nil {
			s3++
			require.True(t, strings.HasPrefix(it.Name, "None ("))
		}
	}
	require.Equal(t, 2, inactive)
	require.Equal(t, 3, s3)

	scope.Ignore = []string{"sim-flow-logs-1"}
	res, err := NewWatcher().Collect(context.Background(), scope)
	require.NoError(t, err)
	require.Len(t, res.Items, items-4, "sim-flow-logs-1, -10, -12, -13 (11 delivers to S3)")
}

func TestWatcherSimFaults(t *testing.T) {
	t.Parallel()
	t.Run("ec2 fails", func(t *testing.T) {
		t.Parallel()
		watchtest.ServiceFails(t, NewWatcher(), awssim.Options{Accounts: 2, Seed: 33, Items: 5}, "ec2", "us-east-1", "x")
	})
	t.Run("failing region", func(t *testing.T) {
		t.Parallel()
		sim := watchtest.StartSim(t, awssim.Options{Accounts: 2, Seed: 33, Items: 9})
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
		got := watchtest.Throttled(t, NewWatcher(), awssim.Options{Accounts: 2, Seed: 33, Items: 30})
		require.Len(t, got.Items, 30)
	})
}

func BenchmarkWatcherCollectSim10000(b *testing.B) {
	watchtest.BenchmarkCollect(b, NewWatcher(), "ec2", 10000)
}
