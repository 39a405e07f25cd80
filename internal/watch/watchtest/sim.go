package watchtest

import (
	"context"
	"net/http"
	"testing"
	"time"

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
// AssumeRole through Client.ForAccount, then its enabled regions.
func (s *Sim) Scope(t testing.TB, i int) watch.Scope {
	t.Helper()
	acct := s.Account(t, i)
	cfg, err := s.Client.ForAccount(context.Background(), acct)
	require.NoError(t, err)
	regions, err := s.Client.Regions(context.Background(), cfg)
	require.NoError(t, err)
	return watch.Scope{
		Account: acct, AWS: cfg, Regions: regions, Partition: s.Client.Partition(),
		Settings: map[string]string{}, RegionConcurrency: 4,
	}
}
