package dhcp

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
	values := func(vs ...string) []types.AttributeValue {
		out := make([]types.AttributeValue, len(vs))
		for i, v := range vs {
			out[i] = types.AttributeValue{Value: aws.String(v)}
		}
		return out
	}
	for name, d := range map[string]types.DhcpOptions{
		"full": {DhcpOptionsId: aws.String("dopt-0123456789abcdef0"), OwnerId: aws.String("123456789012"),
			DhcpConfigurations: []types.DhcpConfiguration{
				{Key: aws.String("domain-name"), Values: values("example.internal")},
				{Key: aws.String("domain-name-servers"), Values: values("10.0.0.2", "10.0.0.3")},
				{Key: aws.String("ntp-servers"), Values: values("169.254.169.123")},
				{Key: aws.String("netbios-name-servers"), Values: values("10.0.0.4", "10.0.0.5")},
				{Key: aws.String("netbios-node-type"), Values: values("2")},
				{Key: aws.String("id"), Values: values("not the id")},
			}},
		"bare": {DhcpOptionsId: aws.String("dopt-00000000000000001")},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			watchtest.Golden(t, "watcher_"+name+".golden.json", map[string]any{"name": itemName(&d), "config": normalize(&d, "")})
		})
	}
}

func TestWatcherSim(t *testing.T) {
	t.Parallel()
	const items = 14
	sim := watchtest.StartSim(t, awssim.Options{Accounts: 1, Seed: 30, Items: items})
	scope := sim.Scope(t, 0)
	res := watchtest.Run(t, NewWatcher(), scope)
	require.Len(t, res.Items, items)
	lists := 0
	for _, it := range res.Items {
		watchtest.RequireKeys(t, it.Config, []string{"id", "domain-name", "domain-name-servers"}, []string{"ntp-servers", "netbios-name-servers", "netbios-node-type"})
		require.Equal(t, it.Name, it.Config["id"])
		require.Empty(t, it.ARN)
		require.IsType(t, "", it.Config["domain-name"])
		if _, ok := it.Config["domain-name-servers"].([]any); ok {
			lists++
		}
	}
	require.Equal(t, 5, lists, "two custom name servers when k%3 == 1")

	scope.Ignore = []string{res.Items[3].Name}
	res2, err := NewWatcher().Collect(context.Background(), scope)
	require.NoError(t, err)
	require.Len(t, res2.Items, items-1)
}

func TestWatcherSimFaults(t *testing.T) {
	t.Parallel()
	t.Run("ec2 fails", func(t *testing.T) {
		t.Parallel()
		watchtest.ServiceFails(t, NewWatcher(), awssim.Options{Accounts: 2, Seed: 30, Items: 5}, "ec2", "us-east-1", "x")
	})
	t.Run("failing region", func(t *testing.T) {
		t.Parallel()
		sim := watchtest.StartSim(t, awssim.Options{Accounts: 2, Seed: 30, Items: 9})
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
		got := watchtest.Throttled(t, NewWatcher(), awssim.Options{Accounts: 2, Seed: 30, Items: 30})
		require.Len(t, got.Items, 30)
	})
}

func BenchmarkWatcherCollectSim10000(b *testing.B) {
	watchtest.BenchmarkCollect(b, NewWatcher(), "ec2", 10000)
}
