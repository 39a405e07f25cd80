package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/api"
	"github.com/secmonkey/monkey/internal/auth"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/server"
	"github.com/secmonkey/monkey/internal/store"
	"github.com/secmonkey/monkey/internal/store/storetest"
)

var fastHash = auth.HashParams{Memory: 64, Time: 1, Threads: 1}

// who is a signed-in test user.
type who struct {
	user  monkey.User
	token string // API token
}

type bundle struct {
	t   testing.TB
	st  *store.Store
	svc *auth.Service
	srv *server.Server
	url string
	// client uses this test server's own transport (not
	// http.DefaultTransport, whose idle connections any parallel test's
	// server Close cuts) and follows no redirect.
	client *http.Client
	users  map[string]who // by role
	seed   seeded
}

type seeded struct {
	prod, dev       monkey.Account
	logs, admin     int64 // item ids
	logsRevs        []int64
	internet, unkwn int64 // issue ids
}

type options struct {
	web       server.Web
	providers []*auth.Provider
	groups    auth.Groups
}

func forEachEngine(t *testing.T, fn func(t *testing.T, engine string)) {
	t.Helper()
	for _, e := range storetest.Engines(t) {
		t.Run(e, func(t *testing.T) {
			t.Parallel()
			fn(t, e)
		})
	}
}

func techs() []monkey.Technology {
	return []monkey.Technology{{Index: "iamrole", Singular: "IAM Role", Plural: "IAM Roles", Cloud: "AWS", Global: true},
		{Index: "s3", Singular: "S3 Bucket", Plural: "S3 Buckets", Cloud: "AWS"}}
}

func setup(t testing.TB, engine string, o options) *bundle {
	t.Helper()
	st := storetest.New(t, engine)
	svc, err := auth.New(auth.Config{Hash: fastHash, Groups: o.groups}, st, nil, nil)
	require.NoError(t, err)
	a, err := api.New(api.Deps{Store: st, Auth: svc, Providers: o.providers, Technologies: techs(),
		TechMethods: map[string][]string{"s3": {"check_acl (S3Auditor)", "check_policy (S3Auditor)"}, "iamrole": {"check_star (IAMRoleAuditor)"}},
		WebPath:     "/"})
	require.NoError(t, err)
	web := o.web
	if !web.CSRFEnabled {
		web.CSRFEnabled = true
	}
	srv, err := server.New(server.Config{Web: web, APIToken: "legacy-admin-token"}, server.Deps{
		Registry: prometheus.NewRegistry(), Auth: svc, Routes: a.Routes(), Version: "test",
		Scans: func(context.Context, server.ScanRequest) (server.ScanResponse, error) {
			return server.ScanResponse{}, nil
		},
	})
	require.NoError(t, err)
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	b := &bundle{t: t, st: st, svc: svc, srv: srv, url: ts.URL, users: map[string]who{}, client: &http.Client{
		Transport: ts.Client().Transport, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	ctx := context.Background()
	for _, role := range monkey.UserRoles {
		u, err := svc.CreateUser(ctx, strings.ToLower(role)+"@example.com", role, "password-"+role)
		require.NoError(t, err)
		secret, _, err := svc.CreateToken(ctx, u, "test", 0)
		require.NoError(t, err)
		b.users[role] = who{user: u, token: secret}
	}
	b.seedData()
	return b
}

func (b *bundle) seedData() {
	t, st, ctx := b.t, b.st, context.Background()
	s := &b.seed
	s.prod = monkey.Account{Type: "AWS", Name: "prod", Identifier: "111111111111", Active: true}
	s.dev = monkey.Account{Type: "AWS", Name: "dev", Identifier: "222222222222", Active: true}
	require.NoError(t, st.CreateAccount(ctx, &s.prod))
	require.NoError(t, st.CreateAccount(ctx, &s.dev))
	t0 := time.Date(2026, 2, 1, 10, 30, 0, 0, time.UTC)
	require.NoError(t, st.ApplyChanges(ctx, store.ChangeSet{AccountID: s.prod.ID, Technology: "s3", Now: t0, New: []store.NewItem{
		{Region: "us-east-1", Name: "logs", ARN: "arn:aws:s3:::logs", Config: []byte(`{"Policy":{"Statement":[{"Effect":"Allow","Principal":"*"}]}}`)},
	}}))
	require.NoError(t, st.ApplyChanges(ctx, store.ChangeSet{AccountID: s.dev.ID, Technology: "iamrole", Now: t0.Add(time.Hour), New: []store.NewItem{
		{Region: "universal", Name: "admin", ARN: "arn:aws:iam::222222222222:role/admin", Config: []byte(`{"RoleName":"admin"}`)},
	}}))
	logs, err := st.ItemByName(ctx, s.prod.ID, "s3", "us-east-1", "logs")
	require.NoError(t, err)
	admin, err := st.ItemByName(ctx, s.dev.ID, "iamrole", "universal", "admin")
	require.NoError(t, err)
	s.logs, s.admin = logs.ID, admin.ID
	require.NoError(t, st.ApplyChanges(ctx, store.ChangeSet{AccountID: s.prod.ID, Technology: "s3", Now: t0.Add(2*time.Hour + 123456*time.Microsecond),
		Durable: []store.RevisionWrite{{ItemID: logs.ID, RevisionID: logs.RevisionID, ARN: logs.ARN, Config: []byte(`{"Policy":{"Statement":[{"Effect":"Deny","Principal":"*"}]},"Tags":{"a":"<b>"}}`)}}}))
	revs, err := st.RevisionHistory(ctx, logs.ID)
	require.NoError(t, err)
	for _, r := range revs {
		s.logsRevs = append(s.logsRevs, r.ID)
	}
	notes := "Entity: [account:123]"
	require.NoError(t, st.SaveIssues(ctx, store.Fence{}, s.prod.ID, "s3", []store.IssueWrite{{ItemID: logs.ID, Class: "S3Auditor", Create: []monkey.Issue{
		{Text: "Internet Accessible", Score: 10, LinkedItemIDs: []int64{admin.ID}},
		{Text: "Unknown Access", Score: 5, Notes: &notes},
	}}}))
	list, _, err := st.ListIssues(ctx, store.IssueQuery{})
	require.NoError(t, err)
	for _, v := range list {
		switch v.Issue.Text {
		case "Internet Accessible":
			s.internet = v.Issue.ID
		case "Unknown Access":
			s.unkwn = v.Issue.ID
		}
	}
}

// reply is an HTTP answer.
type reply struct {
	status int
	header http.Header
	body   []byte
}

func (r reply) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(r.body, &m), string(r.body))
	return m
}

// req describes a request.
type req struct {
	method, path string
	body         any // string (sent as is) or a value encoded as JSON
	bearer       string
	session      string // session token
	csrf         string // X-CSRFToken
	header       map[string]string
}

func (b *bundle) do(r req) reply {
	b.t.Helper()
	var body io.Reader
	switch v := r.body.(type) {
	case nil:
	case string:
		body = strings.NewReader(v)
	case []byte:
		body = bytes.NewReader(v)
	default:
		j, err := json.Marshal(v)
		require.NoError(b.t, err)
		body = bytes.NewReader(j)
	}
	hr, err := http.NewRequest(r.method, b.url+r.path, body)
	require.NoError(b.t, err)
	if body != nil {
		hr.Header.Set("Content-Type", "application/json")
	}
	if r.bearer != "" {
		hr.Header.Set("Authorization", "Bearer "+r.bearer)
	}
	if r.session != "" {
		hr.AddCookie(&http.Cookie{Name: server.SessionCookie, Value: r.session})
	}
	if r.csrf != "" {
		hr.Header.Set("X-CSRFToken", r.csrf)
	}
	for k, v := range r.header {
		hr.Header.Set(k, v)
	}
	resp, err := b.client.Do(hr)
	require.NoError(b.t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(b.t, err)
	return reply{status: resp.StatusCode, header: resp.Header, body: data}
}

// as sends r with the role's API token.
func (b *bundle) as(role string, r req) reply {
	b.t.Helper()
	r.bearer = b.users[role].token
	return b.do(r)
}

// session starts a session for the role's user: token and XSRF token.
func (b *bundle) session(role string) (string, string) {
	b.t.Helper()
	ns, err := b.svc.StartSession(context.Background(), b.users[role].user, "127.0.0.1", "test")
	require.NoError(b.t, err)
	return ns.Token, ns.Session.CSRFToken
}

func mustPrefix(t testing.TB, s string) netip.Prefix {
	t.Helper()
	p, err := netip.ParsePrefix(s)
	require.NoError(t, err)
	return p
}
