package rdsdbcluster

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/audit"
	"github.com/secmonkey/monkey/internal/audit/audittest"
	"github.com/secmonkey/monkey/internal/awssim"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/tech/securitygroup"
	"github.com/secmonkey/monkey/internal/watch"
	"github.com/secmonkey/monkey/internal/watch/watchtest"
)

func TestWatcherNormalizeGolden(t *testing.T) {
	t.Parallel()
	at := time.Date(2019, 3, 4, 5, 6, 7, 0, time.UTC)
	full := types.DBCluster{
		DBClusterIdentifier: aws.String("orders"), AllocatedStorage: aws.Int32(1), AvailabilityZones: []string{"eu-west-1a", "eu-west-1b"},
		BackupRetentionPeriod: aws.Int32(7), CharacterSetName: aws.String("utf8"), DatabaseName: aws.String("orders"),
		DBClusterParameterGroup: aws.String("default.aurora-postgresql15"), DBSubnetGroup: aws.String("app"), Status: aws.String("available"),
		PercentProgress: aws.String("100"), EarliestRestorableTime: aws.Time(at), LatestRestorableTime: aws.Time(at.Add(time.Hour)),
		Endpoint: aws.String("orders.cluster-abc.eu-west-1.rds.amazonaws.com"), Engine: aws.String("aurora-postgresql"),
		EngineVersion: aws.String("15.4"), MasterUsername: aws.String("admin"), Port: aws.Int32(5432),
		DBClusterOptionGroupMemberships: []types.DBClusterOptionGroupStatus{{DBClusterOptionGroupName: aws.String("default:aurora-postgresql-15"), Status: aws.String("in-sync")}},
		PreferredBackupWindow:           aws.String("04:00-04:30"), PreferredMaintenanceWindow: aws.String("mon:06:00-mon:06:30"),
		DBClusterMembers: []types.DBClusterMember{{DBInstanceIdentifier: aws.String("orders-1"), IsClusterWriter: aws.Bool(true),
			DBClusterParameterGroupStatus: aws.String("in-sync"), PromotionTier: aws.Int32(1)}},
		VpcSecurityGroups: []types.VpcSecurityGroupMembership{{VpcSecurityGroupId: aws.String("sg-1"), Status: aws.String("active")}},
		HostedZoneId:      aws.String("Z1"), StorageEncrypted: aws.Bool(true), KmsKeyId: aws.String("arn:aws:kms:eu-west-1:123456789012:key/k"),
		DbClusterResourceId: aws.String("cluster-ABC"), DBClusterArn: aws.String("arn:aws:rds:eu-west-1:123456789012:cluster:orders"),
	}
	bare := types.DBCluster{DBClusterIdentifier: aws.String("creating")}
	watchtest.Golden(t, "watcher_full.golden.json", normalize(&full))
	watchtest.Golden(t, "watcher_bare.golden.json", normalize(&bare))
}

var keys = []string{"name", "allocated_storage", "availability_zones", "backup_retention_period", "character_set_name",
	"database_name", "db_cluster_parameter_group", "db_subnet_group", "status", "percent_progress",
	"earliest_restorable_time", "latest_restorable_time", "endpoint", "engine", "engine_version", "master_username", "port",
	"db_cluster_option_group_memberships", "preferred_backup_window", "preferred_maintenance_window", "db_cluster_members",
	"vpc_security_groups", "hosted_zoneId", "storage_encrypted", "kms_key_id", "db_cluster_resourceId", "arn"}

// auditedGroups collects and audits the security groups of scope: the
// support items of the listener-linked check, as the pipeline stores them.
func auditedGroups(t *testing.T, scope watch.Scope) []audit.Item {
	t.Helper()
	w, err := securitygroup.NewWatcher("")
	require.NoError(t, err)
	res, err := w.Collect(context.Background(), scope)
	require.NoError(t, err)
	a := securitygroup.NewAuditor(nil)
	ctx := audittest.Context(t)
	var out []audit.Item
	for k, it := range res.Items {
		item := audit.Item{ID: int64(k + 1), Account: scope.Account, Technology: "securitygroup", Name: it.Name, Config: it.Config}
		for _, f := range a.Audit(item, &audit.Env{Context: ctx}) {
			item.Issues = append(item.Issues, monkey.Issue{Text: f.Text, Score: f.Score, Notes: f.Notes})
		}
		out = append(out, item)
	}
	return out
}

// TestWatcherSim collects the seeded clusters and audits them with the
// account's audited security groups: the MySQL clusters behind the group
// that admits 3306 from unknown networks get the linked issue.
func TestWatcherSim(t *testing.T) {
	t.Parallel()
	sim := watchtest.StartSim(t, awssim.Options{Accounts: 2, Seed: 26, Items: 12})
	scope := sim.Scope(t, 1)
	res := watchtest.Run(t, NewWatcher(), scope)
	require.Len(t, res.Items, 12)
	env := &audit.Env{Context: audittest.Context(t), Support: map[string][]audit.Item{"securitygroup": auditedGroups(t, scope)}}
	a := NewAuditor()
	linked := map[string]bool{}
	for _, it := range res.Items {
		watchtest.RequireKeys(t, it.Config, keys, nil)
		require.Equal(t, it.Name, it.Config["name"])
		require.Equal(t, "arn:aws:rds:"+it.Region+":"+scope.Account.Identifier+":cluster:"+it.Name, it.ARN)
		for _, f := range a.Audit(audit.Item{Account: scope.Account, Config: it.Config}, env) {
			linked[it.Name+": "+f.Text] = true
		}
	}
	require.Equal(t, map[string]bool{"sim-cluster-mysql-2: Unknown Access": true, "sim-cluster-mysql-8: Unknown Access": true}, linked)
}

func TestWatcherSimFaults(t *testing.T) {
	t.Parallel()
	opts := awssim.Options{Accounts: 2, Seed: 26, Items: 9}
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
		watchtest.ServiceFails(t, NewWatcher(), opts, "rds", "us-east-1", "sim-cluster-pg-0")
	})
	t.Run("throttled", func(t *testing.T) {
		t.Parallel()
		require.Len(t, watchtest.Throttled(t, NewWatcher(), opts).Items, 9)
	})
	t.Run("ignore list", func(t *testing.T) {
		t.Parallel()
		sim := watchtest.StartSim(t, opts)
		scope := sim.Scope(t, 0)
		scope.Ignore = []string{"SIM-CLUSTER-MYSQL"}
		res, err := NewWatcher().Collect(context.Background(), scope)
		require.NoError(t, err)
		require.Len(t, res.Items, 7, "mysql clusters 2 and 8 ignored")
	})
}

func BenchmarkWatcherCollectSim10000(b *testing.B) {
	watchtest.BenchmarkCollect(b, NewWatcher(), "rds", 10000)
}
