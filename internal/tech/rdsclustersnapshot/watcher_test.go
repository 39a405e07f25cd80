package rdsclustersnapshot

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
	"github.com/secmonkey/monkey/internal/watch/watchtest"
)

func TestWatcherNormalizeGolden(t *testing.T) {
	t.Parallel()
	at := time.Date(2019, 3, 4, 5, 6, 7, 250000000, time.UTC)
	full := types.DBClusterSnapshot{
		DBClusterSnapshotIdentifier: aws.String("nightly"), DBClusterIdentifier: aws.String("orders"),
		SnapshotCreateTime: aws.Time(at), ClusterCreateTime: aws.Time(at.Add(-time.Hour).Truncate(time.Second)),
		AvailabilityZones: []string{"eu-west-1a", "eu-west-1b"}, Engine: aws.String("aurora-postgresql"),
		EngineVersion: aws.String("15.4"), LicenseModel: aws.String("postgresql-license"), SnapshotType: aws.String("manual"),
		Status: aws.String("available"), MasterUsername: aws.String("admin"), VpcId: aws.String("vpc-1"),
		KmsKeyId: aws.String("arn:aws:kms:eu-west-1:123456789012:key/k"), AllocatedStorage: aws.Int32(1),
		Port: aws.Int32(5432), PercentProgress: aws.Int32(100), StorageEncrypted: aws.Bool(true),
		DBClusterSnapshotArn: aws.String("arn:aws:rds:eu-west-1:123456789012:cluster-snapshot:nightly"),
	}
	bare := types.DBClusterSnapshot{DBClusterSnapshotIdentifier: aws.String("bare")}
	for name, s := range map[string]types.DBClusterSnapshot{"full": full, "bare": bare} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			watchtest.Golden(t, "watcher_"+name+".golden.json", normalize(&s))
		})
	}
}

var keys = []string{"db_cluster_snapshot_identifier", "db_cluster_identifier", "snapshot_create_time", "availability_zones",
	"engine", "engine_version", "license_model", "snapshot_type", "status", "master_username", "vpc_id", "kms_key_id",
	"allocated_storage", "port", "percent_progress", "cluster_create_time", "storage_encrypted"}

func TestWatcherSim(t *testing.T) {
	t.Parallel()
	sim := watchtest.StartSim(t, awssim.Options{Accounts: 2, Seed: 22, Items: 8})
	scope := sim.Scope(t, 1)
	res := watchtest.Run(t, NewWatcher(), scope)
	require.Len(t, res.Items, 8)
	byType := map[any]int{}
	for _, it := range res.Items {
		watchtest.RequireKeys(t, it.Config, keys, nil)
		require.Equal(t, it.Name, it.Config["db_cluster_snapshot_identifier"])
		require.Empty(t, it.ARN, "the reference stored no ARN")
		require.Regexp(t, `^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+00:00$`, it.Config["snapshot_create_time"])
		byType[it.Config["snapshot_type"]]++
	}
	require.Equal(t, map[any]int{"automated": 4, "manual": 4}, byType)
	require.Equal(t, int64(3), sim.Client.Calls()["rds.DescribeDBClusterSnapshots"], "one page per region")
}

func TestWatcherSimFaults(t *testing.T) {
	t.Parallel()
	opts := awssim.Options{Accounts: 2, Seed: 22, Items: 9}
	t.Run("failing region", func(t *testing.T) {
		t.Parallel()
		sim := watchtest.StartSim(t, opts)
		scope := sim.Scope(t, 1)
		require.NoError(t, sim.Server.SetFaults(awssim.Faults{FailRegions: []string{"us-west-2"}}))
		res, err := NewWatcher().Collect(context.Background(), scope)
		require.NoError(t, err)
		require.Len(t, res.Failures, 1)
		require.Equal(t, "us-west-2", res.Failures[0].Region)
		require.Empty(t, res.Failures[0].Name)
		require.Len(t, res.Items, 6)
	})
	t.Run("rds fails", func(t *testing.T) {
		t.Parallel()
		watchtest.ServiceFails(t, NewWatcher(), opts, "rds", "eu-west-1", "sim-cluster-snap-1")
	})
	t.Run("throttled", func(t *testing.T) {
		t.Parallel()
		require.Len(t, watchtest.Throttled(t, NewWatcher(), opts).Items, 9)
	})
	t.Run("ignore list", func(t *testing.T) {
		t.Parallel()
		sim := watchtest.StartSim(t, opts)
		scope := sim.Scope(t, 0)
		scope.Ignore = []string{"RDS:"} // the automated snapshots
		res, err := NewWatcher().Collect(context.Background(), scope)
		require.NoError(t, err)
		require.Len(t, res.Items, 4)
		for _, it := range res.Items {
			require.Equal(t, "manual", it.Config["snapshot_type"])
		}
	})
}

func BenchmarkWatcherCollectSim10000(b *testing.B) {
	watchtest.BenchmarkCollect(b, NewWatcher(), "rds", 10000)
}
