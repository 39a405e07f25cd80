package cloudtrail

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
	"github.com/secmonkey/monkey/internal/watch/watchtest"
)

var keys = []string{"trail", "trail_status", "s3_bucket_name", "s3_key_prefix", "sns_topic_name", "home_region", "trail_arn",
	"cloudwatch_logs_log_group_arn", "cloudwatch_logs_role_arn", "kms_key_id", "include_global_service_events",
	"is_multi_region_trail", "log_file_validation_enabled"}

func TestWatcherNormalizeGolden(t *testing.T) {
	t.Parallel()
	full := &types.Trail{
		Name: aws.String("org"), S3BucketName: aws.String("logs"), S3KeyPrefix: aws.String("ct"),
		SnsTopicName:               aws.String("arn:aws:sns:eu-west-1:123456789012:ct"), //nolint:staticcheck // the stored shape keeps it
		SnsTopicARN:                aws.String("arn:aws:sns:eu-west-1:123456789012:ct"),
		IncludeGlobalServiceEvents: aws.Bool(true), IsMultiRegionTrail: aws.Bool(true), HomeRegion: aws.String("eu-west-1"),
		TrailARN: aws.String("arn:aws:cloudtrail:eu-west-1:123456789012:trail/org"), LogFileValidationEnabled: aws.Bool(true),
		CloudWatchLogsLogGroupArn: aws.String("arn:aws:logs:eu-west-1:123456789012:log-group:ct:*"),
		CloudWatchLogsRoleArn:     aws.String("arn:aws:iam::123456789012:role/ct"), KmsKeyId: aws.String("arn:aws:kms:eu-west-1:123456789012:key/1"),
	}
	bare := &types.Trail{Name: aws.String("bare"), HomeRegion: aws.String("eu-west-1")}
	for name, tc := range map[string]struct {
		t       *types.Trail
		logging bool
	}{"full": {full, true}, "bare": {bare, false}} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cfg := normalize(tc.t, tc.logging)
			watchtest.RequireKeys(t, cfg, keys, nil)
			watchtest.Golden(t, "watcher_"+name+".golden.json", cfg)
		})
	}
}

func simOptions(n int) awssim.Options {
	return awssim.Options{Accounts: 2, Seed: 58, Items: 1, ItemsPer: map[string]int{Technology.Index: n}}
}

func TestWatcherSim(t *testing.T) {
	t.Parallel()
	sim := watchtest.StartSim(t, simOptions(12))
	scope := sim.Scope(t, 1)
	res := watchtest.Run(t, NewWatcher(), scope)
	require.Len(t, res.Items, 12, "each multi-region trail once")
	logging, multi := 0, 0
	for _, it := range res.Items {
		watchtest.RequireKeys(t, it.Config, keys, nil)
		require.Equal(t, it.Region, it.Config["home_region"], "stored in its home region")
		require.Equal(t, it.ARN, it.Config["trail_arn"])
		if it.Config["trail_status"] == true {
			logging++
		}
		if it.Config["is_multi_region_trail"] == true {
			multi++
		}
	}
	require.Equal(t, 6, logging)
	require.Equal(t, 6, multi)
	calls := sim.Client.Calls()
	require.Equal(t, int64(3), calls["cloudtrail.DescribeTrails"], "one per region")
	require.Equal(t, int64(12), calls["cloudtrail.GetTrailStatus"], "one per trail, not per shadow")

	scope.Ignore = []string{"sim-trail-1"}
	res, err := NewWatcher().Collect(context.Background(), scope)
	require.NoError(t, err)
	require.Len(t, res.Items, 9, "1, 10 and 11 ignored")
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
		require.Len(t, res.Items, 6, "the trails homed in eu-west-1 are covered by the failure")
	})
	t.Run("cloudtrail fails", func(t *testing.T) {
		t.Parallel()
		watchtest.ServiceFails(t, NewWatcher(), simOptions(9), "cloudtrail", "us-east-1", "sim-trail-0")
	})
	t.Run("throttled", func(t *testing.T) {
		t.Parallel()
		got := watchtest.Throttled(t, NewWatcher(), simOptions(3))
		require.Len(t, got.Items, 3)
	})
}

func BenchmarkWatcherCollectSim10000(b *testing.B) {
	watchtest.BenchmarkCollect(b, NewWatcher(), "cloudtrail", 10000)
}
