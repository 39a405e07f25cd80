package server

import (
	"net/http"
	"net/url"
	"strings"
)

// Cookie names.
const (
	SessionCookie = "session"     // the session token (HttpOnly)
	XSRFCookie    = "XSRF-COOKIE" // the XSRF token scripts send back (api.md §1.5)
	// FlowCookie keeps an SSO sign-in's state between the redirect and the
	// callback.
	FlowCookie = "monkey_sso"
)

// secure reports whether cookies get the Secure flag: over TLS, behind
// nginx (FRONTED_BY_NGINX), or when SESSION_COOKIE_SECURE says so.
func (s *Server) secure(r *http.Request) bool {
	switch s.cfg.Web.CookieSecure {
	case "true":
		return true
	case "false":
		return false
	}
	return r.TLS != nil || s.cfg.Web.FrontedByNginx
}

// SetSessionCookie starts the browser session of the request's client.
func SetSessionCookie(w http.ResponseWriter, r *http.Request, token, csrf string) {
	st := stateOf(r.Context())
	if st.srv == nil {
		return
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: token, Path: "/", HttpOnly: true,
		Secure: st.srv.secure(r), SameSite: http.SameSiteLaxMode})
	st.srv.setXSRF(w, r, csrf)
	st.csrf = csrf
}

// ClearSessionCookie ends the browser session cookie.
func ClearSessionCookie(w http.ResponseWriter, r *http.Request) {
	st := stateOf(r.Context())
	if st.srv == nil {
		return
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: st.srv.secure(r), SameSite: http.SameSiteLaxMode})
}

// SessionToken returns the session cookie of the request.
func SessionToken(r *http.Request) string {
	c, err := r.Cookie(SessionCookie)
	if err != nil {
		return ""
	}
	return c.Value
}

// SetFlowCookie keeps an SSO flow (value) for ten minutes, sent back only
// to the callback path.
func SetFlowCookie(w http.ResponseWriter, r *http.Request, path, value string) {
	st := stateOf(r.Context())
	if st.srv == nil {
		return
	}
	http.SetCookie(w, &http.Cookie{Name: FlowCookie, Value: url.QueryEscape(value), Path: path, MaxAge: 600, HttpOnly: true,
		Secure: st.srv.secure(r), SameSite: http.SameSiteLaxMode})
}

// TakeFlowCookie returns and clears the SSO flow cookie.
func TakeFlowCookie(w http.ResponseWriter, r *http.Request, path string) string {
	c, err := r.Cookie(FlowCookie)
	if err != nil {
		return ""
	}
	if st := stateOf(r.Context()); st.srv != nil {
		http.SetCookie(w, &http.Cookie{Name: FlowCookie, Value: "", Path: path, MaxAge: -1, HttpOnly: true,
			Secure: st.srv.secure(r), SameSite: http.SameSiteLaxMode})
	}
	v, err := url.QueryUnescape(c.Value)
	if err != nil {
		return ""
	}
	return v
}

func (s *Server) setXSRF(w http.ResponseWriter, r *http.Request, token string) {
	http.SetCookie(w, &http.Cookie{Name: XSRFCookie, Value: token, Path: "/", Secure: s.secure(r),
		SameSite: http.SameSiteLaxMode})
}

// SafeNext returns next when it is a same-site path ("/x", not "//host" or
// "/\host"), else fallback.
func SafeNext(next, fallback string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		strings.ContainsAny(next, "\r\n\t") {
		return fallback
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return fallback
	}
	return next
}
