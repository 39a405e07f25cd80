package ebssnapshot

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/watch/watchtest"
)

var started = time.Date(2019, 3, 4, 5, 6, 7, 250000000, time.UTC)

func fullSnapshot() types.Snapshot {
	return types.Snapshot{
		SnapshotId: aws.String("snap-0123456789abcdef0"), VolumeId: aws.String("vol-1"), State: types.SnapshotStateCompleted,
		StateMessage: aws.String(""), Progress: aws.String("100%"), Description: aws.String("nightly"), OwnerAlias: aws.String("self"),
		KmsKeyId: aws.String("arn:aws:kms:us-east-1:123456789012:key/k"), DataEncryptionKeyId: aws.String("dek-1"),
		OwnerId: aws.String("123456789012"), StartTime: aws.Time(started), VolumeSize: aws.Int32(100), Encrypted: aws.Bool(true),
		Tags: []types.Tag{{Key: aws.String("Name"), Value: aws.String("db backup")}, {Key: aws.String("env"), Value: aws.String("prod")}},
	}
}

func TestWatcherNormalizeGolden(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		s    types.Snapshot
		a    attributes
	}{
		{"full", fullSnapshot(), attributes{
			createVolume: []types.CreateVolumePermission{{Group: types.PermissionGroupAll}, {UserId: aws.String("aws-marketplace")}, {UserId: aws.String("444455556666")}},
			productCodes: []types.ProductCode{{ProductCodeId: aws.String("abc"), ProductCodeType: types.ProductCodeValuesMarketplace}},
		}},
		{"bare", types.Snapshot{SnapshotId: aws.String("snap-00000000000000001")}, attributes{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			watchtest.Golden(t, "watcher_"+tc.name+".golden.json", map[string]any{"name": itemName(&tc.s), "config": normalize(&tc.s, tc.a)})
		})
	}
}

func TestItemName(t *testing.T) {
	t.Parallel()
	s := fullSnapshot()
	require.Equal(t, "db backup (snap-0123456789abcdef0)", itemName(&s))
	s.Tags = []types.Tag{{Key: aws.String("Name"), Value: aws.String("")}}
	require.Equal(t, "snap-0123456789abcdef0", itemName(&s))
	s.Tags = nil
	require.Equal(t, "snap-0123456789abcdef0", itemName(&s))
}

// fakeEC2 serves snapshots and fails one attribute call of one snapshot.
type fakeEC2 struct {
	snaps  []types.Snapshot
	fail   string
	mu     sync.Mutex
	inputs []*ec2.DescribeSnapshotsInput
	calls  map[string]int
}

func (f *fakeEC2) DescribeSnapshots(_ context.Context, in *ec2.DescribeSnapshotsInput, _ ...func(*ec2.Options)) (*ec2.DescribeSnapshotsOutput, error) {
	f.mu.Lock()
	f.inputs = append(f.inputs, in)
	f.mu.Unlock()
	return &ec2.DescribeSnapshotsOutput{Snapshots: f.snaps}, nil
}

func (f *fakeEC2) DescribeSnapshotAttribute(_ context.Context, in *ec2.DescribeSnapshotAttributeInput, _ ...func(*ec2.Options)) (*ec2.DescribeSnapshotAttributeOutput, error) {
	f.mu.Lock()
	f.calls[string(in.Attribute)]++
	f.mu.Unlock()
	if aws.ToString(in.SnapshotId) == f.fail && in.Attribute == types.SnapshotAttributeNameProductCodes {
		return nil, errors.New("InternalError")
	}
	return &ec2.DescribeSnapshotAttributeOutput{SnapshotId: in.SnapshotId}, nil
}

func TestWatcherItemFailureAndOwners(t *testing.T) {
	t.Parallel()
	f := &fakeEC2{fail: "snap-2", calls: map[string]int{}, snaps: []types.Snapshot{
		{SnapshotId: aws.String("snap-1")}, {SnapshotId: aws.String("snap-2")},
		{SnapshotId: aws.String("snap-3"), Tags: []types.Tag{{Key: aws.String("Name"), Value: aws.String("Skip me")}}}}}
	w := NewWatcher(withClient(func(aws.Config) ec2API { return f }))
	scope := watchtest.FakeScope(monkey.Account{Name: "prod", Identifier: "123456789012", Type: "AWS"}, "us-east-1")
	scope.Ignore = []string{"skip"}
	res, err := w.Collect(context.Background(), scope)
	require.NoError(t, err)
	require.Len(t, res.Items, 1)
	require.Equal(t, "snap-1", res.Items[0].Name)
	require.Empty(t, res.Items[0].ARN)
	require.Len(t, res.Failures, 1)
	require.Equal(t, "us-east-1", res.Failures[0].Region)
	require.Equal(t, "snap-2", res.Failures[0].Name, "only the snapshot whose attribute failed")
	require.Equal(t, []string{"self"}, f.inputs[0].OwnerIds, "never the public snapshots of others")
	require.Equal(t, map[string]int{"createVolumePermission": 2, "productCodes": 2}, f.calls, "the ignored snapshot is not described")
}

var keys = []string{"create_volume_permissions", "product_codes", "name", "snapshot_id", "volume_id", "state", "state_message",
	"progress", "description", "owner_alias", "kms_key_id", "data_encryption_key_id", "ownerId", "start_time", "volume_size", "tags", "encrypted"}

func TestWatcherSim(t *testing.T) {
	t.Parallel()
	const items = 18
	sim := watchtest.StartSim(t, awssim.Options{Accounts: 2, Seed: 21, Items: items})
	scope := sim.Scope(t, 0)
	other := sim.Account(t, 1).Identifier
	res := watchtest.Run(t, NewWatcher(), scope)
	require.Len(t, res.Items, items)
	shared := map[string]bool{}
	codes, encrypted := 0, 0
	for _, it := range res.Items {
		watchtest.RequireKeys(t, it.Config, keys, nil)
		require.Equal(t, it.Name, it.Config["name"])
		id := it.Config["snapshot_id"].(string)
		require.True(t, it.Name == id || strings.HasSuffix(it.Name, " ("+id+")"), it.Name)
		require.Equal(t, scope.Account.Identifier, it.Config["ownerId"])
		require.Regexp(t, `^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+00:00$`, it.Config["start_time"])
		for _, p := range it.Config["create_volume_permissions"].([]any) {
			for _, v := range p.(map[string]any) {
				shared[v.(string)] = true
			}
		}
		codes += len(it.Config["product_codes"].([]any))
		if it.Config["encrypted"] == true {
			encrypted++
			require.NotNil(t, it.Config["kms_key_id"])
		}
	}
	require.Equal(t, map[string]bool{"all": true, other: true, "444455556666": true, "127311923021": true, "aws-marketplace": true}, shared)
	require.Positive(t, codes)
	require.Positive(t, encrypted)
}

func TestWatcherSimFaults(t *testing.T) {
	t.Parallel()
	t.Run("ec2 fails", func(t *testing.T) {
		t.Parallel()
		watchtest.ServiceFails(t, NewWatcher(), awssim.Options{Accounts: 2, Seed: 21, Items: 5}, "ec2", "us-east-1", "x")
	})
	t.Run("failing region", func(t *testing.T) {
		t.Parallel()
		sim := watchtest.StartSim(t, awssim.Options{Accounts: 2, Seed: 21, Items: 9})
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
		got := watchtest.Throttled(t, NewWatcher(), awssim.Options{Accounts: 2, Seed: 21, Items: 6})
		require.Len(t, got.Items, 6)
	})
}

func BenchmarkWatcherCollectSim10000(b *testing.B) {
	watchtest.BenchmarkCollect(b, NewWatcher(), "ec2", 10000)
}
