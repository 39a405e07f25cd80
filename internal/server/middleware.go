package server

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"

	"github.com/secmonkey/monkey/internal/auth"
	"github.com/secmonkey/monkey/internal/monkey"
)

// securityHeaders are sent with every answer.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
			"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		next.ServeHTTP(w, r)
	})
}

// limitBody bounds every request body to MaxBodyBytes.
func limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, MaxBodyBytes)
		}
		next.ServeHTTP(w, r)
	})
}

// recoverPanics turns a handler panic into a logged 500.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("handler panic", "method", r.Method, "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
				WriteJSON(w, http.StatusInternalServerError, map[string]string{"status": "Internal Server Error"})
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// cors allows credentials for the configured origins (api.md §1.5) and
// answers their preflight requests.
func (s *Server) cors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if origin != "" && s.origins[origin] {
			h := w.Header()
			h.Set("Access-Control-Allow-Origin", origin)
			h.Set("Access-Control-Allow-Credentials", "true")
			h.Add("Vary", "Origin")
			if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
				h.Set("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE")
				h.Set("Access-Control-Allow-Headers", "Content-Type, X-CSRFToken, X-CSRF-Token, Authorization")
				w.WriteHeader(http.StatusNoContent)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// trackingWriter remembers whether the answer has started.
type trackingWriter struct {
	http.ResponseWriter
	wrote bool
}

func (t *trackingWriter) WriteHeader(code int) { t.wrote = true; t.ResponseWriter.WriteHeader(code) }
func (t *trackingWriter) Write(b []byte) (int, error) {
	t.wrote = true
	return t.ResponseWriter.Write(b)
}
func (t *trackingWriter) Unwrap() http.ResponseWriter { return t.ResponseWriter }

// handle wraps a route: authentication, XSRF cookie, cross-origin check,
// role check, XSRF token check, then the handler, whose error goes to the
// one error writer.
func (s *Server) handle(rt Route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st, err := s.authenticate(w, r, rt)
		if err != nil {
			s.writeError(w, r, rt, err)
			return
		}
		r = withState(r, st)
		if st.id.Method != auth.MethodToken {
			if st.csrf == "" {
				if c, err := r.Cookie(XSRFCookie); err == nil && len(c.Value) >= 16 && len(c.Value) <= 128 {
					st.csrf = c.Value
				} else if tok, err := auth.RandomToken(); err == nil {
					st.csrf = tok
				}
			}
			s.setXSRF(w, r, st.csrf)
		}
		if unsafe(r.Method) && !rt.NoCSRF && st.id.Method != auth.MethodToken {
			if err := s.cop.Check(r); err != nil {
				s.csrfError(w, r, rt, http.StatusForbidden, "cross-origin request refused")
				return
			}
		}
		if !monkey.HasRole(monkey.RoleFromContext(r.Context()), rt.Role) {
			s.refuse(w, r, rt, st)
			return
		}
		if unsafe(r.Method) && !rt.NoCSRF && s.cfg.Web.CSRFEnabled &&
			(st.id.Method == auth.MethodSession || st.id.Method == auth.MethodHeader) {
			if reason := s.checkXSRF(r, st); reason != "" {
				s.csrfError(w, r, rt, http.StatusBadRequest, reason)
				return
			}
		}
		tw := &trackingWriter{ResponseWriter: w}
		if err := rt.Handler(tw, r); err != nil {
			if tw.wrote {
				s.logHandlerError(r, err)
				return
			}
			s.writeError(tw, r, rt, err)
		}
	})
}

// refuse answers a caller below the route's role: 401 with the login URL
// for anonymous callers (a redirect to the login page for pages), 403 with
// the caller's role otherwise (api.md §1.1).
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, rt Route, st *requestState) {
	if st.id.Anonymous() {
		if rt.Page {
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusFound)
			return
		}
		WriteJSON(w, http.StatusUnauthorized, map[string]any{"auth": s.authBlock(r)})
		return
	}
	if rt.Page && s.deps.ErrorPage != nil {
		s.deps.ErrorPage(w, r, http.StatusForbidden, "Your role ("+st.id.User.Role+") does not allow this page: it needs "+rt.Role+".")
		return
	}
	email := st.id.User.Email
	WriteJSON(w, http.StatusForbidden, map[string]any{"auth": map[string]any{
		"authenticated": true, "user": email, "roles": st.id.User.Role}})
}

// csrfError refuses a request failing the cross-origin or XSRF check:
// {"csrf_error": reason} for the API, the error page for pages.
func (s *Server) csrfError(w http.ResponseWriter, r *http.Request, rt Route, status int, reason string) {
	if rt.Page && s.deps.ErrorPage != nil {
		s.deps.ErrorPage(w, r, status, "The form was refused ("+reason+"). Reload the page and try again.")
		return
	}
	WriteJSON(w, status, map[string]string{"csrf_error": reason})
}

// checkXSRF returns why the XSRF token of an unsafe request is refused
// ("" = accepted). Sessions carry their token; header-authenticated
// clients send back the XSRF cookie (double submit).
func (s *Server) checkXSRF(r *http.Request, st *requestState) string {
	if r.TLS != nil && s.cfg.Web.CSRFSSLStrict {
		ref := r.Header.Get("Referer")
		if ref == "" {
			return "The referrer header is missing."
		}
		u, err := url.Parse(ref)
		if err != nil || u.Host != r.Host {
			return "The referrer does not match the host."
		}
	}
	got := r.Header.Get("X-CSRFToken")
	if got == "" {
		got = r.Header.Get("X-CSRF-Token")
	}
	if got == "" && strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		got = r.PostFormValue("csrf_token")
	}
	if got == "" {
		return "The CSRF token is missing."
	}
	want := st.csrf
	if st.id.Method == auth.MethodSession {
		want = st.id.Session.CSRFToken
	}
	if want == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return "The CSRF tokens do not match."
	}
	return ""
}

// authenticate finds who the request acts as: a bearer token (the
// runtime's admin token on routes that take it, else an API token), the
// user header of a trusted proxy, or the session cookie. A bad bearer
// token is an error; a bad session cookie is cleared and the request is
// anonymous.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request, rt Route) (*requestState, error) {
	st := &requestState{ip: clientIP(r, s.cfg.Web.TrustedProxies), srv: s}
	ctx := r.Context()
	if authz := r.Header.Get("Authorization"); authz != "" {
		secret, ok := strings.CutPrefix(authz, "Bearer ")
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="monkey"`)
			return st, monkey.Errorf(monkey.EUNAUTHORIZED, "use Authorization: Bearer <token>")
		}
		secret = strings.TrimSpace(secret)
		if want := s.cfg.APIToken.Reveal(); rt.AdminToken && want != "" &&
			subtle.ConstantTimeCompare([]byte(secret), []byte(want)) == 1 {
			st.id = auth.Identity{Method: auth.MethodToken, User: monkey.User{Email: "MONKEY_API_TOKEN", Role: monkey.RoleAdmin, Active: true}}
			return st, nil
		}
		if s.deps.Auth == nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="monkey"`)
			return st, monkey.Errorf(monkey.EUNAUTHORIZED, "missing or wrong bearer token")
		}
		id, err := s.deps.Auth.Token(ctx, secret)
		if err != nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="monkey", error="invalid_token"`)
			return st, err
		}
		st.id = id
		return st, nil
	}
	if s.deps.Auth == nil {
		return st, nil
	}
	if h := s.cfg.Web.HeaderAuth; h.Enabled && fromTrustedProxy(r, s.cfg.Web.TrustedProxies) {
		if email := strings.TrimSpace(r.Header.Get(h.UserHeader)); email != "" {
			var groups []string
			if h.GroupsHeader != "" {
				for _, g := range strings.Split(r.Header.Get(h.GroupsHeader), ",") {
					if g = strings.TrimSpace(g); g != "" {
						groups = append(groups, g)
					}
				}
			}
			u, err := s.deps.Auth.ExternalUser(ctx, email, groups, h.DefaultRole)
			if err != nil {
				return st, err
			}
			st.id = auth.Identity{User: u, Method: auth.MethodHeader}
			return st, nil
		}
	}
	if token := SessionToken(r); token != "" {
		id, err := s.deps.Auth.Session(ctx, token)
		switch {
		case err == nil:
			st.id = id
			st.csrf = id.Session.CSRFToken
		case auth.IsAuthError(err):
			ClearSessionCookie(w, withState(r, st))
		default:
			return st, err
		}
	}
	return st, nil
}

var errNoHandler = errors.New("route without handler")
