package route53domains

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/route53domains"
	"github.com/aws/aws-sdk-go-v2/service/route53domains/types"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/watch/watchtest"
)

func TestWatcherNormalizeGolden(t *testing.T) {
	t.Parallel()
	person := &types.ContactDetail{FirstName: aws.String("Ada"), LastName: aws.String("Sim"), ContactType: types.ContactTypePerson,
		AddressLine1: aws.String("1 Main Street"), City: aws.String("Seattle"), State: aws.String("WA"), CountryCode: types.CountryCodeUs,
		ZipCode: aws.String("98101"), PhoneNumber: aws.String("+1.2065550100"), Email: aws.String("ada@example.com"),
		ExtraParams: []types.ExtraParam{{Name: types.ExtraParamNameBirthCountry, Value: aws.String("GB")}}}
	company := &types.ContactDetail{FirstName: aws.String("Host"), LastName: aws.String("Master"), ContactType: types.ContactTypeCompany,
		OrganizationName: aws.String("Example Corp"), Email: aws.String("hostmaster@example.com")}
	for name, d := range map[string]*route53domains.GetDomainDetailOutput{
		"full": {DomainName: aws.String("example.com"), AdminContact: company, RegistrantContact: person, TechContact: company,
			AutoRenew: aws.Bool(true), StatusList: []string{"clientTransferProhibited"}},
		"bare": {DomainName: aws.String("bare.example")},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			watchtest.Golden(t, "watcher_"+name+".golden.json", normalize(d))
		})
	}
}

func simOptions(n int) awssim.Options {
	return awssim.Options{Accounts: 2, Seed: 59, Items: 1, ItemsPer: map[string]int{Technology.Index: n}}
}

func TestWatcherSim(t *testing.T) {
	t.Parallel()
	sim := watchtest.StartSim(t, simOptions(130))
	scope := sim.Scope(t, 1)
	res := watchtest.Run(t, NewWatcher(), scope)
	require.Len(t, res.Items, 130)
	for _, it := range res.Items {
		watchtest.RequireKeys(t, it.Config, []string{"domain_name", "admin_contact", "registrant_contact"}, nil)
		require.Equal(t, it.Name, it.Config["domain_name"])
		require.Equal(t, Region, it.Region)
		require.Empty(t, it.ARN, "no ARN stored")
	}
	calls := sim.Client.Calls()
	require.Equal(t, int64(2), calls["route 53 domains.ListDomains"], "100 a page")
	require.Equal(t, int64(130), calls["route 53 domains.GetDomainDetail"])

	scope.Ignore = []string{"SIM-DOMAIN-1"}
	res, err := NewWatcher().Collect(context.Background(), scope)
	require.NoError(t, err)
	require.Len(t, res.Items, 130-1-10-30, "sim-domain-1, -1x and -1xx ignored")
	require.Equal(t, int64(130+89), sim.Client.Calls()["route 53 domains.GetDomainDetail"], "ignored before any detail call")
}

// fakeDomains lists domains and fails the detail of the one named broken.
type fakeDomains struct {
	names  []string
	broken string
}

func (f *fakeDomains) ListDomains(context.Context, *route53domains.ListDomainsInput, ...func(*route53domains.Options)) (*route53domains.ListDomainsOutput, error) {
	out := &route53domains.ListDomainsOutput{}
	for _, n := range f.names {
		out.Domains = append(out.Domains, types.DomainSummary{DomainName: aws.String(n)})
	}
	return out, nil
}

func (f *fakeDomains) GetDomainDetail(_ context.Context, in *route53domains.GetDomainDetailInput, _ ...func(*route53domains.Options)) (*route53domains.GetDomainDetailOutput, error) {
	if aws.ToString(in.DomainName) == f.broken {
		return nil, errors.New("boom")
	}
	return &route53domains.GetDomainDetailOutput{DomainName: in.DomainName}, nil
}

func TestWatcherItemFailure(t *testing.T) {
	t.Parallel()
	f := &fakeDomains{names: []string{"a.example", "b.example", "c.example"}, broken: "b.example"}
	scope := watchtest.FakeScope(monkey.Account{Name: "prod", Identifier: "123456789012", Type: "AWS"}, "us-east-1")
	w := &Watcher{newClient: func(aws.Config) route53DomainsAPI { return f }, concurrency: 2}
	res, err := w.Collect(context.Background(), scope)
	require.NoError(t, err)
	require.Len(t, res.Items, 2)
	require.Len(t, res.Failures, 1)
	require.True(t, res.Failures[0].Covers(Region, "b.example"))
	require.False(t, res.Failures[0].Covers(Region, "a.example"))
}

func TestWatcherSimFaults(t *testing.T) {
	t.Parallel()
	t.Run("route53domains fails", func(t *testing.T) {
		t.Parallel()
		watchtest.ServiceFails(t, NewWatcher(), simOptions(9), "route53domains", Region, "sim-domain-0.example")
	})
	t.Run("a failing region elsewhere changes nothing", func(t *testing.T) {
		t.Parallel()
		sim := watchtest.StartSim(t, simOptions(9))
		require.NoError(t, sim.Server.SetFaults(awssim.Faults{FailRegions: []string{"eu-west-1"}}))
		res, err := NewWatcher().Collect(context.Background(), sim.Scope(t, 1))
		require.NoError(t, err)
		require.Empty(t, res.Failures)
		require.Len(t, res.Items, 9)
	})
	t.Run("throttled", func(t *testing.T) {
		t.Parallel()
		got := watchtest.Throttled(t, NewWatcher(), simOptions(6))
		require.Len(t, got.Items, 6)
	})
}

func BenchmarkWatcherCollectSim10000(b *testing.B) {
	watchtest.BenchmarkCollect(b, NewWatcher(), "route53domains", 10000)
}
