package rdssnapshot

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/audit"
	"github.com/secmonkey/monkey/internal/awssim"
	"github.com/secmonkey/monkey/internal/watch/watchtest"
)

func TestWatcherNormalizeGolden(t *testing.T) {
	t.Parallel()
	at := time.Date(2019, 3, 4, 5, 6, 7, 0, time.UTC)
	full := types.DBSnapshot{
		DBSnapshotIdentifier: aws.String("nightly"), DBInstanceIdentifier: aws.String("orders"),
		SnapshotCreateTime: aws.Time(at), InstanceCreateTime: aws.Time(at.Add(-time.Hour + 1500*time.Microsecond)),
		Engine: aws.String("postgres"), AllocatedStorage: aws.Int32(20), Status: aws.String("available"), Port: aws.Int32(5432),
		AvailabilityZone: aws.String("eu-west-1a"), VpcId: aws.String("vpc-1"), MasterUsername: aws.String("admin"),
		EngineVersion: aws.String("15.4"), LicenseModel: aws.String("postgresql-license"), SnapshotType: aws.String("manual"),
		Encrypted: aws.Bool(true), KmsKeyId: aws.String("arn:aws:kms:eu-west-1:123456789012:key/k"),
		DBSnapshotArn: aws.String("arn:aws:rds:eu-west-1:123456789012:snapshot:nightly"),
		TagList:       []types.Tag{{Key: aws.String("team"), Value: aws.String("db")}},
	}
	attrs := []types.DBSnapshotAttribute{{AttributeName: aws.String("restore"), AttributeValues: []string{"all", "210987654321"}}}
	bare := types.DBSnapshot{DBSnapshotIdentifier: aws.String("rds:auto"), SnapshotType: aws.String("automated")}
	watchtest.Golden(t, "watcher_full.golden.json", normalize(&full, attrs))
	watchtest.Golden(t, "watcher_bare.golden.json", normalize(&bare, unshared()))
}

// simContext makes the simulated accounts friendly (with the AWS-owned
// accounts third party), as a monkey watching all of them would.
func simContext(t *testing.T, sim *watchtest.Sim) *audit.Context {
	t.Helper()
	accts, err := audit.AWSAccounts()
	require.NoError(t, err)
	for i := range sim.Server.AccountIDs() {
		accts = append(accts, sim.Account(t, i))
	}
	ctx, err := audit.ContextFromData(accts, nil, nil, time.Now())
	require.NoError(t, err)
	return ctx
}

// TestWatcherSim collects the seeded snapshots (attributes asked only for
// manual ones) and audits them: every check fires on some snapshot.
func TestWatcherSim(t *testing.T) {
	t.Parallel()
	sim := watchtest.StartSim(t, awssim.Options{Accounts: 2, Seed: 24, Items: 12})
	scope := sim.Scope(t, 1)
	res := watchtest.Run(t, NewWatcher(), scope)
	require.Len(t, res.Items, 12)
	manual := 0
	a := NewAuditor()
	ctx := simContext(t, sim)
	fired := map[string]bool{}
	for _, it := range res.Items {
		require.Equal(t, it.Name, it.Config["DBSnapshotIdentifier"])
		require.Equal(t, it.ARN, it.Config["Arn"])
		require.Equal(t, it.ARN, it.Config["DBSnapshotArn"])
		require.Regexp(t, `^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+00:00$`, it.Config["SnapshotCreateTime"])
		require.Contains(t, it.Config["Attributes"], "restore")
		if it.Config["SnapshotType"] == "manual" {
			manual++
		} else {
			require.Equal(t, map[string]any{"restore": []any{}}, it.Config["Attributes"])
		}
		for _, c := range a.Checks() {
			fs := a.Audit(audit.Item{Account: scope.Account, Config: it.Config}, &audit.Env{Context: ctx, Only: map[string]bool{c.ID: true}})
			fired[c.ID] = fired[c.ID] || len(fs) > 0
		}
	}
	require.Equal(t, 10, manual)
	require.Equal(t, int64(manual), sim.Client.Calls()["rds.DescribeDBSnapshotAttributes"], "attributes of manual snapshots only")
	for _, c := range a.Checks() {
		require.True(t, fired[c.ID], "the seeded snapshots exercise %s", c.ID)
	}
}

func TestWatcherSimFaults(t *testing.T) {
	t.Parallel()
	opts := awssim.Options{Accounts: 2, Seed: 24, Items: 9}
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
		watchtest.ServiceFails(t, NewWatcher(), opts, "rds", "us-west-2", "sim-snap-public-1")
	})
	t.Run("throttled", func(t *testing.T) {
		t.Parallel()
		require.Len(t, watchtest.Throttled(t, NewWatcher(), opts).Items, 9)
	})
	t.Run("ignore list", func(t *testing.T) {
		t.Parallel()
		sim := watchtest.StartSim(t, opts)
		scope := sim.Scope(t, 0)
		scope.Ignore = []string{"SIM-SNAP-PUB"}
		res, err := NewWatcher().Collect(context.Background(), scope)
		require.NoError(t, err)
		require.Len(t, res.Items, 7, "public snapshots 1 and 7 ignored")
		require.Equal(t, int64(5), sim.Client.Calls()["rds.DescribeDBSnapshotAttributes"], "no call for an ignored or automated snapshot")
	})
}

// attrFails fails the attribute call of one snapshot.
type attrFails struct {
	rdsAPI
	name string
}

func (f attrFails) DescribeDBSnapshotAttributes(ctx context.Context, in *rds.DescribeDBSnapshotAttributesInput, optFns ...func(*rds.Options)) (*rds.DescribeDBSnapshotAttributesOutput, error) {
	if aws.ToString(in.DBSnapshotIdentifier) == f.name {
		return nil, &smithy.GenericAPIError{Code: "InternalFailure", Message: "boom"}
	}
	return f.rdsAPI.DescribeDBSnapshotAttributes(ctx, in, optFns...)
}

// TestWatcherAttributeFails: a snapshot whose attributes cannot be read is
// an item failure, not an item with empty attributes (which would hide a
// public snapshot) nor a missing item (which would be a deletion).
func TestWatcherAttributeFails(t *testing.T) {
	t.Parallel()
	sim := watchtest.StartSim(t, awssim.Options{Accounts: 1, Seed: 24, Items: 6})
	scope := sim.Scope(t, 0)
	w := NewWatcher()
	w.newClient = func(c aws.Config) rdsAPI { return attrFails{rdsAPI: rds.NewFromConfig(c), name: "sim-snap-public-1"} }
	res, err := w.Collect(context.Background(), scope)
	require.NoError(t, err)
	require.Len(t, res.Items, 5)
	require.Len(t, res.Failures, 1)
	require.Equal(t, "us-west-2", res.Failures[0].Region)
	require.Equal(t, "sim-snap-public-1", res.Failures[0].Name)
}

func BenchmarkWatcherCollectSim10000(b *testing.B) {
	watchtest.BenchmarkCollect(b, NewWatcher(), "rds", 10000)
}
