package server

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"strings"

	"github.com/secmonkey/monkey/internal/auth"
	"github.com/secmonkey/monkey/internal/monkey"
)

type stateKey struct{}

// requestState is what the middleware learned about a request.
type requestState struct {
	id   auth.Identity
	ip   string // client address
	csrf string // the XSRF token of this client
	srv  *Server
}

func withState(r *http.Request, st *requestState) *http.Request {
	ctx := context.WithValue(r.Context(), stateKey{}, st)
	if !st.id.Anonymous() {
		u := st.id.User
		ctx = monkey.NewContextWithUser(ctx, &u)
	}
	return r.WithContext(ctx)
}

func stateOf(ctx context.Context) *requestState {
	st, _ := ctx.Value(stateKey{}).(*requestState)
	if st == nil {
		return &requestState{}
	}
	return st
}

// IdentityFrom returns who the request acts as (zero: anonymous).
func IdentityFrom(ctx context.Context) auth.Identity { return stateOf(ctx).id }

// ClientIP returns the client address of the request (behind a trusted
// proxy: the address the proxy saw).
func ClientIP(ctx context.Context) string { return stateOf(ctx).ip }

// CSRFToken returns the XSRF token of the request's client (for HTML
// forms).
func CSRFToken(ctx context.Context) string { return stateOf(ctx).csrf }

// clientIP is the remote address, or, when it is a trusted proxy, the
// rightmost X-Forwarded-For address that is not a trusted proxy.
func clientIP(r *http.Request, trusted []netip.Prefix) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	addr, err := netip.ParseAddr(host)
	if err != nil || !inPrefixes(addr, trusted) {
		return host
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		h := strings.TrimSpace(hops[i])
		a, err := netip.ParseAddr(h)
		if err != nil {
			break
		}
		if !inPrefixes(a.Unmap(), trusted) {
			return a.Unmap().String()
		}
	}
	return host
}

func fromTrustedProxy(r *http.Request, trusted []netip.Prefix) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	addr, err := netip.ParseAddr(host)
	return err == nil && inPrefixes(addr.Unmap(), trusted)
}

func inPrefixes(a netip.Addr, ps []netip.Prefix) bool {
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// AuthInfo is the `auth` block of API answers (api.md §1.2).
type AuthInfo struct {
	Authenticated bool       `json:"authenticated"`
	User          *string    `json:"user"`
	Roles         []RoleName `json:"roles,omitempty"`
	URL           string     `json:"url,omitempty"`
}

// RoleName is one entry of AuthInfo.Roles.
type RoleName struct {
	Name string `json:"name"`
}

// Auth returns the auth block of the request's caller.
func Auth(r *http.Request) AuthInfo {
	st := stateOf(r.Context())
	if st.srv == nil {
		return AuthInfo{}
	}
	return st.srv.authBlock(r)
}

func (s *Server) authBlock(r *http.Request) AuthInfo {
	id := stateOf(r.Context()).id
	if id.Anonymous() {
		return AuthInfo{URL: s.LoginURL(r)}
	}
	email := id.User.Email
	info := AuthInfo{Authenticated: true, User: &email}
	for _, role := range monkey.RolesBelow(id.User.Role) {
		info.Roles = append(info.Roles, RoleName{Name: role})
	}
	return info
}

// LoginURL is the sign-in page (api.md §1.1): https://FQDN:NGINX_PORT/login
// behind nginx, http://FQDN:API_PORT/login otherwise, and the request's own
// scheme and host when no FQDN is configured.
func (s *Server) LoginURL(r *http.Request) string {
	c := s.cfg.Web
	if c.FQDN != "" {
		if c.FrontedByNginx {
			return "https://" + c.FQDN + ":" + c.NginxPort + "/login"
		}
		return "http://" + c.FQDN + ":" + c.APIPort + "/login"
	}
	scheme := "http"
	if r.TLS != nil || (fromTrustedProxy(r, c.TrustedProxies) && r.Header.Get("X-Forwarded-Proto") == "https") {
		scheme = "https"
	}
	return scheme + "://" + r.Host + "/login"
}

// LoginURLOf returns the sign-in page URL for the request's client.
func LoginURLOf(r *http.Request) string {
	st := stateOf(r.Context())
	if st.srv == nil {
		return "/login"
	}
	return st.srv.LoginURL(r)
}
