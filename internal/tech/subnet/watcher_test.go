package subnet

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
	"github.com/secmonkey/monkey/internal/watch/watchtest"
)

func TestWatcherNormalizeGolden(t *testing.T) {
	t.Parallel()
	for name, s := range map[string]types.Subnet{
		"full": {SubnetId: aws.String("subnet-0123456789abcdef0"), CidrBlock: aws.String("10.0.1.0/24"),
			AvailabilityZone: aws.String("us-east-1a"), State: types.SubnetStateAvailable, VpcId: aws.String("vpc-0123456789abcdef0"),
			DefaultForAz: aws.Bool(false), MapPublicIpOnLaunch: aws.Bool(true), AvailableIpAddressCount: aws.Int32(250),
			Tags: []types.Tag{{Key: aws.String("Name"), Value: aws.String("public-a")}, {Key: aws.String("env"), Value: aws.String("prod")}}},
		"bare": {SubnetId: aws.String("subnet-00000000000000001")},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			n := itemName(&s)
			arn := subnetARN("aws", "us-east-1", "123456789012", aws.ToString(s.SubnetId))
			watchtest.Golden(t, "watcher_"+name+".golden.json", map[string]any{"name": n, "config": normalize(&s, n, arn)})
		})
	}
}

var keys = []string{"name", "arn", "id", "cidr_block", "availability_zone", "state", "vpc_id", "defaultForAz", "mapPublicIpOnLaunch", "tags"}

func TestWatcherSim(t *testing.T) {
	t.Parallel()
	const items = 14
	sim := watchtest.StartSim(t, awssim.Options{Accounts: 1, Seed: 27, Items: items})
	scope := sim.Scope(t, 0)
	res := watchtest.Run(t, NewWatcher(), scope)
	require.Len(t, res.Items, items)
	named, public := 0, 0
	for _, it := range res.Items {
		watchtest.RequireKeys(t, it.Config, keys, nil)
		require.Equal(t, it.Name, it.Config["name"])
		id := it.Config["id"].(string)
		require.Equal(t, "arn:aws:ec2:"+it.Region+":"+scope.Account.Identifier+":subnet/"+id, it.ARN)
		require.Equal(t, it.ARN, it.Config["arn"])
		require.True(t, strings.HasPrefix(it.Config["availability_zone"].(string), it.Region))
		require.Regexp(t, `^vpc-`, it.Config["vpc_id"])
		if it.Name != id {
			named++
			require.Equal(t, id, strings.TrimSuffix(it.Name[strings.Index(it.Name, "(")+1:], ")"))
		}
		if it.Config["mapPublicIpOnLaunch"] == true {
			public++
		}
	}
	require.Equal(t, 7, named)
	require.Equal(t, 4, public)

	scope.Ignore = []string{"SIM-SUBNET-1"}
	res, err := NewWatcher().Collect(context.Background(), scope)
	require.NoError(t, err)
	require.Len(t, res.Items, items-2, "sim-subnet-10 and sim-subnet-12 (only even subnets are named)")
}

func TestWatcherSimFaults(t *testing.T) {
	t.Parallel()
	t.Run("ec2 fails", func(t *testing.T) {
		t.Parallel()
		watchtest.ServiceFails(t, NewWatcher(), awssim.Options{Accounts: 2, Seed: 27, Items: 5}, "ec2", "us-east-1", "x")
	})
	t.Run("failing region", func(t *testing.T) {
		t.Parallel()
		sim := watchtest.StartSim(t, awssim.Options{Accounts: 2, Seed: 27, Items: 9})
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
		got := watchtest.Throttled(t, NewWatcher(), awssim.Options{Accounts: 2, Seed: 27, Items: 30})
		require.Len(t, got.Items, 30)
	})
}

func BenchmarkWatcherCollectSim10000(b *testing.B) {
	watchtest.BenchmarkCollect(b, NewWatcher(), "ec2", 10000)
}
