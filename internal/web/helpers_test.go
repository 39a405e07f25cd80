package web_test

import (
	"bytes"
	"context"
	"flag"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"github.com/secmonkey/monkey/internal/api"
	"github.com/secmonkey/monkey/internal/auth"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/policy"
	"github.com/secmonkey/monkey/internal/server"
	"github.com/secmonkey/monkey/internal/store"
	"github.com/secmonkey/monkey/internal/store/storetest"
	"github.com/secmonkey/monkey/internal/web"
)

var update = flag.Bool("update", false, "rewrite the golden HTML files in testdata/")

var fastHash = auth.HashParams{Memory: 64, Time: 1, Threads: 1}

// now is the clock of the pages in tests.
var now = time.Date(2026, 2, 3, 12, 0, 0, 0, time.UTC)

type bundle struct {
	t   testing.TB
	st  *store.Store
	svc *auth.Service
	ui  *web.Web
	srv *server.Server
	url string
	// transport is this test server's own (not http.DefaultTransport,
	// whose idle connections any parallel test's server Close cuts).
	transport http.RoundTripper
	routes    []server.Route
	users     map[string]monkey.User
	seed      seeded
}

type seeded struct {
	prod, dev       monkey.Account
	logs, admin     int64 // item ids
	logsRevs        []int64
	internet, unkwn int64 // issue ids
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

type options struct {
	empty     bool // no accounts nor items
	providers []*auth.Provider
	status    func(context.Context) web.Status
}

func setup(t testing.TB, engine string, o options) *bundle {
	t.Helper()
	st := storetest.New(t, engine)
	st.SetClock(func() time.Time { return now })
	svc, err := auth.New(auth.Config{Hash: fastHash}, st, nil, nil)
	require.NoError(t, err)
	cat, err := policy.LoadCatalogue()
	require.NoError(t, err)
	ui, err := web.New(web.Deps{Store: st, Technologies: techs(), Now: func() time.Time { return now }, Status: o.status,
		Catalogue: cat})
	require.NoError(t, err)
	a, err := api.New(api.Deps{Store: st, Auth: svc, Providers: o.providers, Technologies: techs(),
		TechMethods: map[string][]string{"s3": {"check_acl (S3Auditor)"}}, WebPath: "/", LoginPage: ui.Login,
		Now: func() time.Time { return now }})
	require.NoError(t, err)
	routes := a.Routes()
	pages, err := ui.Routes(routes)
	require.NoError(t, err)
	routes = append(routes, pages...)
	srv, err := server.New(server.Config{Web: server.Web{CSRFEnabled: true}}, server.Deps{
		Registry: prometheus.NewRegistry(), Auth: svc, Routes: routes, Version: "test", ErrorPage: ui.ErrorPage})
	require.NoError(t, err)
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	b := &bundle{t: t, st: st, svc: svc, ui: ui, srv: srv, url: ts.URL, transport: ts.Client().Transport, routes: srv.Routes(),
		users: map[string]monkey.User{}}
	ctx := context.Background()
	for _, role := range monkey.UserRoles {
		u, err := svc.CreateUser(ctx, strings.ToLower(role)+"@example.com", role, "password-"+role)
		require.NoError(t, err)
		b.users[role] = u
	}
	if !o.empty {
		b.seedData()
	}
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
		{Region: "universal", Name: "admin", ARN: "arn:aws:iam::222222222222:role/admin", Config: []byte(`{"RoleName":"admin","InlinePolicies":{"read":{"Statement":[{"Effect":"Allow","Action":["s3:Get*","iam:PassRole"],"Resource":"*"}]}}}`)},
	}}))
	logs, err := st.ItemByName(ctx, s.prod.ID, "s3", "us-east-1", "logs")
	require.NoError(t, err)
	admin, err := st.ItemByName(ctx, s.dev.ID, "iamrole", "universal", "admin")
	require.NoError(t, err)
	s.logs, s.admin = logs.ID, admin.ID
	require.NoError(t, st.ApplyChanges(ctx, store.ChangeSet{AccountID: s.prod.ID, Technology: "s3", Now: t0.Add(2 * time.Hour),
		Durable: []store.RevisionWrite{{ItemID: logs.ID, RevisionID: logs.RevisionID, ARN: logs.ARN,
			Config: []byte(`{"Policy":{"Statement":[{"Effect":"Deny","Principal":"*"}]},"Tags":{"a":"<b>"}}`)}}}))
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
	require.NoError(t, st.ScanStarted(ctx, s.prod.ID, "s3", t0))
	require.NoError(t, st.ScanFinished(ctx, s.prod.ID, "s3", t0.Add(time.Minute), "ok", 1, ""))
	require.NoError(t, st.ScanStarted(ctx, s.dev.ID, "iamrole", t0))
	require.NoError(t, st.ScanFinished(ctx, s.dev.ID, "iamrole", t0.Add(time.Minute), "error", 0, "AccessDenied: not authorized <x>"))
	require.NoError(t, st.LogException(ctx, monkey.Exception{Source: "watcher", Occurred: t0.Add(time.Minute), TTL: now.Add(time.Hour),
		Type: "AccessDenied", Message: "not authorized to perform iam:GetAccountAuthorizationDetails", Technology: "iamrole",
		Account: "dev", Region: "universal"}))
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

// client is a browser-like HTTP client: cookies, no redirects followed.
type client struct {
	b    *bundle
	hc   *http.Client
	csrf string
}

// anon is a client without a session.
func (b *bundle) anon() *client {
	jar, err := cookiejar.New(nil)
	require.NoError(b.t, err)
	return &client{b: b, hc: &http.Client{Transport: b.transport, Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// as is a client signed in with the role's user (a real session).
func (b *bundle) as(role string) *client {
	c := b.anon()
	ns, err := b.svc.StartSession(context.Background(), b.users[role], "127.0.0.1", "test")
	require.NoError(b.t, err)
	u, err := url.Parse(b.url)
	require.NoError(b.t, err)
	c.hc.Jar.SetCookies(u, []*http.Cookie{{Name: server.SessionCookie, Value: ns.Token}})
	c.csrf = ns.Session.CSRFToken
	return c
}

type reply struct {
	status int
	header http.Header
	body   string
}

func (c *client) get(path string) reply {
	c.b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.b.url+path, nil)
	require.NoError(c.b.t, err)
	return c.do(req)
}

// post sends a form; the client's XSRF token is added unless the form has
// one.
func (c *client) post(path string, form url.Values) reply {
	c.b.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["csrf_token"]; !ok && c.csrf != "" {
		form.Set("csrf_token", c.csrf)
	}
	req, err := http.NewRequest(http.MethodPost, c.b.url+path, strings.NewReader(form.Encode()))
	require.NoError(c.b.t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

func (c *client) do(req *http.Request) reply {
	c.b.t.Helper()
	resp, err := c.hc.Do(req)
	require.NoError(c.b.t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(c.b.t, err)
	return reply{status: resp.StatusCode, header: resp.Header, body: string(data)}
}

var csrfValue = regexp.MustCompile(`name="csrf_token" value="[^"]*"`)

// normalise removes what changes between runs (XSRF tokens).
func normalise(s string) string {
	return csrfValue.ReplaceAllString(s, `name="csrf_token" value="CSRF"`)
}

// golden compares the page with testdata/<name>.golden.html (rewritten
// with -update) after checking its HTML structure.
func golden(t *testing.T, name, body string) {
	t.Helper()
	checkHTML(t, body)
	body = normalise(body)
	path := filepath.Join("testdata", name+".golden.html")
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(body), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "missing golden file: run go test ./internal/web -run %s -update", t.Name())
	require.Equal(t, string(want), body, "page %s differs from %s (go test -update rewrites it)", name, path)
}

// voids are the HTML elements without an end tag.
var voids = map[string]bool{"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true, "img": true,
	"input": true, "link": true, "meta": true, "source": true, "track": true, "wbr": true}

// checkHTML checks the structure of a page with the x/net/html tokenizer:
// a doctype, every element closed in order, no inline script or style
// (the CSP forbids them), every form control labelled.
func checkHTML(t *testing.T, body string) {
	t.Helper()
	require.True(t, strings.HasPrefix(body, "<!doctype html>"), "no doctype")
	z := html.NewTokenizer(bytes.NewReader([]byte(body)))
	var stack []string
	ids := map[string]bool{}
	labelled := map[string]bool{}
	var controls []string
	svgDepth := 0
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			require.ErrorIs(t, z.Err(), io.EOF)
			break
		}
		tok := z.Token()
		attr := func(k string) (string, bool) {
			for _, a := range tok.Attr {
				if a.Key == k {
					return a.Val, true
				}
			}
			return "", false
		}
		switch tt {
		case html.StartTagToken, html.SelfClosingTagToken:
			for _, a := range tok.Attr {
				require.False(t, strings.HasPrefix(a.Key, "on"), "inline event handler %s on <%s>", a.Key, tok.Data)
				require.NotEqual(t, "style", a.Key, "inline style on <%s>", tok.Data)
				if a.Key == "id" {
					require.False(t, ids[a.Val], "duplicate id %q", a.Val)
					ids[a.Val] = true
				}
			}
			switch tok.Data {
			case "script":
				_, src := attr("src")
				require.True(t, src, "inline script")
			case "style":
				t.Fatalf("inline <style>")
			case "label":
				if f, ok := attr("for"); ok {
					labelled[f] = true
				}
			case "input", "select", "textarea":
				typ, _ := attr("type")
				if typ == "hidden" || typ == "submit" {
					break
				}
				_, aria := attr("aria-label")
				id, _ := attr("id")
				if !aria {
					require.NotEmpty(t, id, "<%s name=%v> without id nor aria-label", tok.Data, tok.Attr)
					controls = append(controls, id)
				}
			}
			if tok.Data == "svg" {
				svgDepth++
			}
			if tt == html.StartTagToken && !voids[tok.Data] {
				stack = append(stack, tok.Data)
			} else if tt == html.SelfClosingTagToken && svgDepth == 0 && !voids[tok.Data] {
				t.Fatalf("self-closing <%s/> outside SVG", tok.Data)
			}
			if tt == html.SelfClosingTagToken && tok.Data == "svg" {
				svgDepth--
			}
		case html.EndTagToken:
			require.NotEmpty(t, stack, "</%s> without start", tok.Data)
			require.Equal(t, stack[len(stack)-1], tok.Data, "</%s> closes <%s>", tok.Data, stack[len(stack)-1])
			stack = stack[:len(stack)-1]
			if tok.Data == "svg" {
				svgDepth--
			}
		}
	}
	require.Empty(t, stack, "unclosed elements")
	for _, id := range controls {
		require.True(t, labelled[id], "form control #%s has no <label for>", id)
	}
}
