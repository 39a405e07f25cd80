package ebsvolume

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

var created = time.Date(2019, 3, 4, 5, 6, 7, 0, time.UTC)

func fullVolume() types.Volume {
	return types.Volume{
		VolumeId: aws.String("vol-0123456789abcdef0"), VolumeType: types.VolumeTypeGp3, SnapshotId: aws.String("snap-1"),
		AvailabilityZone: aws.String("us-east-1a"), State: types.VolumeStateInUse, Size: aws.Int32(100),
		CreateTime: aws.Time(created), Encrypted: aws.Bool(true), KmsKeyId: aws.String("arn:aws:kms:us-east-1:123456789012:key/k"),
		Attachments: []types.VolumeAttachment{{AttachTime: aws.Time(created.Add(time.Minute)), InstanceId: aws.String("i-1"),
			VolumeId: aws.String("vol-0123456789abcdef0"), State: types.VolumeAttachmentStateAttached, DeleteOnTermination: aws.Bool(true),
			Device: aws.String("/dev/xvda")}},
		Tags: []types.Tag{{Key: aws.String("Name"), Value: aws.String("root")}},
	}
}

func TestWatcherNormalizeGolden(t *testing.T) {
	t.Parallel()
	for name, v := range map[string]types.Volume{
		"full": fullVolume(),
		"bare": {VolumeId: aws.String("vol-00000000000000001")},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			watchtest.Golden(t, "watcher_"+name+".golden.json", map[string]any{"name": itemName(&v), "config": normalize(&v)})
		})
	}
}

func TestItemName(t *testing.T) {
	t.Parallel()
	v := fullVolume()
	require.Equal(t, "root (vol-0123456789abcdef0)", itemName(&v))
	v.Tags = []types.Tag{{Key: aws.String("env"), Value: aws.String("x")}}
	require.Equal(t, "vol-0123456789abcdef0", itemName(&v))
}

var keys = []string{"name", "volume_id", "volume_type", "snapshot_id", "availability_zone", "state", "size", "create_time", "encrypted", "attachments"}

func TestWatcherSim(t *testing.T) {
	t.Parallel()
	const items = 16
	sim := watchtest.StartSim(t, awssim.Options{Accounts: 1, Seed: 22, Items: items})
	scope := sim.Scope(t, 0)
	res := watchtest.Run(t, NewWatcher(), scope)
	require.Len(t, res.Items, items)
	attached, named := 0, 0
	for _, it := range res.Items {
		watchtest.RequireKeys(t, it.Config, keys, nil)
		require.Equal(t, it.Name, it.Config["name"])
		require.Empty(t, it.ARN)
		require.True(t, strings.HasPrefix(it.Config["availability_zone"].(string), it.Region))
		if it.Name != it.Config["volume_id"] {
			named++
		}
		for _, a := range it.Config["attachments"].([]any) {
			attached++
			watchtest.RequireKeys(t, a.(map[string]any), []string{"attach_time", "instance_id", "volume_id", "state", "delete_on_termination", "device"}, nil)
			require.Equal(t, "in-use", it.Config["state"])
		}
	}
	require.Equal(t, 12, attached)
	require.Equal(t, 8, named)

	scope.Ignore = []string{"data-1"}
	res2, err := NewWatcher().Collect(context.Background(), scope)
	require.NoError(t, err)
	require.Len(t, res2.Items, items-3, "data-10, data-12 and data-14 (only even volumes are named)")
}

func TestWatcherSimFaults(t *testing.T) {
	t.Parallel()
	t.Run("ec2 fails", func(t *testing.T) {
		t.Parallel()
		watchtest.ServiceFails(t, NewWatcher(), awssim.Options{Accounts: 2, Seed: 22, Items: 5}, "ec2", "us-east-1", "x")
	})
	t.Run("failing region", func(t *testing.T) {
		t.Parallel()
		sim := watchtest.StartSim(t, awssim.Options{Accounts: 2, Seed: 22, Items: 9})
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
		got := watchtest.Throttled(t, NewWatcher(), awssim.Options{Accounts: 2, Seed: 22, Items: 30})
		require.Len(t, got.Items, 30)
	})
}

func BenchmarkWatcherCollectSim10000(b *testing.B) {
	watchtest.BenchmarkCollect(b, NewWatcher(), "ec2", 10000)
}
