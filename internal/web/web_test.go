package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/oauth2-proxy/mockoidc"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/auth"
	"github.com/secmonkey/monkey/internal/monkey"
)

func TestLoginPage(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, engine string) {
		b := setup(t, engine, options{empty: true})
		c := b.anon()
		page := c.get("/login")
		require.Equal(t, http.StatusOK, page.status)
		golden(t, "login", page.body)

		out := c.get("/login?signed_out=1")
		require.Contains(t, out.body, "You are signed out.")
		golden(t, "login_signed_out", out.body)

		bad := c.post("/login", url.Values{"email": {"view@example.com"}, "password": {"wrong"}})
		require.Equal(t, http.StatusUnauthorized, bad.status)
		require.Contains(t, bad.body, `role="alert">Invalid e-mail or password.`)
		for range 6 {
			bad = c.post("/login", url.Values{"email": {"view@example.com"}, "password": {"wrong"}})
		}
		require.Equal(t, http.StatusTooManyRequests, bad.status)
		golden(t, "login_throttled", bad.body)

		// A page sends an anonymous visitor to the sign-in page and back.
		r := c.get("/search?type=issues")
		require.Equal(t, http.StatusFound, r.status)
		require.Equal(t, "/login?next="+url.QueryEscape("/search?type=issues"), r.header.Get("Location"))
		ok := c.post("/login", url.Values{"email": {"admin@example.com"}, "password": {"password-Admin"},
			"next": {"/search?type=issues"}})
		require.Equal(t, http.StatusFound, ok.status, ok.body)
		require.Equal(t, "/search?type=issues", ok.header.Get("Location"))
		home := c.get("/")
		require.Equal(t, http.StatusOK, home.status)
		require.Contains(t, home.body, "admin@example.com")

		// Sign out: a form with the session's XSRF token.
		c.csrf = tokenOf(t, home.body)
		bye := c.post("/logout", nil)
		require.Equal(t, http.StatusFound, bye.status)
		require.Equal(t, "/login?signed_out=1", bye.header.Get("Location"))
		require.Equal(t, http.StatusFound, c.get("/").status)
	})
}

func TestLoginPageProviders(t *testing.T) {
	t.Parallel()
	b := setup(t, "sqlite", options{empty: true, providers: testProviders(t)})
	page := b.anon().get("/login?next=/items/1")
	require.Equal(t, http.StatusOK, page.status)
	golden(t, "login_sso", page.body)
}

// tokenOf returns the XSRF token of the page's first form.
func tokenOf(t *testing.T, body string) string {
	t.Helper()
	_, rest, ok := strings.Cut(body, `name="csrf_token" value="`)
	require.True(t, ok, "no XSRF token in the page")
	tok, _, _ := strings.Cut(rest, `"`)
	return tok
}

// TestPageRoles checks that every page is allowed to exactly the roles of
// the API route it mirrors, and refused to the others (anonymous: to the
// sign-in page; too low: 403 page).
func TestPageRoles(t *testing.T) {
	t.Parallel()
	b := setup(t, "sqlite", options{})
	mirrors := b.ui.Mirrors()
	require.NotEmpty(t, mirrors)
	apiRole := map[string]string{}
	pageRole := map[string]string{}
	for _, rt := range b.routes {
		apiRole[rt.Method+" "+rt.Pattern] = rt.Role
		if rt.Page {
			pageRole[rt.Method+" "+rt.Pattern] = rt.Role
		}
	}
	for pg, api := range mirrors {
		require.Contains(t, apiRole, api, "page %s mirrors a missing API route", pg)
		require.Equal(t, apiRole[api], pageRole[pg], "page %s has another role than %s", pg, api)
	}
	for pg := range mirrors {
		role := pageRole[pg]
		method, pattern, _ := strings.Cut(pg, " ")
		path := b.examplePath(pattern)
		for _, who := range append([]string{monkey.RoleAnonymous}, monkey.UserRoles...) {
			t.Run(fmt.Sprintf("%s %s as %s", method, path, who), func(t *testing.T) {
				c := b.anon()
				if who != monkey.RoleAnonymous {
					c = b.as(who)
				}
				var r reply
				if method == http.MethodGet {
					r = c.get(path)
				} else {
					r = c.post(path, nil)
				}
				switch {
				case who == monkey.RoleAnonymous:
					require.Equal(t, http.StatusFound, r.status, r.body)
					require.True(t, strings.HasPrefix(r.header.Get("Location"), "/login?next="), r.header.Get("Location"))
				case !monkey.HasRole(who, role):
					require.Equal(t, http.StatusForbidden, r.status, r.body)
					require.Contains(t, r.body, "<h1>403")
				default:
					require.NotEqual(t, http.StatusForbidden, r.status, r.body)
					require.False(t, strings.HasPrefix(r.header.Get("Location"), "/login"), r.body)
				}
			})
		}
	}
}

// examplePath fills a page pattern's wildcards with seeded ids.
func (b *bundle) examplePath(pattern string) string {
	r := strings.NewReplacer("{$}", "", "{item_id}", fmt.Sprint(b.seed.logs), "{comment_id}", "999999",
		"{id}", "999999", "{tab}", "accounts")
	p := r.Replace(pattern)
	if p == "/compare" {
		p = fmt.Sprintf("/compare?left=%d&right=%d", b.seed.logsRevs[1], b.seed.logsRevs[0])
	}
	return p
}

// TestFormsNeedTheXSRFToken: a form posted without the session's token,
// or from another origin, is refused with the error page.
func TestFormsNeedTheXSRFToken(t *testing.T) {
	t.Parallel()
	b := setup(t, "sqlite", options{})
	c := b.as(monkey.RoleAdmin)
	r := c.post("/logout", url.Values{"csrf_token": {"forged-token-000000"}})
	require.Equal(t, http.StatusBadRequest, r.status)
	require.Contains(t, r.body, "The CSRF tokens do not match.")
	checkHTML(t, r.body)
	r = c.post("/logout", url.Values{"csrf_token": {""}})
	require.Equal(t, http.StatusBadRequest, r.status)

	req, err := http.NewRequest(http.MethodPost, b.url+"/logout", strings.NewReader("csrf_token="+c.csrf))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	require.Equal(t, http.StatusForbidden, c.do(req).status)
	// Still signed in.
	require.Equal(t, http.StatusOK, c.get("/").status)
}

func TestErrorPageAndStatic(t *testing.T) {
	t.Parallel()
	b := setup(t, "sqlite", options{empty: true})
	r := b.as(monkey.RoleView).get("/items/424242")
	require.Equal(t, http.StatusNotFound, r.status)
	golden(t, "error_not_found", r.body)

	css := b.anon().get("/static/app.css")
	require.Equal(t, http.StatusOK, css.status)
	require.Contains(t, css.header.Get("Content-Type"), "text/css")
	js := b.anon().get("/static/app.js")
	require.Equal(t, http.StatusOK, js.status)
	require.Contains(t, js.header.Get("Content-Type"), "javascript")
	require.Contains(t, js.header.Get("Content-Security-Policy"), "script-src 'self'")
	require.Equal(t, http.StatusNotFound, b.anon().get("/static/nope.css").status)
}

// testProviders is one OIDC provider (a mock identity provider).
func testProviders(t *testing.T) []*auth.Provider {
	t.Helper()
	m, err := mockoidc.Run()
	require.NoError(t, err)
	t.Cleanup(func() { _ = m.Shutdown() })
	cfg := m.Config()
	p, err := auth.NewProvider(auth.ProviderConfig{ID: "oidc", Name: "Corp SSO", Issuer: cfg.Issuer, ClientID: cfg.ClientID,
		ClientSecret: cfg.ClientSecret, RedirectURL: "http://127.0.0.1/api/1/auth/oidc", Scopes: []string{"openid", "email"},
		DefaultRole: "View"}, nil)
	require.NoError(t, err)
	return []*auth.Provider{p}
}

func TestDashboardAccounts(t *testing.T) {
	t.Parallel()
	b := setup(t, "sqlite", options{})
	c := b.as(monkey.RoleView)
	all := c.get("/")
	require.Contains(t, all.body, `<a href="/search?type=issues">2</a>`)
	require.Contains(t, all.body, ">15 (2 issues)</text>")
	dev := c.get("/?accounts=dev")
	require.Equal(t, http.StatusOK, dev.status)
	require.Contains(t, dev.body, `<a href="/search?type=issues&amp;accounts=dev">0</a>`)
	require.NotContains(t, dev.body, ">15 (2 issues)</text>")
	prod := c.get("/?accounts=prod&accounts=nope")
	require.Contains(t, prod.body, ">15 (2 issues)</text>")
	require.Contains(t, prod.body, `<a href="/items/`+fmt.Sprint(b.seed.logs)+`">logs</a>`)
	// New in 24 h: the seeded issues were raised at the test clock's now.
	require.Contains(t, all.body, `<h2 id="h-new">New in the last 24 h</h2><p class="big">2</p>`)
}
