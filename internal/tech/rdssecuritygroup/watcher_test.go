package rdssecuritygroup

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/audit"
	"github.com/secmonkey/monkey/internal/audit/audittest"
	"github.com/secmonkey/monkey/internal/awssim"
	"github.com/secmonkey/monkey/internal/watch/watchtest"
)

func TestWatcherNormalizeGolden(t *testing.T) {
	t.Parallel()
	full := types.DBSecurityGroup{
		DBSecurityGroupName: aws.String("legacy"), DBSecurityGroupDescription: aws.String("legacy app"),
		OwnerId: aws.String("123456789012"), VpcId: aws.String("vpc-1"),
		DBSecurityGroupArn: aws.String("arn:aws:rds:eu-west-1:123456789012:secgrp:legacy"),
		IPRanges: []types.IPRange{{CIDRIP: aws.String("10.0.0.0/8"), Status: aws.String("authorized")},
			{CIDRIP: aws.String("0.0.0.0/0"), Status: aws.String("revoking")}},
		EC2SecurityGroups: []types.EC2SecurityGroup{{EC2SecurityGroupName: aws.String("web"), EC2SecurityGroupId: aws.String("sg-1"),
			EC2SecurityGroupOwnerId: aws.String("210987654321"), Status: aws.String("authorized")}},
	}
	bare := types.DBSecurityGroup{DBSecurityGroupName: aws.String("default")}
	for name, g := range map[string]types.DBSecurityGroup{"full": full, "bare": bare} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			watchtest.Golden(t, "watcher_"+name+".golden.json", normalize(&g, "eu-west-1"))
		})
	}
}

var keys = []string{"name", "description", "owner_id", "region", "ip_ranges", "ec2_groups", "vpc_id", "arn"}

// TestWatcherSim collects the seeded groups and audits them: every check
// of the auditor fires on some seeded group.
func TestWatcherSim(t *testing.T) {
	t.Parallel()
	sim := watchtest.StartSim(t, awssim.Options{Accounts: 2, Seed: 23, Items: 12})
	scope := sim.Scope(t, 1)
	res := watchtest.Run(t, NewWatcher(), scope)
	require.Len(t, res.Items, 12)
	a := NewAuditor()
	ctx := audittest.Context(t)
	fired := map[string]bool{}
	for _, it := range res.Items {
		watchtest.RequireKeys(t, it.Config, keys, nil)
		require.Equal(t, it.Name, it.Config["name"])
		require.Equal(t, it.Region, it.Config["region"])
		require.Equal(t, "arn:aws:rds:"+it.Region+":"+scope.Account.Identifier+":secgrp:"+it.Name, it.ARN)
		for _, c := range a.Checks() {
			fs := a.Audit(audit.Item{Account: scope.Account, Config: it.Config}, &audit.Env{Context: ctx, Only: map[string]bool{c.ID: true}})
			fired[c.ID] = fired[c.ID] || len(fs) > 0
		}
	}
	for _, c := range a.Checks() {
		require.True(t, fired[c.ID], "the seeded groups exercise %s", c.ID)
	}
}

func TestWatcherSimFaults(t *testing.T) {
	t.Parallel()
	opts := awssim.Options{Accounts: 2, Seed: 23, Items: 9}
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
		watchtest.ServiceFails(t, NewWatcher(), opts, "rds", "us-west-2", "sim-dbsg-classic-any-1")
	})
	t.Run("throttled", func(t *testing.T) {
		t.Parallel()
		require.Len(t, watchtest.Throttled(t, NewWatcher(), opts).Items, 9)
	})
	t.Run("ignore list", func(t *testing.T) {
		t.Parallel()
		sim := watchtest.StartSim(t, opts)
		scope := sim.Scope(t, 0)
		scope.Ignore = []string{"sim-dbsg-CLASSIC"}
		res, err := NewWatcher().Collect(context.Background(), scope)
		require.NoError(t, err)
		require.Len(t, res.Items, 3, "the VPC groups 0, 4 and 6")
	})
}

func BenchmarkWatcherCollectSim10000(b *testing.B) {
	watchtest.BenchmarkCollect(b, NewWatcher(), "rds", 10000)
}
