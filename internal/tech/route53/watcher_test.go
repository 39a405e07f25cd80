package route53

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/watch"
	"github.com/secmonkey/monkey/internal/watch/watchtest"
)

func TestWatcherNormalizeGolden(t *testing.T) {
	t.Parallel()
	zone := &types.HostedZone{Id: aws.String("/hostedzone/Z123EXAMPLE"), Name: aws.String("example.com."),
		Config: &types.HostedZoneConfig{PrivateZone: false}}
	full := normalize(zone, &types.ResourceRecordSet{Name: aws.String("www.example.com."), Type: types.RRTypeA, TTL: aws.Int64(300),
		ResourceRecords: []types.ResourceRecord{{Value: aws.String("192.0.2.1")}, {Value: aws.String("192.0.2.2")}}})
	watchtest.Golden(t, "watcher_full.golden.json", full)
	bare := normalize(&types.HostedZone{Id: aws.String("/hostedzone/Z9"), Name: aws.String("old.example.")},
		&types.ResourceRecordSet{Name: aws.String("alias.old.example."), Type: types.RRTypeA,
			AliasTarget: &types.AliasTarget{DNSName: aws.String("lb.example."), HostedZoneId: aws.String("Z35")}})
	watchtest.Golden(t, "watcher_bare.golden.json", bare)
}

func simOptions(n int) awssim.Options {
	return awssim.Options{Accounts: 2, Seed: 64, Items: 1, ItemsPer: map[string]int{Technology.Index: n}}
}

func TestWatcherSim(t *testing.T) {
	t.Parallel()
	sim := watchtest.StartSim(t, simOptions(40))
	scope := sim.Scope(t, 1)
	res := watchtest.Run(t, NewWatcher(), scope)
	require.Len(t, res.Items, 40)
	privacy := map[any]int{}
	aliases := 0
	for _, it := range res.Items {
		watchtest.RequireKeys(t, it.Config, []string{"zonename", "zoneid", "zoneprivate", "name", "type", "records", "ttl"}, nil)
		require.Equal(t, it.Name, it.Config["name"])
		require.Regexp(t, `^/hostedzone/Z`, it.Config["zoneid"])
		privacy[it.Config["zoneprivate"]]++
		if it.Config["ttl"] == nil {
			aliases++
			require.Empty(t, it.Config["records"])
		}
	}
	require.Equal(t, map[any]int{false: 20, true: 10, "Unknown": 10}, privacy, "zones 0 and 2 public, 1 private, 3 without Config")
	require.Equal(t, 7, aliases, "i%6 == 3 below 40")
	calls := sim.Client.Calls()
	require.Equal(t, int64(1), calls["route 53.ListHostedZones"])
	require.Equal(t, int64(4), calls["route 53.ListResourceRecordSets"], "one page per zone")

	scope.Ignore = []string{"ZONE-1.", "R2"}
	res, err := NewWatcher().Collect(context.Background(), scope)
	require.NoError(t, err)
	require.Len(t, res.Items, 40-10-10-1, "zone-1 skipped; r2, r20..r29 ignored (r2x live in zone-2)")
}

// fakeRoute53 serves two zones whose record sets share names; the zone
// named broken fails.
type fakeRoute53 struct {
	broken string
	calls  int
}

func (f *fakeRoute53) ListHostedZones(context.Context, *route53.ListHostedZonesInput, ...func(*route53.Options)) (*route53.ListHostedZonesOutput, error) {
	return &route53.ListHostedZonesOutput{HostedZones: []types.HostedZone{
		{Id: aws.String("/hostedzone/ZA"), Name: aws.String("a.example.")},
		{Id: aws.String("/hostedzone/ZB"), Name: aws.String("b.example."), Config: &types.HostedZoneConfig{PrivateZone: true}},
		{Id: aws.String("/hostedzone/ZC"), Name: aws.String("c.example.")},
	}}, nil
}

func (f *fakeRoute53) ListResourceRecordSets(_ context.Context, in *route53.ListResourceRecordSetsInput, _ ...func(*route53.Options)) (*route53.ListResourceRecordSetsOutput, error) {
	f.calls++
	id := aws.ToString(in.HostedZoneId)
	if id == f.broken {
		return nil, errors.New("boom")
	}
	rr := func(name string, t types.RRType, v string) types.ResourceRecordSet {
		return types.ResourceRecordSet{Name: aws.String(name), Type: t, TTL: aws.Int64(60), ResourceRecords: []types.ResourceRecord{{Value: aws.String(v)}}}
	}
	switch id {
	case "/hostedzone/ZA":
		return &route53.ListResourceRecordSetsOutput{ResourceRecordSets: []types.ResourceRecordSet{
			rr("a.example.", types.RRTypeNs, "ns-1.awsdns.com."), rr("a.example.", types.RRTypeSoa, "ns-1.awsdns.com. hostmaster 1 7200 900 1209600 86400"),
			rr("www.shared.", types.RRTypeA, "52.0.0.1")}}, nil
	case "/hostedzone/ZB":
		return &route53.ListResourceRecordSetsOutput{ResourceRecordSets: []types.ResourceRecordSet{rr("www.shared.", types.RRTypeA, "10.0.0.1"), rr("db.b.example.", types.RRTypeA, "10.0.0.2")}}, nil
	}
	return &route53.ListResourceRecordSetsOutput{ResourceRecordSets: []types.ResourceRecordSet{rr("c.example.", types.RRTypeA, "52.0.0.3")}}, nil
}

// The first record set listed keeps a shared name (zone order, then record
// order), on every scan; a zone whose records cannot be listed fails every
// location (nothing is reported deleted), the other zones are still read.
func TestWatcherSharedNamesAndFailedZone(t *testing.T) {
	t.Parallel()
	scope := watchtest.FakeScope(monkey.Account{Name: "prod", Identifier: "123456789012", Type: "AWS"}, "us-east-1")
	f := &fakeRoute53{}
	res, err := (&Watcher{newClient: func(aws.Config) route53API { return f }}).Collect(context.Background(), scope)
	require.NoError(t, err)
	require.Empty(t, res.Failures)
	got := map[string]string{}
	for _, it := range res.Items {
		got[it.Name] = it.Config["type"].(string) + " " + it.Config["records"].([]any)[0].(string)
	}
	require.Equal(t, map[string]string{"a.example.": "NS ns-1.awsdns.com.", "www.shared.": "A 52.0.0.1", "db.b.example.": "A 10.0.0.2",
		"c.example.": "A 52.0.0.3"}, got)

	f = &fakeRoute53{broken: "/hostedzone/ZB"}
	res, err = (&Watcher{newClient: func(aws.Config) route53API { return f }}).Collect(context.Background(), scope)
	require.NoError(t, err)
	require.Len(t, res.Items, 3)
	require.Len(t, res.Failures, 1)
	require.True(t, res.Failures[0].Covers(watch.Universal, "db.b.example."))
	require.Equal(t, 3, f.calls, "zone c still read")
}

func TestWatcherSimFaults(t *testing.T) {
	t.Parallel()
	t.Run("route53 fails", func(t *testing.T) {
		t.Parallel()
		watchtest.ServiceFails(t, NewWatcher(), simOptions(12), "route53", watch.Universal, "r0.zone-0.sim.example.com.")
	})
	t.Run("throttled", func(t *testing.T) {
		t.Parallel()
		got := watchtest.Throttled(t, NewWatcher(), simOptions(25))
		require.Len(t, got.Items, 25)
	})
}

func BenchmarkWatcherCollectSim10000(b *testing.B) {
	watchtest.BenchmarkCollect(b, NewWatcher(), "route53", 10000)
}
