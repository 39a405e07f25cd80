package elasticip

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/watch/watchtest"
)

func TestWatcherNormalizeGolden(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		a        types.Address
		assigned any
	}{
		{"full", types.Address{PublicIp: aws.String("52.1.2.3"), PrivateIpAddress: aws.String("10.0.0.5"), InstanceId: aws.String("i-1"),
			Domain: types.DomainTypeVpc, AllocationId: aws.String("eipalloc-1"), AssociationId: aws.String("eipassoc-1"),
			NetworkInterfaceId: aws.String("eni-1"), NetworkInterfaceOwnerId: aws.String("123456789012")}, "web-1"},
		{"bare", types.Address{PublicIp: aws.String("52.1.2.4")}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			watchtest.Golden(t, "watcher_"+tc.name+".golden.json", normalize(&tc.a, tc.assigned))
		})
	}
}

// fakeEC2 serves n associated addresses and records the DescribeTags
// filters.
type fakeEC2 struct {
	n       int
	tagsErr error
	mu      sync.Mutex
	filters [][]types.Filter
}

func (f *fakeEC2) DescribeAddresses(context.Context, *ec2.DescribeAddressesInput, ...func(*ec2.Options)) (*ec2.DescribeAddressesOutput, error) {
	out := &ec2.DescribeAddressesOutput{}
	for i := range f.n {
		out.Addresses = append(out.Addresses, types.Address{PublicIp: aws.String("52.0." + itoa(i/250) + "." + itoa(i%250)), InstanceId: aws.String("i-" + itoa(i))})
	}
	out.Addresses = append(out.Addresses, types.Address{PublicIp: aws.String("52.9.9.9")})
	return out, nil
}

func (f *fakeEC2) DescribeTags(_ context.Context, in *ec2.DescribeTagsInput, _ ...func(*ec2.Options)) (*ec2.DescribeTagsOutput, error) {
	f.mu.Lock()
	f.filters = append(f.filters, in.Filters)
	f.mu.Unlock()
	if f.tagsErr != nil {
		return nil, f.tagsErr
	}
	out := &ec2.DescribeTagsOutput{}
	for _, id := range in.Filters[0].Values {
		out.Tags = append(out.Tags, types.TagDescription{ResourceId: aws.String(id), Key: aws.String("Name"), Value: aws.String("name-of-" + id)})
	}
	return out, nil
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

func TestWatcherNameTagsInChunks(t *testing.T) {
	t.Parallel()
	f := &fakeEC2{n: 450}
	w := NewWatcher(withClient(func(aws.Config) ec2API { return f }))
	scope := watchtest.FakeScope(monkey.Account{Name: "prod", Identifier: "123456789012", Type: "AWS"}, "us-east-1")
	scope.Ignore = []string{"name-of-i-7", "52.0.0.3"}
	res, err := w.Collect(context.Background(), scope)
	require.NoError(t, err)
	require.Empty(t, res.Failures)
	// Ignored: i-7 and i-70…i-79 by name; 52.0.0.3 and 52.0.0.30…39 by address.
	require.Len(t, res.Items, 451-22)
	require.Len(t, f.filters, 3, "439 instances: 200 + 200 + 39")
	total := 0
	for _, fl := range f.filters {
		require.LessOrEqual(t, len(fl[0].Values), 200)
		total += len(fl[0].Values)
		require.Equal(t, []string{"Name"}, fl[1].Values)
		require.Equal(t, []string{"instance"}, fl[2].Values)
	}
	require.Equal(t, 439, total, "the instances of ignored addresses are not asked for")
	for _, it := range res.Items {
		if id, _ := it.Config["instance_id"].(string); id != "" {
			require.Equal(t, "name-of-"+id, it.Config["assigned_to"])
		} else {
			require.Nil(t, it.Config["assigned_to"])
		}
	}

	f = &fakeEC2{n: 3, tagsErr: errors.New("UnauthorizedOperation")}
	w = NewWatcher(withClient(func(aws.Config) ec2API { return f }))
	res, err = w.Collect(context.Background(), watchtest.FakeScope(monkey.Account{Name: "prod", Identifier: "123456789012", Type: "AWS"}, "us-east-1"))
	require.NoError(t, err)
	require.Empty(t, res.Items)
	require.Len(t, res.Failures, 1)
	require.Equal(t, "us-east-1", res.Failures[0].Region)
}

var keys = []string{"assigned_to", "public_ip", "private_ip_address", "instance_id", "domain", "allocation_id", "association_id",
	"network_interface_id", "network_interface_owner_id"}

func TestWatcherSim(t *testing.T) {
	t.Parallel()
	const items = 15
	sim := watchtest.StartSim(t, awssim.Options{Accounts: 1, Seed: 23, Items: items, ItemsPer: map[string]int{"ec2instance": 30}})
	scope := sim.Scope(t, 0)
	res := watchtest.Run(t, NewWatcher(), scope)
	require.Len(t, res.Items, items)
	assigned, unnamed, classic := 0, 0, 0
	for _, it := range res.Items {
		watchtest.RequireKeys(t, it.Config, keys, nil)
		require.Equal(t, it.Name, it.Config["public_ip"])
		require.Empty(t, it.ARN)
		if it.Config["domain"] == "standard" {
			classic++
			require.Nil(t, it.Config["allocation_id"])
		}
		switch {
		case it.Config["assigned_to"] != nil:
			assigned++
			require.Regexp(t, `^web-\d+$`, it.Config["assigned_to"])
		case it.Config["instance_id"] != nil:
			unnamed++ // the instance has no tags
		}
	}
	require.Equal(t, 8, assigned, "10 associated, of which the instances 6 and 13 are untagged")
	require.Equal(t, 2, unnamed)
	require.Equal(t, 3, classic)

	scope.Ignore = []string{"web-1"}
	res, err := NewWatcher().Collect(context.Background(), scope)
	require.NoError(t, err)
	require.Len(t, res.Items, items-3, "assigned to web-1, web-10 and web-12 (11 and 14 are free)")
}

func TestWatcherSimFaults(t *testing.T) {
	t.Parallel()
	t.Run("ec2 fails", func(t *testing.T) {
		t.Parallel()
		watchtest.ServiceFails(t, NewWatcher(), awssim.Options{Accounts: 2, Seed: 23, Items: 5}, "ec2", "us-east-1", "x")
	})
	t.Run("failing region", func(t *testing.T) {
		t.Parallel()
		sim := watchtest.StartSim(t, awssim.Options{Accounts: 2, Seed: 23, Items: 9})
		scope := sim.Scope(t, 1)
		require.NoError(t, sim.Server.SetFaults(awssim.Faults{FailRegions: []string{"us-west-2"}}))
		res, err := NewWatcher().Collect(context.Background(), scope)
		require.NoError(t, err)
		require.Len(t, res.Failures, 1)
		require.Equal(t, "us-west-2", res.Failures[0].Region)
		require.Empty(t, res.Failures[0].Name)
		require.Len(t, res.Items, 6)
	})
	t.Run("throttled", func(t *testing.T) {
		t.Parallel()
		got := watchtest.Throttled(t, NewWatcher(), awssim.Options{Accounts: 2, Seed: 23, Items: 30})
		require.Len(t, got.Items, 30)
	})
}

func TestFacts(t *testing.T) {
	t.Parallel()
	kr := func(v string) monkey.KnownResource { return monkey.KnownResource{Kind: "cidr", Value: v} }
	for _, tc := range []struct {
		cfg  monkey.Config
		want []monkey.KnownResource
	}{
		{monkey.Config{"public_ip": "1.1.1.1", "private_ip_address": "10.0.0.1"}, []monkey.KnownResource{kr("1.1.1.1"), kr("10.0.0.1")}},
		{monkey.Config{"public_ip": "1.1.1.1", "private_ip_address": nil}, []monkey.KnownResource{kr("1.1.1.1")}},
		{monkey.Config{"public_ip": "", "private_ip_address": 7}, nil},
	} {
		require.Equal(t, tc.want, Plugin().Facts("ip", tc.cfg))
	}
}

func BenchmarkWatcherCollectSim10000(b *testing.B) {
	watchtest.BenchmarkCollect(b, NewWatcher(), "ec2", 10000)
}
