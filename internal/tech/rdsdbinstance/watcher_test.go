package rdsdbinstance

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
	full := types.DBInstance{
		DBInstanceIdentifier: aws.String("orders"), DBInstanceClass: aws.String("db.t3.medium"), Engine: aws.String("postgres"),
		EngineVersion: aws.String("15.4"), DBInstanceStatus: aws.String("available"), MasterUsername: aws.String("admin"),
		DBName: aws.String("orders"), Endpoint: &types.Endpoint{Address: aws.String("orders.abc.eu-west-1.rds.amazonaws.com"), Port: aws.Int32(5432), HostedZoneId: aws.String("Z1")},
		AllocatedStorage: aws.Int32(100), InstanceCreateTime: aws.Time(at), LatestRestorableTime: aws.Time(at.Add(time.Hour)),
		PreferredBackupWindow: aws.String("03:00-03:30"), PreferredMaintenanceWindow: aws.String("sun:05:00-sun:05:30"),
		BackupRetentionPeriod:  aws.Int32(7),
		DBSecurityGroups:       []types.DBSecurityGroupMembership{{DBSecurityGroupName: aws.String("legacy"), Status: aws.String("active")}},
		VpcSecurityGroups:      []types.VpcSecurityGroupMembership{{VpcSecurityGroupId: aws.String("sg-1"), Status: aws.String("active")}},
		DBParameterGroups:      []types.DBParameterGroupStatus{{DBParameterGroupName: aws.String("default.postgres15"), ParameterApplyStatus: aws.String("in-sync")}},
		OptionGroupMemberships: []types.OptionGroupMembership{{OptionGroupName: aws.String("default:postgres-15"), Status: aws.String("in-sync")}},
		AvailabilityZone:       aws.String("eu-west-1a"), SecondaryAvailabilityZone: aws.String("eu-west-1b"),
		DBSubnetGroup: &types.DBSubnetGroup{DBSubnetGroupName: aws.String("app"), VpcId: aws.String("vpc-1"), SubnetGroupStatus: aws.String("Complete"),
			Subnets: []types.Subnet{{SubnetIdentifier: aws.String("subnet-1"), SubnetAvailabilityZone: &types.AvailabilityZone{Name: aws.String("eu-west-1a")}, SubnetStatus: aws.String("Active")}}},
		MultiAZ: aws.Bool(true), AutoMinorVersionUpgrade: aws.Bool(true), PubliclyAccessible: aws.Bool(true), StorageEncrypted: aws.Bool(true),
		CopyTagsToSnapshot: aws.Bool(true), ReadReplicaDBInstanceIdentifiers: []string{"orders-replica"},
		LicenseModel: aws.String("postgresql-license"), StorageType: aws.String("gp3"), KmsKeyId: aws.String("arn:aws:kms:eu-west-1:123456789012:key/k"),
		DbiResourceId: aws.String("db-ABC"), CACertificateIdentifier: aws.String("rds-ca-rsa2048-g1"), Iops: aws.Int32(3000),
		DbInstancePort: aws.Int32(0), MonitoringInterval: aws.Int32(60), MonitoringRoleArn: aws.String("arn:aws:iam::123456789012:role/rds-monitoring"),
		EnhancedMonitoringResourceArn: aws.String("arn:aws:logs:eu-west-1:123456789012:log-group:RDSOSMetrics:log-stream:db-ABC"),
		DBInstanceArn:                 aws.String("arn:aws:rds:eu-west-1:123456789012:db:orders"),
	}
	bare := types.DBInstance{DBInstanceIdentifier: aws.String("creating")}
	watchtest.Golden(t, "watcher_full.golden.json", normalize(&full))
	watchtest.Golden(t, "watcher_bare.golden.json", normalize(&bare))
}

var keys = []string{"db_instance_identifier", "db_instance_class", "engine", "engine_version", "db_instance_status",
	"master_username", "db_name", "endpoint", "allocated_storage", "instance_create_time", "latest_restorable_time",
	"preferred_backup_window", "preferred_maintenance_window", "backup_retention_period", "db_security_groups",
	"vpc_security_groups", "db_parameter_groups", "option_group_memberships", "availability_zone",
	"secondary_availability_zone", "db_subnet_group", "multi_az", "auto_minor_version_upgrade", "publicly_accessible",
	"storage_encrypted", "copy_tags_to_snapshot", "read_replica_source_db_instance_identifier",
	"read_replica_db_instance_identifiers", "license_model", "character_set_name", "storage_type", "tde_credential_arn",
	"db_cluster_identifier", "kms_key_id", "dbi_resource_id", "ca_certificate_identifier",
	"enhanced_monitoring_resource_arn", "monitoring_role_arn", "iops", "db_instance_port", "monitoring_interval", "arn"}

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

// TestWatcherSim collects the seeded instances and audits them with the
// account's audited security groups: a public MySQL behind the group that
// admits 3306 from unknown networks gets the linked issue.
func TestWatcherSim(t *testing.T) {
	t.Parallel()
	sim := watchtest.StartSim(t, awssim.Options{Accounts: 2, Seed: 25, Items: 12})
	scope := sim.Scope(t, 1)
	res := watchtest.Run(t, NewWatcher(), scope)
	require.Len(t, res.Items, 12)
	env := &audit.Env{Context: audittest.Context(t), Support: map[string][]audit.Item{"securitygroup": auditedGroups(t, scope)}}
	a := NewAuditor()
	linked := map[string]bool{}
	for _, it := range res.Items {
		watchtest.RequireKeys(t, it.Config, keys, nil)
		require.Equal(t, it.Name, it.Config["db_instance_identifier"])
		require.Equal(t, it.ARN, it.Config["arn"])
		require.Equal(t, "arn:aws:rds:"+it.Region+":"+scope.Account.Identifier+":db:"+it.Name, it.ARN)
		for _, f := range a.Audit(audit.Item{Account: scope.Account, Config: it.Config}, env) {
			require.Len(t, f.LinkedItemIDs, 1)
			linked[it.Name+": "+f.Text] = true
		}
	}
	require.Equal(t, map[string]bool{"sim-db-public-mysql-2: Unknown Access": true, "sim-db-public-mysql-8: Unknown Access": true}, linked)
}

func TestWatcherSimFaults(t *testing.T) {
	t.Parallel()
	opts := awssim.Options{Accounts: 2, Seed: 25, Items: 9}
	t.Run("failing region", func(t *testing.T) {
		t.Parallel()
		sim := watchtest.StartSim(t, opts)
		scope := sim.Scope(t, 1)
		require.NoError(t, sim.Server.SetFaults(awssim.Faults{FailRegions: []string{"eu-west-1"}}))
		res, err := NewWatcher().Collect(context.Background(), scope)
		require.NoError(t, err)
		require.Len(t, res.Failures, 1)
		require.Equal(t, "eu-west-1", res.Failures[0].Region)
		require.Empty(t, res.Failures[0].Name)
		require.Len(t, res.Items, 6)
	})
	t.Run("rds fails", func(t *testing.T) {
		t.Parallel()
		watchtest.ServiceFails(t, NewWatcher(), opts, "rds", "us-east-1", "sim-db-private-0")
	})
	t.Run("throttled", func(t *testing.T) {
		t.Parallel()
		require.Len(t, watchtest.Throttled(t, NewWatcher(), opts).Items, 9)
	})
	t.Run("ignore list", func(t *testing.T) {
		t.Parallel()
		sim := watchtest.StartSim(t, opts)
		scope := sim.Scope(t, 0)
		scope.Ignore = []string{"sim-db-PUBLIC"}
		res, err := NewWatcher().Collect(context.Background(), scope)
		require.NoError(t, err)
		require.Len(t, res.Items, 4, "private 0 and 6, aurora 4, classic 5")
	})
}

func BenchmarkWatcherCollectSim10000(b *testing.B) {
	watchtest.BenchmarkCollect(b, NewWatcher(), "rds", 10000)
}
