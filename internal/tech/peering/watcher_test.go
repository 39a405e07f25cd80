package peering

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

func TestWatcherNormalizeGolden(t *testing.T) {
	t.Parallel()
	info := func(owner, vpc, cidr, region string) *types.VpcPeeringConnectionVpcInfo {
		return &types.VpcPeeringConnectionVpcInfo{OwnerId: aws.String(owner), VpcId: aws.String(vpc), CidrBlock: aws.String(cidr),
			CidrBlockSet: []types.CidrBlock{{CidrBlock: aws.String(cidr)}}, Region: aws.String(region),
			PeeringOptions: &types.VpcPeeringConnectionOptionsDescription{AllowDnsResolutionFromRemoteVpc: aws.Bool(true),
				AllowEgressFromLocalClassicLinkToRemoteVpc: aws.Bool(false), AllowEgressFromLocalVpcToRemoteClassicLink: aws.Bool(false)}}
	}
	for name, p := range map[string]types.VpcPeeringConnection{
		"full": {VpcPeeringConnectionId: aws.String("pcx-0123456789abcdef0"),
			Status:           &types.VpcPeeringConnectionStateReason{Code: types.VpcPeeringConnectionStateReasonCodePendingAcceptance, Message: aws.String("Pending Acceptance by 444455556666")},
			RequesterVpcInfo: info("111122223333", "vpc-1", "10.0.0.0/16", "us-east-1"),
			AccepterVpcInfo:  info("444455556666", "vpc-2", "10.1.0.0/16", "eu-west-1"),
			ExpirationTime:   aws.Time(time.Date(2019, 3, 11, 5, 6, 7, 0, time.UTC)),
			Tags:             []types.Tag{{Key: aws.String("team"), Value: aws.String("my-peer")}, {Key: aws.String("Name"), Value: aws.String("second")}}},
		"bare": {VpcPeeringConnectionId: aws.String("pcx-00000000000000001")},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			n := itemName(&p)
			watchtest.Golden(t, "watcher_"+name+".golden.json", map[string]any{"name": n, "config": normalize(&p, n)})
		})
	}
}

func TestWatcherSim(t *testing.T) {
	t.Parallel()
	const items = 14
	sim := watchtest.StartSim(t, awssim.Options{Accounts: 2, Seed: 31, Items: items})
	scope := sim.Scope(t, 0)
	res := watchtest.Run(t, NewWatcher(), scope)
	require.Len(t, res.Items, items)
	named, pending := 0, 0
	for _, it := range res.Items {
		watchtest.RequireKeys(t, it.Config, []string{"name", "status", "accepter_vpc_info", "requester_vpc_info", "expiration_time", "vpc_peering_connection_id"}, nil)
		require.Equal(t, it.Name, it.Config["name"])
		require.Empty(t, it.ARN)
		id := it.Config["vpc_peering_connection_id"].(string)
		if it.Name != id {
			named++
			require.True(t, strings.HasPrefix(it.Name, "sim-peer-"))
			require.True(t, strings.HasSuffix(it.Name, " ("+id+")"))
		}
		req := it.Config["requester_vpc_info"].(map[string]any)
		require.Equal(t, scope.Account.Identifier, req["OwnerId"])
		require.Equal(t, it.Region, req["Region"])
		if it.Config["status"].(map[string]any)["Code"] == "pending-acceptance" {
			pending++
			require.Regexp(t, `^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+00:00$`, it.Config["expiration_time"])
		} else {
			require.Equal(t, "None", it.Config["expiration_time"])
		}
	}
	require.Equal(t, 7, named)
	require.Equal(t, 2, pending)

	scope.Ignore = []string{"SIM-PEER-1"}
	res, err := NewWatcher().Collect(context.Background(), scope)
	require.NoError(t, err)
	require.Len(t, res.Items, items-2, "sim-peer-10 and sim-peer-12")
}

func TestWatcherSimFaults(t *testing.T) {
	t.Parallel()
	t.Run("ec2 fails", func(t *testing.T) {
		t.Parallel()
		watchtest.ServiceFails(t, NewWatcher(), awssim.Options{Accounts: 2, Seed: 31, Items: 5}, "ec2", "us-east-1", "x")
	})
	t.Run("failing region", func(t *testing.T) {
		t.Parallel()
		sim := watchtest.StartSim(t, awssim.Options{Accounts: 2, Seed: 31, Items: 9})
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
		got := watchtest.Throttled(t, NewWatcher(), awssim.Options{Accounts: 2, Seed: 31, Items: 30})
		require.Len(t, got.Items, 30)
	})
}

func BenchmarkWatcherCollectSim10000(b *testing.B) {
	watchtest.BenchmarkCollect(b, NewWatcher(), "ec2", 10000)
}
