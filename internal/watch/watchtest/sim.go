package watchtest

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/awssim"
	"github.com/secmonkey/monkey/internal/awssim/awssimtest"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/watch"
)

// Sim is a simulated AWS endpoint with an awsclient.Client pointed at it.
type Sim struct {
	Endpoint string
	Server   *awssim.Server
	Client   *awsclient.Client
}

// StartSim starts awssim (closed in t.Cleanup) and an awsclient.Client on
// it with short backoffs (adaptive retries, 10 attempts, ≤ 50 ms apart).
func StartSim(t testing.TB, opts awssim.Options, clientOpts ...func(*awsclient.Options)) *Sim {
	t.Helper()
	endpoint, srv := awssimtest.Start(t, opts)
	base := awssimtest.Config(t, endpoint)
	// One transport for every SDK client, whose idle connections are closed
	// before the server shuts down (cleanups run last-in first-out): a
	// connection dialled but never used would otherwise hold the server's
	// graceful shutdown for 5 s.
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 64
	base.HTTPClient = &http.Client{Transport: tr}
	t.Cleanup(tr.CloseIdleConnections)
	o := awsclient.Options{Base: &base, MaxAttempts: 10, MaxBackoff: 50 * time.Millisecond}
	for _, f := range clientOpts {
		f(&o)
	}
	c, err := awsclient.New(context.Background(), o)
	require.NoError(t, err)
	return &Sim{Endpoint: endpoint, Server: srv, Client: c}
}

// Account is the i-th simulated account as a monkey.Account.
func (s *Sim) Account(t testing.TB, i int) monkey.Account {
	t.Helper()
	ids := s.Server.AccountIDs()
	require.Greater(t, len(ids), i, "simulated accounts")
	return monkey.Account{ID: int64(i + 1), Type: "AWS", Identifier: ids[i], Name: "sim-" + ids[i], Active: true,
		Custom: map[string]string{monkey.FieldExternalID: "ext-" + ids[i]}}
}

// Scope resolves the i-th simulated account the way the worker does:
// AssumeRole through Client.Session (regions are listed on first use).
func (s *Sim) Scope(t testing.TB, i int) watch.Scope {
	t.Helper()
	acct := s.Account(t, i)
	sess, err := s.Client.Session(context.Background(), acct)
	require.NoError(t, err)
	return watch.Scope{Account: acct, Session: sess, RegionConcurrency: 4}
}

// Throttled collects with w from account 1 of a new simulator, then again
// with 30 % of the calls throttled — repeating until at least one attempt
// really was throttled — and requires the same full item set without
// failures. It returns the throttled collection.
func Throttled(t *testing.T, w watch.Watcher, opts awssim.Options) watch.Result {
	t.Helper()
	sim := StartSim(t, opts)
	scope := sim.Scope(t, 1)
	want, err := w.Collect(context.Background(), scope)
	require.NoError(t, err)
	require.Empty(t, want.Failures)
	require.NoError(t, sim.Server.SetFaults(awssim.Faults{ThrottleRate: 0.3}))
	// A single-page listing may escape the (seeded) throttle draw: collect
	// again until at least one attempt was throttled.
	var got watch.Result
	for try := 0; try == 0 || (sim.Client.Throttles() == 0 && try < 5); try++ {
		got, err = w.Collect(context.Background(), scope)
		require.NoError(t, err)
		require.Empty(t, got.Failures)
		require.Equal(t, want.Items, got.Items, "full item set despite throttling")
	}
	require.Positive(t, sim.Client.Throttles(), "throttling happened")
	return got
}

// ServiceFails collects with w from account 1 of a new simulator whose
// service answers AccessDenied to every call, and requires no items and a
// failure covering the item at region/name (so nothing there is deleted):
// one failure for a global technology, one per region for a regional one.
func ServiceFails(t *testing.T, w watch.Watcher, opts awssim.Options, service, region, name string) {
	t.Helper()
	sim := StartSim(t, opts)
	scope := sim.Scope(t, 1)
	require.NoError(t, sim.Server.SetFaults(awssim.Faults{FailServices: []string{service}}))
	res, err := w.Collect(context.Background(), scope)
	require.NoError(t, err)
	require.Empty(t, res.Items)
	require.NotEmpty(t, res.Failures)
	covered := false
	for _, f := range res.Failures {
		require.True(t, awsclient.IsAccessDenied(f.Err), "a failure is the denial: %v", f.Err)
		covered = covered || f.Covers(region, name)
	}
	require.True(t, covered, "a failure covers %s/%s", region, name)
}

// FakeScope is a scope of an AWS account whose session has a zero
// configuration and fixed regions: for watchers built on fake clients.
func FakeScope(acct monkey.Account, regions ...string) watch.Scope {
	return watch.Scope{Account: acct, Session: awsclient.NewSession(aws.Config{Region: awsclient.DefaultRegion}, "aws", regions)}
}

// BenchmarkCollect collects n items of technology index with w from a
// simulator seeded with them and reports items/s and the calls of service
// (the simulator's service id, e.g. "sqs") per 1,000 items.
func BenchmarkCollect(b *testing.B, w watch.Watcher, service string, n int) {
	b.Helper()
	sim := StartSim(b, awssim.Options{Accounts: 1, Seed: 1, Items: 1, ItemsPer: map[string]int{w.Technology().Index: n}})
	scope := sim.Scope(b, 0)
	var calls int
	b.ReportAllocs()
	for b.Loop() {
		sim.Server.ResetCalls()
		res, err := w.Collect(context.Background(), scope)
		if err != nil || len(res.Items) != n || len(res.Failures) > 0 {
			b.Fatalf("collect: %v, %d items, %v", err, len(res.Items), res.Err())
		}
		calls = 0
		for k, c := range sim.Server.Calls()[scope.Account.Identifier] {
			if strings.HasPrefix(k, service+".") {
				calls += c
			}
		}
	}
	b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "items/s")
	b.ReportMetric(float64(calls)*1000/float64(n), "calls/1000items")
}
