package redshift

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/redshift/types"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
	"github.com/secmonkey/monkey/internal/watch/watchtest"
)

func TestWatcherNormalizeGolden(t *testing.T) {
	t.Parallel()
	arn := "arn:aws:redshift:eu-west-1:123456789012:cluster:warehouse"
	full := &types.Cluster{
		ClusterIdentifier: aws.String("warehouse"), NodeType: aws.String("ra3.xlplus"), ClusterStatus: aws.String("available"),
		MasterUsername: aws.String("admin"), DBName: aws.String("dev"),
		Endpoint:                         &types.Endpoint{Address: aws.String("warehouse.abc.eu-west-1.redshift.amazonaws.com"), Port: aws.Int32(5439)},
		ClusterCreateTime:                aws.Time(time.Date(2019, 3, 4, 5, 6, 7, 890000000, time.UTC)),
		AutomatedSnapshotRetentionPeriod: aws.Int32(1),
		ClusterSecurityGroups:            []types.ClusterSecurityGroupMembership{},
		VpcSecurityGroups:                []types.VpcSecurityGroupMembership{{VpcSecurityGroupId: aws.String("sg-1"), Status: aws.String("active")}},
		ClusterParameterGroups: []types.ClusterParameterGroupStatus{{
			ParameterGroupName: aws.String("default.redshift-1.0"), ParameterApplyStatus: aws.String("in-sync"),
			ClusterParameterStatusList: []types.ClusterParameterStatus{{ParameterName: aws.String("require_ssl"), ParameterApplyStatus: aws.String("in-sync")}},
		}},
		ClusterSubnetGroupName: aws.String("default"), VpcId: aws.String("vpc-1"), AvailabilityZone: aws.String("eu-west-1a"),
		PreferredMaintenanceWindow: aws.String("sat:05:00-sat:05:30"), PendingModifiedValues: &types.PendingModifiedValues{},
		ClusterVersion: aws.String("1.0"), AllowVersionUpgrade: aws.Bool(true), NumberOfNodes: aws.Int32(2),
		PubliclyAccessible: aws.Bool(false), Encrypted: aws.Bool(true),
		RestoreStatus:         &types.RestoreStatus{Status: aws.String("completed"), CurrentRestoreRateInMegaBytesPerSecond: aws.Float64(12.5), ElapsedTimeInSeconds: aws.Int64(164)},
		ClusterNodes:          []types.ClusterNode{{NodeRole: aws.String("SHARED"), PrivateIPAddress: aws.String("10.0.0.1")}},
		ClusterRevisionNumber: aws.String("54899"),
		Tags:                  []types.Tag{{Key: aws.String("team"), Value: aws.String("data")}},
		KmsKeyId:              aws.String("arn:aws:kms:eu-west-1:123456789012:key/1"), EnhancedVpcRouting: aws.Bool(false),
		IamRoles: []types.ClusterIamRole{{IamRoleArn: aws.String("arn:aws:iam::123456789012:role/loader"), ApplyStatus: aws.String("in-sync")}},
	}
	bare := &types.Cluster{ClusterIdentifier: aws.String("classic")}
	for name, c := range map[string]*types.Cluster{"full": full, "bare": bare} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			watchtest.Golden(t, "watcher_"+name+".golden.json", normalize(c, arn))
		})
	}
}

func simOptions(n int) awssim.Options {
	return awssim.Options{Accounts: 2, Seed: 52, Items: 1, ItemsPer: map[string]int{Technology.Index: n}}
}

func TestWatcherSim(t *testing.T) {
	t.Parallel()
	sim := watchtest.StartSim(t, simOptions(12))
	scope := sim.Scope(t, 1)
	res := watchtest.Run(t, NewWatcher(), scope)
	require.Len(t, res.Items, 12)
	classic := 0
	for _, it := range res.Items {
		require.Equal(t, "arn:aws:redshift:"+it.Region+":"+scope.Account.Identifier+":cluster:"+it.Name, it.ARN)
		require.Equal(t, it.ARN, it.Config["arn"])
		require.Equal(t, it.Name, it.Config["ClusterIdentifier"])
		for _, k := range []string{"ClusterCreateTime", "Endpoint", "ClusterParameterGroups", "PendingModifiedValues", "Encrypted", "ClusterNodes"} {
			require.Contains(t, it.Config, k)
		}
		_, err := time.Parse("2006-01-02T15:04:05Z", it.Config["ClusterCreateTime"].(string))
		require.NoError(t, err, "ClusterCreateTime is ISO-Z")
		if it.Config["VpcId"] == nil {
			classic++
		}
	}
	require.Equal(t, 3, classic, "clusters 3, 7 and 11")
	require.Equal(t, int64(3), sim.Client.Calls()["redshift.DescribeClusters"], "one page per region")

	scope.Ignore = []string{"SIM-CLUSTER-1"}
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
		require.Len(t, res.Items, 6)
	})
	t.Run("redshift fails", func(t *testing.T) {
		t.Parallel()
		watchtest.ServiceFails(t, NewWatcher(), simOptions(9), "redshift", "us-east-1", "sim-cluster-0")
	})
	t.Run("throttled", func(t *testing.T) {
		t.Parallel()
		got := watchtest.Throttled(t, NewWatcher(), simOptions(3))
		require.Len(t, got.Items, 3)
	})
}

func BenchmarkWatcherCollectSim10000(b *testing.B) {
	watchtest.BenchmarkCollect(b, NewWatcher(), "redshift", 10000)
}
