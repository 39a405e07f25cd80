package networkinterface

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
	"github.com/secmonkey/monkey/internal/watch"
	"github.com/secmonkey/monkey/internal/watch/watchtest"
)

var attached = time.Date(2019, 3, 4, 5, 6, 7, 0, time.UTC)

func TestWatcherNormalizeGolden(t *testing.T) {
	t.Parallel()
	for name, e := range map[string]types.NetworkInterface{
		"full": {
			NetworkInterfaceId: aws.String("eni-0123456789abcdef0"), AvailabilityZone: aws.String("us-east-1a"), Description: aws.String("Primary network interface"),
			MacAddress: aws.String("0e:01:02:03:04:05"), OwnerId: aws.String("123456789012"), PrivateIpAddress: aws.String("10.0.0.5"),
			Status: types.NetworkInterfaceStatusInUse, VpcId: aws.String("vpc-1"), SourceDestCheck: aws.Bool(true),
			PrivateDnsName: aws.String("ip-10-0-0-5.ec2.internal"),
			Association: &types.NetworkInterfaceAssociation{AllocationId: aws.String("eipalloc-1"), AssociationId: aws.String("eipassoc-1"),
				PublicDnsName: aws.String("ec2-52-1-2-3.compute-1.amazonaws.com"), PublicIp: aws.String("52.1.2.3"), IpOwnerId: aws.String("123456789012")},
			Attachment: &types.NetworkInterfaceAttachment{AttachTime: aws.Time(attached), DeleteOnTermination: aws.Bool(true), DeviceIndex: aws.Int32(0),
				AttachmentId: aws.String("eni-attach-1"), InstanceId: aws.String("i-1"), InstanceOwnerId: aws.String("123456789012"), Status: types.AttachmentStatusAttached},
		},
		"bare": {NetworkInterfaceId: aws.String("eni-00000000000000001")},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			watchtest.Golden(t, "watcher_"+name+".golden.json", normalize(&e))
		})
	}
}

var always = []string{"network_interface_id", "availability_zone", "description", "mac_address", "owner_id", "private_ip_address",
	"status", "vpc_id", "source_dest_check"}

var optional = []string{"allocation_id", "association_id", "private_dns_name", "public_dns_name", "public_ip_address", "ip_owner_id", "attachment"}

func TestWatcherSim(t *testing.T) {
	t.Parallel()
	const items = 12
	sim := watchtest.StartSim(t, awssim.Options{Accounts: 1, Seed: 24, Items: items})
	scope := sim.Scope(t, 0)
	before := sim.Client.Calls()["ec2.DescribeNetworkInterfaces"]
	res := watchtest.Run(t, NewWatcher(), scope)
	require.Equal(t, int64(1), sim.Client.Calls()["ec2.DescribeNetworkInterfaces"]-before, "the default region only")
	require.Len(t, res.Items, items)
	kinds := map[string]int{}
	for _, it := range res.Items {
		require.Equal(t, watch.Universal, it.Region)
		require.Empty(t, it.ARN)
		require.Equal(t, it.Name, it.Config["network_interface_id"])
		watchtest.RequireKeys(t, it.Config, always, optional)
		a, ok := it.Config["attachment"].(map[string]any)
		switch {
		case !ok:
			kinds["detached"]++
			require.Equal(t, "available", it.Config["status"])
		case a["instance_id"] != nil:
			kinds["instance"]++
			require.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$`, a["attach_time"])
		default:
			kinds["managed"]++
			require.NotEmpty(t, it.Config["public_ip_address"])
		}
	}
	require.Len(t, kinds, 3)

	// Another region failing changes nothing: it is never asked.
	require.NoError(t, sim.Server.SetFaults(awssim.Faults{FailRegions: []string{"eu-west-1", "us-west-2"}}))
	res2, err := NewWatcher().Collect(context.Background(), scope)
	require.NoError(t, err)
	require.Empty(t, res2.Failures)
	require.Equal(t, res.Items, res2.Items)

	// The default region failing fails the account.
	require.NoError(t, sim.Server.SetFaults(awssim.Faults{FailRegions: []string{"us-east-1"}}))
	res2, err = NewWatcher().Collect(context.Background(), scope)
	require.NoError(t, err)
	require.Empty(t, res2.Items)
	require.Len(t, res2.Failures, 1)
	require.True(t, res2.Failures[0].Whole())
	require.NoError(t, sim.Server.SetFaults(awssim.Faults{}))

	scope.Ignore = []string{res.Items[0].Name[:6]}
	res2, err = NewWatcher().Collect(context.Background(), scope)
	require.NoError(t, err)
	for _, it := range res2.Items {
		require.False(t, strings.HasPrefix(it.Name, res.Items[0].Name[:6]))
	}
	require.Less(t, len(res2.Items), items)
}

func TestWatcherSimFaults(t *testing.T) {
	t.Parallel()
	t.Run("ec2 fails", func(t *testing.T) {
		t.Parallel()
		watchtest.ServiceFails(t, NewWatcher(), awssim.Options{Accounts: 2, Seed: 24, Items: 5}, "ec2", watch.Universal, "x")
	})
	t.Run("throttled", func(t *testing.T) {
		t.Parallel()
		got := watchtest.Throttled(t, NewWatcher(), awssim.Options{Accounts: 2, Seed: 24, Items: 30})
		require.Len(t, got.Items, 30)
	})
}

func BenchmarkWatcherCollectSim10000(b *testing.B) {
	watchtest.BenchmarkCollect(b, NewWatcher(), "ec2", 10000)
}
