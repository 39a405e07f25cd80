package kms

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
	"github.com/secmonkey/monkey/internal/watch/watchtest"
)

func TestWatcherNormalizeGolden(t *testing.T) {
	t.Parallel()
	at := time.Date(2019, 3, 4, 5, 6, 7, 123456000, time.UTC)
	meta := &types.KeyMetadata{KeyId: aws.String("k-1"), Arn: aws.String("arn:aws:kms:eu-west-1:123456789012:key/k-1"),
		AWSAccountId: aws.String("123456789012"), CreationDate: aws.Time(at), Enabled: true, KeyState: types.KeyStateEnabled,
		KeyManager: types.KeyManagerTypeCustomer, EncryptionAlgorithms: []types.EncryptionAlgorithmSpec{types.EncryptionAlgorithmSpecSymmetricDefault}}
	for _, tc := range []struct {
		name string
		in   raw
	}{
		{"full", raw{Metadata: meta, Aliases: []string{"alias/app", "alias/app-b"}, Rotation: true,
			Policies: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"kms:*","Resource":"*"}]}`},
			Grants: []types.GrantListEntry{{GrantId: aws.String("g-1"), GranteePrincipal: aws.String("arn:aws:iam::210987654321:role/x"),
				CreationDate: aws.Time(at.Truncate(time.Second)), Operations: []types.GrantOperation{types.GrantOperationDecrypt}}}}},
		{"bare", raw{Metadata: &types.KeyMetadata{KeyId: aws.String("k-2"), Arn: aws.String("arn:aws:kms:eu-west-1:123456789012:key/k-2")}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg, err := normalize(&tc.in)
			require.NoError(t, err)
			watchtest.Golden(t, "watcher_"+tc.name+".golden.json", cfg)
		})
	}
	watchtest.Golden(t, "watcher_stub.golden.json", stub(key{id: "k-3", aliases: []string{"alias/x"}}, "aws", "eu-west-1", "123456789012"))
	_, err := normalize(&raw{Metadata: meta, Policies: []string{"{"}})
	require.ErrorContains(t, err, "key policy")
	require.Equal(t, "[No Aliases] (k)", key{id: "k"}.name())
	require.Equal(t, "aws/s3 (k)", key{id: "k", aliases: []string{"alias/aws/s3"}}.name())
	require.True(t, key{id: "k", aliases: []string{"alias/aws/s3"}}.awsManaged())
}

const items = 24

func simOptions() awssim.Options {
	return awssim.Options{Accounts: 2, Seed: 42, Items: 1, ItemsPer: map[string]int{Technology.Index: items}}
}

func TestWatcherSim(t *testing.T) {
	t.Parallel()
	sim := watchtest.StartSim(t, simOptions())
	scope := sim.Scope(t, 0)
	res := watchtest.Run(t, NewWatcher(), scope)
	require.Len(t, res.Items, items)
	stubs, noAlias, managed, rotationOff, grants := 0, 0, 0, 0, 0
	for _, it := range res.Items {
		require.Equal(t, it.Config["Arn"], it.ARN)
		require.Contains(t, it.ARN, "arn:aws:kms:"+it.Region+":"+scope.Account.Identifier+":key/")
		if strings.HasPrefix(it.Name, "[No Aliases]") {
			noAlias++
		}
		if it.Config["Error"] == "Unauthorized" {
			stubs++
			continue
		}
		watchtest.RequireKeys(t, it.Config, []string{"AWSAccountId", "KeyId", "Arn", "CreationDate", "Enabled", "Description",
			"KeyUsage", "KeyState", "Origin", "KeyManager", "CustomerMasterKeySpec", "KeySpec", "EncryptionAlgorithms", "MultiRegion",
			"Aliases", "Policies", "Grants", "KeyRotationEnabled"}, nil)
		require.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$`, it.Config["CreationDate"])
		require.Len(t, it.Config["Policies"], 1)
		if strings.HasPrefix(it.Name, "aws/") {
			managed++
		}
		if it.Config["KeyRotationEnabled"] == false {
			rotationOff++
		}
		grants += len(it.Config["Grants"].([]any))
	}
	require.Equal(t, 2, stubs, "keys 10 and 21 deny DescribeKey")
	require.Positive(t, noAlias)
	require.Positive(t, managed)
	require.Positive(t, rotationOff)
	require.Positive(t, grants)
	calls := sim.Client.Calls()
	require.Equal(t, int64(3), calls["kms.ListKeys"], "one page per region")
	require.Equal(t, int64(items-2), calls["kms.GetKeyPolicy"])
	require.Equal(t, int64(items-2-managed), calls["kms.GetKeyRotationStatus"], "AWS-managed keys rotate: not asked")
	require.Zero(t, calls["kms.ListKeyPolicies"])

	scope.Ignore = []string{"[no aliases]"}
	res, err := NewWatcher().Collect(context.Background(), scope)
	require.NoError(t, err)
	require.Equal(t, items-noAlias, len(res.Items))
}

func TestWatcherSimFaults(t *testing.T) {
	t.Parallel()
	t.Run("failing region", func(t *testing.T) {
		t.Parallel()
		sim := watchtest.StartSim(t, simOptions())
		require.NoError(t, sim.Server.SetFaults(awssim.Faults{FailRegions: []string{"eu-west-1"}}))
		res, err := NewWatcher().Collect(context.Background(), sim.Scope(t, 1))
		require.NoError(t, err)
		require.Len(t, res.Failures, 1)
		require.Equal(t, "eu-west-1", res.Failures[0].Region)
		require.Empty(t, res.Failures[0].Name)
		require.Len(t, res.Items, items*2/3)
	})
	t.Run("service fails", func(t *testing.T) {
		t.Parallel()
		watchtest.ServiceFails(t, NewWatcher(), simOptions(), "kms", "us-east-1", "anything")
	})
	t.Run("throttled", func(t *testing.T) {
		t.Parallel()
		// A few items: the adaptive retryer slows a throttled client down.
		opts := simOptions()
		opts.ItemsPer[Technology.Index] = 3
		got := watchtest.Throttled(t, NewWatcher(), opts)
		require.Len(t, got.Items, 3)
	})
}

func BenchmarkWatcherCollectSim10000(b *testing.B) {
	watchtest.BenchmarkCollect(b, NewWatcher(), "kms", 10000)
}
