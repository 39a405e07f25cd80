package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"net/netip"
	"net/url"
	"strings"
	"testing"

	"github.com/oauth2-proxy/mockoidc"
	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/auth"
	"github.com/secmonkey/monkey/internal/server"
)

func TestLocalSignIn(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, engine string) {
		b := setup(t, engine, options{})
		// JSON sign-in: 200, session cookie (HttpOnly, Lax), XSRF token.
		got := b.do(req{method: "POST", path: "/login", body: map[string]string{"email": "Comment@Example.com", "password": "password-Comment"}})
		require.Equal(t, http.StatusOK, got.status, string(got.body))
		resp := &http.Response{Header: got.header}
		var sess *http.Cookie
		for _, c := range resp.Cookies() {
			if c.Name == server.SessionCookie {
				sess = c
			}
		}
		require.NotNil(t, sess)
		require.True(t, sess.HttpOnly)
		require.Equal(t, http.SameSiteLaxMode, sess.SameSite)
		require.False(t, sess.Secure, "plain HTTP, not behind nginx")
		m := got.json(t)
		require.Equal(t, "comment@example.com", m["user"].(map[string]any)["email"])
		csrf := m["csrf_token"].(string)
		got = b.do(req{method: "POST", path: "/api/1/items/" + itoa(b.seed.logs) + "/comments", body: map[string]string{"text": "hi"},
			session: sess.Value, csrf: csrf})
		require.Equal(t, http.StatusCreated, got.status, string(got.body))

		// Wrong password and unknown user: the same 401.
		bad := b.do(req{method: "POST", path: "/login", body: map[string]string{"email": "comment@example.com", "password": "nope-nope"}})
		unknown := b.do(req{method: "POST", path: "/login", body: map[string]string{"email": "ghost@example.com", "password": "nope-nope"}})
		require.Equal(t, http.StatusUnauthorized, bad.status)
		require.Equal(t, bad.json(t)["message"], unknown.json(t)["message"])
		require.Equal(t, http.StatusBadRequest, b.do(req{method: "POST", path: "/login", body: map[string]string{"email": "x@example.com"}}).status)

		// Form sign-in: 302 to a same-site next only.
		form := func(next string) reply {
			v := url.Values{"email": {"view@example.com"}, "password": {"password-View"}, "next": {next}}
			return b.do(req{method: "POST", path: "/login", body: v.Encode(),
				header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}})
		}
		got = form("/api/1/items?x=1")
		require.Equal(t, http.StatusFound, got.status)
		require.Equal(t, "/api/1/items?x=1", got.header.Get("Location"))
		for _, evil := range []string{"https://evil.example/", "//evil.example/x", "/\\evil.example"} {
			require.Equal(t, "/", form(evil).header.Get("Location"), evil)
		}
		page := b.do(req{method: "GET", path: "/login?next=/x"})
		require.Equal(t, http.StatusOK, page.status)
		require.Contains(t, string(page.body), `<form method="post" action="/login">`)
		require.Contains(t, string(page.body), `name="csrf_token"`)

		hc := b.do(req{method: "GET", path: "/healthcheck"})
		require.Equal(t, "ok", string(hc.body))

		// Logout ends the session.
		got = b.do(req{method: "GET", path: "/api/1/logout", session: sess.Value})
		require.Equal(t, http.StatusOK, got.status)
		require.Equal(t, http.StatusUnauthorized, b.do(req{method: "GET", path: "/api/1/items", session: sess.Value}).status)
	})
}

func itoa(n int64) string { return strconvFormat(n) }

func TestLoginThrottling(t *testing.T) {
	t.Parallel()
	b := setup(t, "sqlite", options{})
	for i := 0; i < 5; i++ {
		got := b.do(req{method: "POST", path: "/login", body: map[string]string{"email": "admin@example.com", "password": "wrong-pass"}})
		require.Equal(t, http.StatusUnauthorized, got.status, i)
	}
	got := b.do(req{method: "POST", path: "/login", body: map[string]string{"email": "admin@example.com", "password": "password-Admin"}})
	require.Equal(t, http.StatusTooManyRequests, got.status)
	require.NotEmpty(t, got.header.Get("Retry-After"))
	require.Contains(t, got.json(t)["message"], "too many")
}

func TestHeaderAuth(t *testing.T) {
	t.Parallel()
	web := server.Web{HeaderAuth: server.HeaderAuth{Enabled: true, UserHeader: "Remote-User", GroupsHeader: "Remote-Groups", DefaultRole: "View"}}
	for _, tc := range []struct {
		name    string
		proxies []netip.Prefix
		status  int
	}{
		{"from a trusted proxy", []netip.Prefix{mustPrefix(t, "127.0.0.0/8")}, http.StatusOK},
		{"from anywhere else the header is ignored", []netip.Prefix{mustPrefix(t, "10.9.0.0/16")}, http.StatusUnauthorized},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := web
			w.TrustedProxies = tc.proxies
			b := setup(t, "sqlite", options{web: w, groups: auth.Groups{Justify: "sec"}})
			got := b.do(req{method: "GET", path: "/api/1/settings", header: map[string]string{"Remote-User": "Proxy.User@example.com", "Remote-Groups": "staff, sec"}})
			require.Equal(t, tc.status, got.status, string(got.body))
			if tc.status != http.StatusOK {
				_, err := b.st.UserByEmail(context.Background(), "proxy.user@example.com")
				require.Error(t, err, "no user created")
				return
			}
			m := got.json(t)
			require.Equal(t, "proxy.user@example.com", m["auth"].(map[string]any)["user"])
			require.Equal(t, "Justify", m["auth"].(map[string]any)["roles"].([]any)[0].(map[string]any)["name"], "role from the groups header")
			// Header-authenticated writes need the XSRF double submit.
			h := map[string]string{"Remote-User": "proxy.user@example.com"}
			jpath := "/api/1/issues/" + itoa(b.seed.internet) + "/justification"
			got = b.do(req{method: "POST", path: jpath, body: map[string]string{"justification": "x"}, header: h})
			require.Equal(t, http.StatusBadRequest, got.status)
			h["Cookie"] = server.XSRFCookie + "=abcdefghijklmnopqrstuvwxyz"
			got = b.do(req{method: "POST", path: jpath, body: map[string]string{"justification": "x"}, header: h, csrf: "abcdefghijklmnopqrstuvwxyz"})
			require.Equal(t, http.StatusOK, got.status, string(got.body))
		})
	}
}

// TestOIDCFlow signs in through the whole redirect flow against a mock
// OpenID Connect provider: redirect with PKCE, code exchange, ID token
// verification, user creation with the groups' role, session, return.
func TestOIDCFlow(t *testing.T) {
	t.Parallel()
	m, err := mockoidc.Run()
	require.NoError(t, err)
	t.Cleanup(func() { _ = m.Shutdown() })
	cfg := m.Config()

	// The callback URL must be known before the server starts: a proxy
	// handler is bound first.
	var b *bundle
	ts := newLateServer(t, func() http.Handler { return b.srv.Handler() })
	p, err := auth.NewProvider(auth.ProviderConfig{ID: "oidc", Name: "Mock", Issuer: cfg.Issuer, ClientID: cfg.ClientID,
		ClientSecret: cfg.ClientSecret, RedirectURL: ts.URL + "/api/1/auth/oidc",
		Scopes: []string{"openid", "email", "profile", "groups"}, DefaultRole: "View"}, nil)
	require.NoError(t, err)
	b = setup(t, "sqlite", options{providers: []*auth.Provider{p}, groups: auth.Groups{Admin: "engineering"}})
	b.url = ts.URL

	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	client := &http.Client{Jar: jar, Transport: b.client.Transport}
	m.QueueUser(&mockoidc.MockUser{Subject: "1234", Email: "Jane.Doe@example.com", Groups: []string{"engineering"}})
	resp, err := client.Get(ts.URL + "/login/oidc?next=/api/1/settings")
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "/api/1/settings", resp.Request.URL.Path, "back where the sign-in started")
	var body map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
	a := body["auth"].(map[string]any)
	require.Equal(t, "jane.doe@example.com", a["user"])
	require.Equal(t, "Admin", a["roles"].([]any)[0].(map[string]any)["name"], "raised by the groups claim")

	// Listed by the providers route.
	got := b.do(req{method: "GET", path: "/api/1/auth/providers"})
	var provs []map[string]any
	require.NoError(t, json.Unmarshal(got.body, &provs))
	require.Len(t, provs, 1)
	require.Equal(t, "Mock", provs[0]["name"])
	require.Equal(t, cfg.Issuer+"/authorize", provs[0]["authorizationEndpoint"])

	// A callback without the flow cookie (a forged or replayed state) is
	// refused.
	got = b.do(req{method: "GET", path: "/api/1/auth/oidc?code=abc&state=forged"})
	require.Equal(t, http.StatusUnauthorized, got.status)
	require.Equal(t, http.StatusNotFound, b.do(req{method: "GET", path: "/login/nope"}).status)
}

// TestOpenAPI parses the generated document with a maintained OpenAPI
// library, validates it against the OpenAPI 3.1 schema, and checks that
// every route is present with its role and parameters.
func TestOpenAPI(t *testing.T) {
	t.Parallel()
	b := setup(t, "sqlite", options{})
	got := b.do(req{method: "GET", path: "/api/1/openapi.json"})
	require.Equal(t, http.StatusOK, got.status)
	doc, err := libopenapi.NewDocument(got.body)
	require.NoError(t, err)
	v, errs := validator.NewValidator(doc)
	require.Empty(t, errs)
	ok, verrs := v.ValidateDocument()
	for _, e := range verrs {
		t.Log(e.Message, e.Reason)
		for _, se := range e.SchemaValidationErrors {
			t.Log(se.Reason, se.FieldPath)
		}
	}
	require.True(t, ok)
	model, err := doc.BuildV3Model()
	require.NoError(t, err)
	require.Equal(t, "3.1.0", model.Model.Version)
	for _, rt := range b.srv.Routes() {
		item, ok := model.Model.Paths.PathItems.Get(rt.Pattern)
		require.True(t, ok, rt.Pattern)
		op := item.GetOperations().GetOrZero(strings.ToLower(rt.Method))
		require.NotNil(t, op, "%s %s", rt.Method, rt.Pattern)
		role, ok := op.Extensions.Get("x-role")
		require.True(t, ok, "%s %s", rt.Method, rt.Pattern)
		require.Equal(t, rt.Role, role.Value)
		var names []string
		for _, p := range op.Parameters {
			names = append(names, p.Name)
		}
		for _, p := range rt.PathParams() {
			require.Contains(t, names, p)
		}
		for _, p := range rt.Query {
			require.Contains(t, names, p.Name)
		}
	}
}
