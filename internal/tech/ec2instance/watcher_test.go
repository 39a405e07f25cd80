package ec2instance

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
	"github.com/secmonkey/monkey/internal/watch/watchtest"
)

var launched = time.Date(2019, 3, 4, 5, 6, 7, 0, time.UTC)

func fullInstance() types.Instance {
	return types.Instance{
		InstanceId: aws.String("i-0123456789abcdef0"), ImageId: aws.String("ami-0abc"), InstanceType: types.InstanceTypeM5Large,
		PrivateDnsName: aws.String("ip-10-0-0-5.ec2.internal"), PublicDnsName: aws.String("ec2-3-80-1-2.compute-1.amazonaws.com"),
		SubnetId: aws.String("subnet-1"), VpcId: aws.String("vpc-1"), PrivateIpAddress: aws.String("10.0.0.5"),
		PublicIpAddress: aws.String("3.80.1.2"),
		State:           &types.InstanceState{Code: aws.Int32(16), Name: types.InstanceStateNameRunning},
		LaunchTime:      aws.Time(launched),
		Placement:       &types.Placement{AvailabilityZone: aws.String("us-east-1a"), Tenancy: types.TenancyDefault, GroupName: aws.String("")},
		SecurityGroups:  []types.GroupIdentifier{{GroupName: aws.String("web"), GroupId: aws.String("sg-1")}, {GroupName: aws.String("ssh"), GroupId: aws.String("sg-2")}},
		Tags:            []types.Tag{{Key: aws.String("env"), Value: aws.String("prod")}, {Key: aws.String("Name"), Value: aws.String("web-1")}},
	}
}

func TestWatcherNormalizeGolden(t *testing.T) {
	t.Parallel()
	for name, in := range map[string]types.Instance{
		"full": fullInstance(),
		"bare": {InstanceId: aws.String("i-00000000000000001"), State: &types.InstanceState{Code: aws.Int32(80), Name: types.InstanceStateNameStopped}},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			item, _ := itemName(&in)
			watchtest.Golden(t, "watcher_"+name+".golden.json", map[string]any{"name": item, "config": normalize(&in)})
		})
	}
}

func TestItemName(t *testing.T) {
	t.Parallel()
	in := fullInstance()
	item, name := itemName(&in)
	require.Equal(t, "web-1(i-0123456789abcdef0)", item)
	require.Equal(t, "web-1", name)
	in.Tags = []types.Tag{{Key: aws.String("Name"), Value: aws.String("")}}
	item, _ = itemName(&in)
	require.Equal(t, "(i-0123456789abcdef0)", item, "an empty Name tag is a name")
	in.Tags = nil
	item, name = itemName(&in)
	require.Equal(t, "i-0123456789abcdef0(i-0123456789abcdef0)", item)
	require.Equal(t, "i-0123456789abcdef0", name)
}

var keys = []string{"name", "instance_id", "image_id", "instance_type", "private_dns_name", "public_dns_name", "subnet_id", "vpc_id",
	"private_ip_address", "public_ip_address", "state", "launch_time", "placement", "security_groups", "tags"}

func TestWatcherSim(t *testing.T) {
	t.Parallel()
	const items = 21
	sim := watchtest.StartSim(t, awssim.Options{Accounts: 2, Seed: 19, Items: items})
	scope := sim.Scope(t, 0)
	res := watchtest.Run(t, NewWatcher(), scope)
	require.Len(t, res.Items, items)
	regions := map[string]int{}
	var untagged, stopped, classic int
	for _, it := range res.Items {
		regions[it.Region]++
		watchtest.RequireKeys(t, it.Config, keys, nil)
		require.Empty(t, it.ARN, "no ARN stored")
		id := it.Config["instance_id"].(string)
		require.Equal(t, it.Config["name"].(string)+"("+id+")", it.Name)
		require.Regexp(t, `^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+00:00$`, it.Config["launch_time"])
		require.Equal(t, it.Region, it.Config["placement"].(map[string]any)["AvailabilityZone"].(string)[:len(it.Region)])
		require.Len(t, it.Config["security_groups"], 1)
		if it.Config["tags"] == nil {
			untagged++
			require.Equal(t, id, it.Config["name"])
		}
		if it.Config["state"].(map[string]any)["Name"] == "stopped" {
			stopped++
			require.Nil(t, it.Config["public_ip_address"])
		}
		if it.Config["vpc_id"] == nil {
			classic++
		}
	}
	require.Len(t, regions, 3)
	require.Positive(t, untagged)
	require.Positive(t, stopped)
	require.Positive(t, classic)

	// The groups are those securitygroup sees.
	groups := map[string]bool{}
	for _, region := range []string{"us-east-1", "us-west-2", "eu-west-1"} {
		out, err := ec2.NewFromConfig(scope.Session.(interface{ ForRegion(string) aws.Config }).ForRegion(region)).
			DescribeSecurityGroups(context.Background(), &ec2.DescribeSecurityGroupsInput{})
		require.NoError(t, err)
		for _, g := range out.SecurityGroups {
			groups[aws.ToString(g.GroupId)] = true
		}
	}
	for _, it := range res.Items {
		g := it.Config["security_groups"].([]any)[0].(map[string]any)["GroupId"].(string)
		require.True(t, groups[g], "instance %s runs in a simulated group", it.Name)
	}

	scope.Ignore = []string{"WEB-1"}
	res2, err := NewWatcher().Collect(context.Background(), scope)
	require.NoError(t, err)
	for _, it := range res2.Items {
		require.False(t, strings.HasPrefix(it.Name, "web-1"), it.Name)
	}
	require.Len(t, res2.Items, items-10, "web-1 and web-10 … web-19 but the untagged 13")
}

func TestWatcherSimFaults(t *testing.T) {
	t.Parallel()
	t.Run("ec2 fails", func(t *testing.T) {
		t.Parallel()
		watchtest.ServiceFails(t, NewWatcher(), awssim.Options{Accounts: 2, Seed: 19, Items: 5}, "ec2", "us-east-1", "x")
	})
	t.Run("failing region", func(t *testing.T) {
		t.Parallel()
		sim := watchtest.StartSim(t, awssim.Options{Accounts: 2, Seed: 19, Items: 9})
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
		got := watchtest.Throttled(t, NewWatcher(), awssim.Options{Accounts: 2, Seed: 19, Items: 30})
		require.Len(t, got.Items, 30)
	})
}

func BenchmarkWatcherCollectSim10000(b *testing.B) {
	watchtest.BenchmarkCollect(b, NewWatcher(), "ec2", 10000)
}
