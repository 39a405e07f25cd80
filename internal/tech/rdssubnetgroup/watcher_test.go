package rdssubnetgroup

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
	"github.com/secmonkey/monkey/internal/watch/watchtest"
)

func TestWatcherNormalizeGolden(t *testing.T) {
	t.Parallel()
	full := types.DBSubnetGroup{
		DBSubnetGroupName: aws.String("app"), DBSubnetGroupDescription: aws.String("app subnets"),
		VpcId: aws.String("vpc-1"), SubnetGroupStatus: aws.String("Complete"),
		DBSubnetGroupArn: aws.String("arn:aws:rds:eu-west-1:123456789012:subgrp:app"),
		Subnets: []types.Subnet{
			{SubnetIdentifier: aws.String("subnet-1"), SubnetStatus: aws.String("Active"), SubnetAvailabilityZone: &types.AvailabilityZone{Name: aws.String("eu-west-1a")}},
			{SubnetIdentifier: aws.String("subnet-2"), SubnetStatus: aws.String("Active"), SubnetAvailabilityZone: &types.AvailabilityZone{Name: aws.String("eu-west-1b")}},
		},
	}
	bare := types.DBSubnetGroup{DBSubnetGroupName: aws.String("default")}
	for name, g := range map[string]types.DBSubnetGroup{"full": full, "bare": bare} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			watchtest.Golden(t, "watcher_"+name+".golden.json", map[string]any{"name": itemName(&g), "config": normalize(&g)})
		})
	}
}

var keys = []string{"name", "db_subnet_group_description", "subnet_group_status", "vpc_id", "subnets", "arn"}

func TestWatcherSim(t *testing.T) {
	t.Parallel()
	sim := watchtest.StartSim(t, awssim.Options{Accounts: 2, Seed: 21, Items: 8})
	scope := sim.Scope(t, 1)
	res := watchtest.Run(t, NewWatcher(), scope)
	require.Len(t, res.Items, 8)
	noVPC := 0
	for _, it := range res.Items {
		watchtest.RequireKeys(t, it.Config, keys, nil)
		require.Equal(t, it.Name, it.Config["name"])
		require.Equal(t, "arn:aws:rds:"+it.Region+":"+scope.Account.Identifier+":subgrp:", it.ARN[:len(it.ARN)-len("sim-subnets-0")])
		if it.Config["vpc_id"] == nil {
			noVPC++
			require.NotContains(t, it.Name, " (in ")
		} else {
			require.Contains(t, it.Name, " (in vpc-")
		}
		require.Len(t, it.Config["subnets"], 2)
	}
	require.Equal(t, 2, noVPC)
	require.Equal(t, int64(3), sim.Client.Calls()["rds.DescribeDBSubnetGroups"], "one page per region")
}

func TestWatcherSimFaults(t *testing.T) {
	t.Parallel()
	opts := awssim.Options{Accounts: 2, Seed: 21, Items: 9}
	t.Run("failing region", func(t *testing.T) {
		t.Parallel()
		sim := watchtest.StartSim(t, opts)
		scope := sim.Scope(t, 1)
		require.NoError(t, sim.Server.SetFaults(awssim.Faults{FailRegions: []string{"eu-west-1"}}))
		res, err := NewWatcher().Collect(context.Background(), scope)
		require.NoError(t, err)
		require.Len(t, res.Failures, 1)
		require.Equal(t, "eu-west-1", res.Failures[0].Region)
		require.Empty(t, res.Failures[0].Name)
		require.Len(t, res.Items, 6)
	})
	t.Run("rds fails", func(t *testing.T) {
		t.Parallel()
		watchtest.ServiceFails(t, NewWatcher(), opts, "rds", "us-east-1", "sim-subnets-0 (in vpc-x)")
	})
	t.Run("throttled", func(t *testing.T) {
		t.Parallel()
		require.Len(t, watchtest.Throttled(t, NewWatcher(), opts).Items, 9)
	})
	t.Run("ignore list", func(t *testing.T) {
		t.Parallel()
		sim := watchtest.StartSim(t, opts)
		scope := sim.Scope(t, 0)
		scope.Ignore = []string{"SIM-SUBNETS-1"} // case-insensitive prefix of the group name
		res, err := NewWatcher().Collect(context.Background(), scope)
		require.NoError(t, err)
		require.Len(t, res.Items, 8)
		for _, it := range res.Items {
			require.NotContains(t, it.Name, "sim-subnets-1 ")
		}
	})
}

func BenchmarkWatcherCollectSim10000(b *testing.B) {
	watchtest.BenchmarkCollect(b, NewWatcher(), "rds", 10000)
}
