package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/server"
)

// TestRoleMatrix is generated from the route table: every route × every
// role × {session cookie, bearer token} answers as the route's minimum role
// implies — 401 with the login URL for anonymous callers, 403 with the
// caller's role below it, and never a role refusal at or above it. A new
// route cannot be forgotten.
func TestRoleMatrix(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, engine string) {
		b := setup(t, engine, options{})
		routes := b.srv.Routes()
		require.Greater(t, len(routes), 60)
		callers := append([]string{monkey.RoleAnonymous}, monkey.UserRoles...)
		for _, rt := range routes {
			path := rt.Pattern
			for _, p := range rt.PathParams() {
				path = strings.Replace(path, "{"+p+"}", "999999", 1)
			}
			for _, role := range callers {
				for _, via := range []string{"cookie", "bearer"} {
					name := fmt.Sprintf("%s %s as %s by %s", rt.Method, rt.Pattern, role, via)
					r := req{method: rt.Method, path: path}
					if rt.Method != http.MethodGet {
						r.body = "{}"
					}
					if role != monkey.RoleAnonymous {
						if via == "bearer" {
							r.bearer = b.users[role].token
						} else {
							r.session, r.csrf = b.session(role)
						}
					}
					got := b.do(r)
					allowed := monkey.HasRole(role, rt.Role)
					switch {
					case !allowed && role == monkey.RoleAnonymous:
						require.Equal(t, http.StatusUnauthorized, got.status, name)
						m := got.json(t)
						require.Equal(t, map[string]any{"authenticated": false, "user": nil, "url": b.url + "/login"}, m["auth"], name)
					case !allowed:
						require.Equal(t, http.StatusForbidden, got.status, name)
						m := got.json(t)
						require.Equal(t, map[string]any{"authenticated": true, "user": b.users[role].user.Email, "roles": role},
							m["auth"], name)
					default:
						require.NotEqual(t, http.StatusInternalServerError, got.status, "%s: %s", name, got.body)
						if got.status == http.StatusUnauthorized || got.status == http.StatusForbidden {
							m := got.json(t)
							_, roleRefusal := m["auth"].(map[string]any)["roles"].(string)
							require.False(t, roleRefusal, "%s: refused a caller with the role: %s", name, got.body)
							require.NotEqual(t, http.StatusUnauthorized, got.status, "%s: %s", name, got.body)
						}
					}
				}
			}
		}
	})
}

// TestCSRF checks the cross-origin and XSRF protection of cookie-
// authenticated unsafe requests, and that bearer tokens are exempt.
func TestCSRF(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, engine string) {
		b := setup(t, engine, options{})
		path := fmt.Sprintf("/api/1/items/%d/comments", b.seed.logs)
		body := map[string]string{"text": "hello"}
		sess, csrf := b.session("Comment")
		crossSite := map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}

		got := b.do(req{method: "POST", path: path, body: body, session: sess})
		require.Equal(t, http.StatusBadRequest, got.status)
		require.Equal(t, "The CSRF token is missing.", got.json(t)["csrf_error"])
		got = b.do(req{method: "POST", path: path, body: body, session: sess, csrf: "wrong-token-of-some-length"})
		require.Equal(t, http.StatusBadRequest, got.status)
		require.Equal(t, "The CSRF tokens do not match.", got.json(t)["csrf_error"])
		got = b.do(req{method: "POST", path: path, body: body, session: sess, csrf: csrf, header: crossSite})
		require.Equal(t, http.StatusForbidden, got.status, "cross-origin refused even with the token")
		require.Contains(t, got.json(t), "csrf_error")
		got = b.do(req{method: "POST", path: path, body: body, session: sess, csrf: csrf,
			header: map[string]string{"X-CSRFToken": "", "X-CSRF-Token": csrf}})
		require.Equal(t, http.StatusCreated, got.status, "X-CSRF-Token is accepted: %s", got.body)
		got = b.do(req{method: "POST", path: path, body: body, session: sess, csrf: csrf,
			header: map[string]string{"Sec-Fetch-Site": "same-origin"}})
		require.Equal(t, http.StatusCreated, got.status, string(got.body))

		// Bearer tokens are exempt from both checks.
		got = b.do(req{method: "POST", path: path, body: body, bearer: b.users["Comment"].token, header: crossSite})
		require.Equal(t, http.StatusCreated, got.status, string(got.body))

		// GET answers carry the XSRF cookie: the session's token.
		got = b.do(req{method: "GET", path: "/api/1/settings", session: sess})
		require.Equal(t, http.StatusOK, got.status)
		var xsrf string
		for _, c := range (&http.Response{Header: got.header}).Cookies() {
			if c.Name == server.XSRFCookie {
				xsrf = c.Value
			}
		}
		require.Equal(t, csrf, xsrf)
		require.Equal(t, "nosniff", got.header.Get("X-Content-Type-Options"))
		require.Contains(t, got.header.Get("Content-Security-Policy"), "frame-ancestors 'none'")
		require.NotEmpty(t, got.header.Get("Referrer-Policy"))

		// The legacy admin scan token works on its route only.
		got = b.do(req{method: "POST", path: "/api/1/scans", body: "{}", bearer: "legacy-admin-token"})
		require.Equal(t, http.StatusAccepted, got.status, string(got.body))
		got = b.do(req{method: "GET", path: "/api/1/users", bearer: "legacy-admin-token"})
		require.Equal(t, http.StatusUnauthorized, got.status)
	})
}
