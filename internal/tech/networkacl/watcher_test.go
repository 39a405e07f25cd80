package networkacl

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
	for name, acl := range map[string]types.NetworkAcl{
		"full": {NetworkAclId: aws.String("acl-0123456789abcdef0"), VpcId: aws.String("vpc-0123456789abcdef0"), IsDefault: aws.Bool(false),
			Entries: []types.NetworkAclEntry{
				{RuleNumber: aws.Int32(100), Protocol: aws.String("6"), RuleAction: types.RuleActionAllow, Egress: aws.Bool(false),
					CidrBlock: aws.String("0.0.0.0/0"), PortRange: &types.PortRange{From: aws.Int32(22), To: aws.Int32(22)}},
				{RuleNumber: aws.Int32(110), Protocol: aws.String("1"), RuleAction: types.RuleActionDeny, Egress: aws.Bool(true),
					Ipv6CidrBlock: aws.String("::/0"), IcmpTypeCode: &types.IcmpTypeCode{Code: aws.Int32(-1), Type: aws.Int32(-1)}},
			},
			Associations: []types.NetworkAclAssociation{{NetworkAclAssociationId: aws.String("aclassoc-1"), NetworkAclId: aws.String("acl-0123456789abcdef0"), SubnetId: aws.String("subnet-1")}},
			Tags:         []types.Tag{{Key: aws.String("Name"), Value: aws.String("dmz")}}},
		"bare": {NetworkAclId: aws.String("acl-00000000000000001")},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			watchtest.Golden(t, "watcher_"+name+".golden.json", map[string]any{"name": itemName(&acl), "config": normalize(&acl, "")})
		})
	}
}

func TestWatcherSim(t *testing.T) {
	t.Parallel()
	const items = 14
	sim := watchtest.StartSim(t, awssim.Options{Accounts: 1, Seed: 29, Items: items})
	scope := sim.Scope(t, 0)
	res := watchtest.Run(t, NewWatcher(), scope)
	require.Len(t, res.Items, items)
	defaults := 0
	for _, it := range res.Items {
		watchtest.RequireKeys(t, it.Config, []string{"id", "vpc_id", "is_default", "entries", "associations", "tags"}, nil)
		require.Equal(t, it.Name, it.Config["id"])
		require.Empty(t, it.ARN)
		if it.Config["is_default"] == true {
			defaults++
		}
		for _, e := range it.Config["entries"].([]any) {
			watchtest.RequireKeys(t, e.(map[string]any), []string{"RuleNumber", "Protocol", "RuleAction", "Egress", "CidrBlock"}, []string{"PortRange", "IcmpTypeCode"})
		}
	}
	require.Equal(t, 6, defaults)

	scope.Ignore = []string{res.Items[0].Name}
	res2, err := NewWatcher().Collect(context.Background(), scope)
	require.NoError(t, err)
	require.Len(t, res2.Items, items-1)
}

func TestWatcherSimFaults(t *testing.T) {
	t.Parallel()
	t.Run("ec2 fails", func(t *testing.T) {
		t.Parallel()
		watchtest.ServiceFails(t, NewWatcher(), awssim.Options{Accounts: 2, Seed: 29, Items: 5}, "ec2", "us-east-1", "x")
	})
	t.Run("failing region", func(t *testing.T) {
		t.Parallel()
		sim := watchtest.StartSim(t, awssim.Options{Accounts: 2, Seed: 29, Items: 9})
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
		got := watchtest.Throttled(t, NewWatcher(), awssim.Options{Accounts: 2, Seed: 29, Items: 30})
		require.Len(t, got.Items, 30)
	})
}

func BenchmarkWatcherCollectSim10000(b *testing.B) {
	watchtest.BenchmarkCollect(b, NewWatcher(), "ec2", 10000)
}
