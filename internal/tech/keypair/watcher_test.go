package keypair

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
	"github.com/secmonkey/monkey/internal/watch/watchtest"
)

func TestWatcherNormalizeGolden(t *testing.T) {
	t.Parallel()
	for name, k := range map[string]types.KeyPairInfo{
		"full": {KeyName: aws.String("deploy"), KeyFingerprint: aws.String("1f:51:ae:28:bf:89:e9:d8:1f:25:5d:37:2d:7d:b8:ca:9f:f5:f1:6f"),
			KeyPairId: aws.String("key-0123456789abcdef0"), KeyType: types.KeyTypeRsa},
		"bare": {KeyName: aws.String("bare")},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			arn := keyARN("aws", "eu-west-1", "123456789012", aws.ToString(k.KeyName))
			watchtest.Golden(t, "watcher_"+name+".golden.json", normalize(&k, arn))
		})
	}
}

func TestWatcherSim(t *testing.T) {
	t.Parallel()
	const items = 14
	sim := watchtest.StartSim(t, awssim.Options{Accounts: 1, Seed: 25, Items: items})
	scope := sim.Scope(t, 0)
	res := watchtest.Run(t, NewWatcher(), scope)
	require.Len(t, res.Items, items)
	regions := map[string]bool{}
	for _, it := range res.Items {
		regions[it.Region] = true
		watchtest.RequireKeys(t, it.Config, []string{"fingerprint", "arn", "name"}, nil)
		require.Equal(t, it.Name, it.Config["name"])
		require.Equal(t, "arn:aws:ec2:"+it.Region+":"+scope.Account.Identifier+":key-pair/"+it.Name, it.ARN)
		require.Equal(t, it.ARN, it.Config["arn"])
		require.Regexp(t, `^[0-9a-f]{2}(:[0-9a-f]{2})+$`, it.Config["fingerprint"])
	}
	require.Len(t, regions, 3)

	scope.Ignore = []string{"SIM-KEY-1"}
	res, err := NewWatcher().Collect(context.Background(), scope)
	require.NoError(t, err)
	require.Len(t, res.Items, items-5, "sim-key-1 and sim-key-10…13")
}

func TestWatcherSimFaults(t *testing.T) {
	t.Parallel()
	t.Run("ec2 fails", func(t *testing.T) {
		t.Parallel()
		watchtest.ServiceFails(t, NewWatcher(), awssim.Options{Accounts: 2, Seed: 25, Items: 5}, "ec2", "us-east-1", "x")
	})
	t.Run("failing region", func(t *testing.T) {
		t.Parallel()
		sim := watchtest.StartSim(t, awssim.Options{Accounts: 2, Seed: 25, Items: 9})
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
		got := watchtest.Throttled(t, NewWatcher(), awssim.Options{Accounts: 2, Seed: 25, Items: 30})
		require.Len(t, got.Items, 30)
	})
}

func BenchmarkWatcherCollectSim10000(b *testing.B) {
	watchtest.BenchmarkCollect(b, NewWatcher(), "ec2", 10000)
}
