package routetable

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
	for name, rt := range map[string]types.RouteTable{
		"full": {RouteTableId: aws.String("rtb-0123456789abcdef0"), VpcId: aws.String("vpc-0123456789abcdef0"), OwnerId: aws.String("123456789012"),
			Routes: []types.Route{
				{DestinationCidrBlock: aws.String("10.0.0.0/16"), GatewayId: aws.String("local"), State: types.RouteStateActive, Origin: types.RouteOriginCreateRouteTable},
				{DestinationCidrBlock: aws.String("0.0.0.0/0"), NatGatewayId: aws.String("nat-1"), State: types.RouteStateActive},
				{DestinationCidrBlock: aws.String("172.16.0.0/24"), VpcPeeringConnectionId: aws.String("pcx-1"), State: types.RouteStateBlackhole},
				{DestinationCidrBlock: aws.String("192.168.0.0/24"), InstanceId: aws.String("i-1"), NetworkInterfaceId: aws.String("eni-1")},
			},
			Associations: []types.RouteTableAssociation{
				{RouteTableAssociationId: aws.String("rtbassoc-1"), Main: aws.Bool(true)},
				{RouteTableAssociationId: aws.String("rtbassoc-2"), SubnetId: aws.String("subnet-1")},
			},
			Tags: []types.Tag{{Key: aws.String("Name"), Value: aws.String("private-a")}, {Key: aws.String(""), Value: aws.String("x")}, {Key: aws.String("empty"), Value: aws.String("")}, {Key: aws.String("team"), Value: aws.String("net")}}},
		"bare": {RouteTableId: aws.String("rtb-00000000000000001")},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			arn := routeTableARN("aws", "us-east-1", "123456789012", aws.ToString(rt.RouteTableId))
			watchtest.Golden(t, "watcher_"+name+".golden.json", map[string]any{"name": itemName(&rt), "config": normalize(&rt, arn)})
		})
	}
}

func TestWatcherSim(t *testing.T) {
	t.Parallel()
	const items = 14
	sim := watchtest.StartSim(t, awssim.Options{Accounts: 1, Seed: 28, Items: items})
	scope := sim.Scope(t, 0)
	res := watchtest.Run(t, NewWatcher(), scope)
	require.Len(t, res.Items, items)
	named, main := 0, 0
	for _, it := range res.Items {
		watchtest.RequireKeys(t, it.Config, []string{"name", "arn", "id", "vpc_id", "tags", "routes", "associations"}, nil)
		id := it.Config["id"].(string)
		require.Equal(t, "arn:aws:ec2:"+it.Region+":"+scope.Account.Identifier+":route-table/"+id, it.ARN)
		require.Equal(t, it.ARN, it.Config["arn"])
		require.NotContains(t, it.Config["tags"], "", "tags with an empty key or value are dropped")
		require.NotContains(t, it.Config["tags"], "tier")
		if it.Config["name"] != nil {
			named++
			require.Equal(t, it.Config["name"].(string)+" ("+id+")", it.Name)
		} else {
			require.Equal(t, id, it.Name)
		}
		routes := it.Config["routes"].([]any)
		require.GreaterOrEqual(t, len(routes), 2)
		require.Equal(t, "local", routes[0].(map[string]any)["gateway_id"])
		for _, a := range it.Config["associations"].([]any) {
			if a.(map[string]any)["main"] == true {
				main++
			}
		}
	}
	require.Equal(t, 7, named)
	require.Equal(t, 6, main)

	scope.Ignore = []string{"sim-rtb-1"}
	res, err := NewWatcher().Collect(context.Background(), scope)
	require.NoError(t, err)
	require.Len(t, res.Items, items-2, "sim-rtb-10 and sim-rtb-12")
}

func TestWatcherSimFaults(t *testing.T) {
	t.Parallel()
	t.Run("ec2 fails", func(t *testing.T) {
		t.Parallel()
		watchtest.ServiceFails(t, NewWatcher(), awssim.Options{Accounts: 2, Seed: 28, Items: 5}, "ec2", "us-east-1", "x")
	})
	t.Run("failing region", func(t *testing.T) {
		t.Parallel()
		sim := watchtest.StartSim(t, awssim.Options{Accounts: 2, Seed: 28, Items: 9})
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
		got := watchtest.Throttled(t, NewWatcher(), awssim.Options{Accounts: 2, Seed: 28, Items: 30})
		require.Len(t, got.Items, 30)
	})
}

func BenchmarkWatcherCollectSim10000(b *testing.B) {
	watchtest.BenchmarkCollect(b, NewWatcher(), "ec2", 10000)
}
