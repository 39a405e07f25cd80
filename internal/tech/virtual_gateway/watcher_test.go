package virtualgateway

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
	for name, g := range map[string]types.VpnGateway{
		"full": {VpnGatewayId: aws.String("vgw-0123456789abcdef0"), State: types.VpnStateAvailable, Type: types.GatewayTypeIpsec1,
			AvailabilityZone: aws.String("us-east-1a"), AmazonSideAsn: aws.Int64(64512),
			VpcAttachments: []types.VpcAttachment{{VpcId: aws.String("vpc-1"), State: types.AttachmentStatusAttached}, {VpcId: aws.String("vpc-2"), State: types.AttachmentStatusDetached}},
			Tags:           []types.Tag{{Key: aws.String("Name"), Value: aws.String("office")}}},
		"bare": {VpnGatewayId: aws.String("vgw-00000000000000001")},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			watchtest.Golden(t, "watcher_"+name+".golden.json", normalize(&g))
		})
	}
}

func TestWatcherSim(t *testing.T) {
	t.Parallel()
	const items = 14
	sim := watchtest.StartSim(t, awssim.Options{Accounts: 1, Seed: 35, Items: items})
	scope := sim.Scope(t, 0)
	res := watchtest.Run(t, NewWatcher(), scope)
	require.Len(t, res.Items, items)
	detached := 0
	for _, it := range res.Items {
		watchtest.RequireKeys(t, it.Config, []string{"name", "state", "type", "vpcAttachments", "virtual_gateway_state"}, nil)
		require.Equal(t, it.Name, it.Config["name"])
		require.Regexp(t, `^vgw-`, it.Name)
		require.Empty(t, it.ARN)
		require.Nil(t, it.Config["virtual_gateway_state"])
		if len(it.Config["vpcAttachments"].([]any)) == 0 {
			detached++
		}
	}
	require.Equal(t, 3, detached)

	scope.Ignore = []string{res.Items[0].Name}
	res2, err := NewWatcher().Collect(context.Background(), scope)
	require.NoError(t, err)
	require.Len(t, res2.Items, items-1)
}

func TestWatcherSimFaults(t *testing.T) {
	t.Parallel()
	t.Run("ec2 fails", func(t *testing.T) {
		t.Parallel()
		watchtest.ServiceFails(t, NewWatcher(), awssim.Options{Accounts: 2, Seed: 35, Items: 5}, "ec2", "us-east-1", "x")
	})
	t.Run("failing region", func(t *testing.T) {
		t.Parallel()
		sim := watchtest.StartSim(t, awssim.Options{Accounts: 2, Seed: 35, Items: 9})
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
		got := watchtest.Throttled(t, NewWatcher(), awssim.Options{Accounts: 2, Seed: 35, Items: 30})
		require.Len(t, got.Items, 30)
	})
}

func BenchmarkWatcherCollectSim10000(b *testing.B) {
	watchtest.BenchmarkCollect(b, NewWatcher(), "ec2", 10000)
}
