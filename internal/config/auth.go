package config

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"
)

// Auth configures sign-in, sessions, CSRF protection, single sign-on and
// header authentication of the API server (spec/config.md §4, §6–§8). It
// is a section of its own: its settings live in this file.
type Auth struct {
	// Login URL (api.md §1.1): https://FQDN:NGINX_PORT/login when
	// FRONTED_BY_NGINX, else http://FQDN:API_PORT/login; without FQDN the
	// request's own host is used.
	NginxPort      string `json:"nginx_port"`
	WebPort        string `json:"web_port"`
	FrontedByNginx bool   `json:"fronted_by_nginx"`
	// BaseURL is the absolute base of SSO redirect URLs ("" = from FQDN).
	BaseURL string `json:"base_url"`
	// WebPath is where a sign-in lands without a next page.
	WebPath string `json:"web_path"`

	CSRFEnabled   bool `json:"wtf_csrf_enabled"`
	CSRFSSLStrict bool `json:"wtf_csrf_ssl_strict"`
	// CookieSecure: "" = auto (TLS or behind nginx), "true", "false".
	CookieSecure string `json:"session_cookie_secure"`

	SessionIdle     time.Duration `json:"session_idle_timeout"`
	SessionAbsolute time.Duration `json:"session_absolute_timeout"`

	UseHeaderAuth     bool     `json:"use_header_auth"`
	HeaderUser        string   `json:"header_auth_username_header"`
	HeaderGroups      string   `json:"header_auth_groups_header"`
	HeaderDefaultRole string   `json:"header_auth_default_role"`
	TrustedProxies    []string `json:"trusted_proxies"` // CIDRs

	AdminGroup   string `json:"admin_group"`
	JustifyGroup string `json:"justify_group"`
	ViewGroup    string `json:"view_group"`

	// ActiveProviders lists the SSO providers shown and accepted: "oidc"
	// (the MONKEY_OIDC_* settings) and "okta" (OKTA_*). Security Monkey's
	// ping, aad, google and onelogin are not implemented.
	ActiveProviders []string `json:"active_providers"`
	OIDC            OIDC     `json:"oidc"`
	Okta            Okta     `json:"okta"`
}

// OIDC is a generic OpenID Connect provider (authorization code + PKCE).
type OIDC struct {
	Name         string   `json:"oidc_name"` // display name
	Issuer       string   `json:"oidc_issuer"`
	ClientID     string   `json:"oidc_client_id"`
	ClientSecret Secret   `json:"oidc_client_secret"`
	RedirectURL  string   `json:"oidc_redirect_url"` // "" = <base>/api/1/auth/oidc
	Scopes       []string `json:"oidc_scopes"`
	GroupsClaim  string   `json:"oidc_groups_claim"`
	DefaultRole  string   `json:"oidc_default_role"`
}

// Okta is Security Monkey's Okta provider, an OIDC issuer at
// <OKTA_BASE_URL>/oauth2/<OKTA_AUTH_SERVER>.
type Okta struct {
	Name         string `json:"okta_name"`
	BaseURL      string `json:"okta_base_url"`
	AuthServer   string `json:"okta_auth_server"`
	ClientID     string `json:"okta_client_id"`
	ClientSecret Secret `json:"okta_client_secret"`
	RedirectURI  string `json:"okta_redirect_uri"`
	DefaultRole  string `json:"okta_default_role"`
}

func defaultAuth() Auth {
	return Auth{
		NginxPort: "443", WebPort: "443", WebPath: "/",
		CSRFEnabled: true, CSRFSSLStrict: true,
		SessionIdle: 60 * time.Minute, SessionAbsolute: 12 * time.Hour,
		HeaderUser: "Remote-User", HeaderDefaultRole: "View",
		OIDC: OIDC{Name: "OpenID Connect", Scopes: []string{"openid", "email", "profile", "groups"}, GroupsClaim: "groups",
			DefaultRole: "View"},
		Okta: Okta{Name: "Okta", AuthServer: "default", DefaultRole: "View"},
	}
}

// authSetting is one setting of the Auth section: its key (settings-file
// name), the Security Monkey names, the environment variables and a setter.
type authSetting struct {
	key     string
	aliases []string
	env     []string
	set     func(a *Auth, v any) error
}

func str(dst *string) func(*Auth, any) error {
	return func(_ *Auth, v any) error { *dst = strings.TrimSpace(stringOf(v)); return nil }
}

// authSettings lists the Auth settings; it is built per Auth value so the
// setters can point into it.
func (a *Auth) settings() []authSetting {
	b := func(dst *bool) func(*Auth, any) error {
		return func(_ *Auth, v any) error { return setBool(dst, stringOf(v)) }
	}
	minutes := func(dst *time.Duration) func(*Auth, any) error {
		return func(_ *Auth, v any) error {
			s := strings.TrimSpace(stringOf(v))
			if d, err := time.ParseDuration(s); err == nil {
				*dst = d
				return nil
			}
			var n int
			if err := setInt(&n, s); err != nil {
				return fmt.Errorf("%q is not a duration (60m) or a number of minutes", s)
			}
			*dst = time.Duration(n) * time.Minute
			return nil
		}
	}
	list := func(dst *[]string) func(*Auth, any) error {
		return func(_ *Auth, v any) error { *dst = listOf(v); return nil }
	}
	secret := func(dst *Secret) func(*Auth, any) error {
		return func(_ *Auth, v any) error { *dst = Secret(strings.TrimSpace(stringOf(v))); return nil }
	}
	return []authSetting{
		{"nginx_port", []string{"NGINX_PORT"}, []string{"MONKEY_NGINX_PORT", "NGINX_PORT"}, str(&a.NginxPort)},
		{"web_port", []string{"WEB_PORT"}, []string{"MONKEY_WEB_PORT", "WEB_PORT"}, str(&a.WebPort)},
		{"fronted_by_nginx", []string{"FRONTED_BY_NGINX"}, []string{"MONKEY_FRONTED_BY_NGINX", "FRONTED_BY_NGINX"}, b(&a.FrontedByNginx)},
		{"base_url", []string{"BASE_URL"}, []string{"MONKEY_BASE_URL", "BASE_URL"}, str(&a.BaseURL)},
		{"web_path", []string{"WEB_PATH"}, []string{"MONKEY_WEB_PATH", "WEB_PATH"}, str(&a.WebPath)},
		{"wtf_csrf_enabled", []string{"WTF_CSRF_ENABLED"}, []string{"MONKEY_CSRF_ENABLED", "SM_WTF_CSRF_ENABLED", "WTF_CSRF_ENABLED"}, b(&a.CSRFEnabled)},
		{"wtf_csrf_ssl_strict", []string{"WTF_CSRF_SSL_STRICT"}, []string{"MONKEY_CSRF_SSL_STRICT", "SM_WTF_CSRF_SSL_STRICT", "WTF_CSRF_SSL_STRICT"}, b(&a.CSRFSSLStrict)},
		{"session_cookie_secure", []string{"SESSION_COOKIE_SECURE"}, []string{"MONKEY_SESSION_COOKIE_SECURE", "SESSION_COOKIE_SECURE"},
			func(a *Auth, v any) error {
				s := strings.ToLower(strings.TrimSpace(stringOf(v)))
				if s == "" || s == "auto" {
					a.CookieSecure = ""
					return nil
				}
				var x bool
				if err := setBool(&x, s); err != nil {
					return fmt.Errorf("%q is not true, false or auto", s)
				}
				a.CookieSecure = fmt.Sprint(x)
				return nil
			}},
		{"session_idle_timeout", []string{"PERMANENT_SESSION_LIFETIME"}, []string{"MONKEY_SESSION_IDLE_TIMEOUT", "PERMANENT_SESSION_LIFETIME"}, minutes(&a.SessionIdle)},
		{"session_absolute_timeout", nil, []string{"MONKEY_SESSION_ABSOLUTE_TIMEOUT"}, minutes(&a.SessionAbsolute)},
		{"use_header_auth", []string{"USE_HEADER_AUTH"}, []string{"MONKEY_USE_HEADER_AUTH", "SECURITY_MONKEY_USE_HEADER_AUTH", "USE_HEADER_AUTH"}, b(&a.UseHeaderAuth)},
		{"header_auth_username_header", []string{"HEADER_AUTH_USERNAME_HEADER"}, []string{"MONKEY_HEADER_AUTH_USERNAME_HEADER", "SECURITY_MONKEY_HEADER_AUTH_USERNAME_HEADER", "HEADER_AUTH_USERNAME_HEADER"}, str(&a.HeaderUser)},
		{"header_auth_groups_header", []string{"HEADER_AUTH_GROUPS_HEADER"}, []string{"MONKEY_HEADER_AUTH_GROUPS_HEADER", "SECURITY_MONKEY_HEADER_AUTH_GROUPS_HEADER", "HEADER_AUTH_GROUPS_HEADER"}, str(&a.HeaderGroups)},
		{"header_auth_default_role", []string{"HEADER_AUTH_DEFAULT_ROLE"}, []string{"MONKEY_HEADER_AUTH_DEFAULT_ROLE", "HEADER_AUTH_DEFAULT_ROLE"}, str(&a.HeaderDefaultRole)},
		{"trusted_proxies", nil, []string{"MONKEY_TRUSTED_PROXIES"}, list(&a.TrustedProxies)},
		{"admin_group", []string{"ADMIN_GROUP"}, []string{"MONKEY_ADMIN_GROUP", "ADMIN_GROUP"}, str(&a.AdminGroup)},
		{"justify_group", []string{"JUSTIFY_GROUP"}, []string{"MONKEY_JUSTIFY_GROUP", "JUSTIFY_GROUP"}, str(&a.JustifyGroup)},
		{"view_group", []string{"VIEW_GROUP"}, []string{"MONKEY_VIEW_GROUP", "VIEW_GROUP"}, str(&a.ViewGroup)},
		{"active_providers", []string{"ACTIVE_PROVIDERS"}, []string{"MONKEY_ACTIVE_PROVIDERS", "SECURITY_MONKEY_ACTIVE_PROVIDERS", "ACTIVE_PROVIDERS"},
			func(a *Auth, v any) error {
				a.ActiveProviders = nil
				for _, p := range listOf(v) {
					a.ActiveProviders = append(a.ActiveProviders, strings.ToLower(p))
				}
				return nil
			}},
		{"oidc_name", nil, []string{"MONKEY_OIDC_NAME"}, str(&a.OIDC.Name)},
		{"oidc_issuer", nil, []string{"MONKEY_OIDC_ISSUER"}, str(&a.OIDC.Issuer)},
		{"oidc_client_id", nil, []string{"MONKEY_OIDC_CLIENT_ID"}, str(&a.OIDC.ClientID)},
		{"oidc_client_secret", nil, []string{"MONKEY_OIDC_CLIENT_SECRET"}, secret(&a.OIDC.ClientSecret)},
		{"oidc_redirect_url", nil, []string{"MONKEY_OIDC_REDIRECT_URL"}, str(&a.OIDC.RedirectURL)},
		{"oidc_scopes", nil, []string{"MONKEY_OIDC_SCOPES"}, list(&a.OIDC.Scopes)},
		{"oidc_groups_claim", nil, []string{"MONKEY_OIDC_GROUPS_CLAIM"}, str(&a.OIDC.GroupsClaim)},
		{"oidc_default_role", nil, []string{"MONKEY_OIDC_DEFAULT_ROLE"}, str(&a.OIDC.DefaultRole)},
		{"okta_name", []string{"OKTA_NAME"}, []string{"SECURITY_MONKEY_OKTA_NAME", "OKTA_NAME"}, str(&a.Okta.Name)},
		{"okta_base_url", []string{"OKTA_BASE_URL"}, []string{"SECURITY_MONKEY_OKTA_BASE_URL", "OKTA_BASE_URL"}, str(&a.Okta.BaseURL)},
		{"okta_auth_server", []string{"OKTA_AUTH_SERVER"}, []string{"SECURITY_MONKEY_OKTA_AUTH_SERVER", "OKTA_AUTH_SERVER"}, str(&a.Okta.AuthServer)},
		{"okta_client_id", []string{"OKTA_CLIENT_ID"}, []string{"SECURITY_MONKEY_OKTA_CLIENT_ID", "OKTA_CLIENT_ID"}, str(&a.Okta.ClientID)},
		{"okta_client_secret", []string{"OKTA_CLIENT_SECRET"}, []string{"SECURITY_MONKEY_OKTA_CLIENT_SECRET", "OKTA_CLIENT_SECRET"}, secret(&a.Okta.ClientSecret)},
		{"okta_redirect_uri", []string{"OKTA_REDIRECT_URI"}, []string{"SECURITY_MONKEY_OKTA_REDIRECT_URI", "OKTA_REDIRECT_URI"}, str(&a.Okta.RedirectURI)},
		{"okta_default_role", []string{"OKTA_DEFAULT_ROLE"}, []string{"SECURITY_MONKEY_OKTA_DEFAULT_ROLE", "OKTA_DEFAULT_ROLE"}, str(&a.Okta.DefaultRole)},
	}
}

// set applies a settings-file value; ok is false when key is not an Auth
// setting.
func (a *Auth) set(key string, v any) (ok bool, err error) {
	for _, s := range a.settings() {
		if s.key == key || slices.Contains(s.aliases, key) {
			if err := s.set(a, v); err != nil {
				return true, fmt.Errorf("%s: %w", s.key, err)
			}
			return true, nil
		}
	}
	return false, nil
}

// fromEnv applies the environment (first variable set wins per setting).
func (a *Auth) fromEnv(getenv func(string) string) error {
	var errs []error
	for _, s := range a.settings() {
		for _, n := range s.env {
			if v := getenv(n); v != "" {
				if err := s.set(a, v); err != nil {
					errs = append(errs, fmt.Errorf("%s (%s): %w", s.key, n, err))
				}
				break
			}
		}
	}
	return errors.Join(errs...)
}

// Proxies parses TrustedProxies (addresses or CIDRs).
func (a Auth) Proxies() ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, p := range a.TrustedProxies {
		if pr, err := netip.ParsePrefix(p); err == nil {
			out = append(out, pr.Masked())
			continue
		}
		addr, err := netip.ParseAddr(p)
		if err != nil {
			return nil, fmt.Errorf("trusted_proxies (MONKEY_TRUSTED_PROXIES): %q is not an address or CIDR", p)
		}
		out = append(out, netip.PrefixFrom(addr, addr.BitLen()))
	}
	return out, nil
}

func (a Auth) validate() error {
	var errs []error
	if _, err := a.Proxies(); err != nil {
		errs = append(errs, err)
	}
	if a.UseHeaderAuth && len(a.TrustedProxies) == 0 {
		errs = append(errs, errors.New("use_header_auth (USE_HEADER_AUTH): set MONKEY_TRUSTED_PROXIES to the proxy addresses allowed to send the user header"))
	}
	for key, r := range map[string]string{"header_auth_default_role": a.HeaderDefaultRole,
		"oidc_default_role": a.OIDC.DefaultRole, "okta_default_role": a.Okta.DefaultRole} {
		switch r {
		case "View", "Comment", "Justify", "Admin":
		default:
			errs = append(errs, fmt.Errorf("%s: %q is not View, Comment, Justify or Admin", key, r))
		}
	}
	if a.SessionIdle <= 0 || a.SessionAbsolute <= 0 {
		errs = append(errs, errors.New("session_idle_timeout and session_absolute_timeout must be positive"))
	}
	for _, p := range a.ActiveProviders {
		switch p {
		case "oidc":
			if a.OIDC.Issuer == "" || a.OIDC.ClientID == "" {
				errs = append(errs, errors.New("active_providers: oidc needs MONKEY_OIDC_ISSUER and MONKEY_OIDC_CLIENT_ID"))
			}
		case "okta":
			if a.Okta.BaseURL == "" || a.Okta.ClientID == "" {
				errs = append(errs, errors.New("active_providers: okta needs OKTA_BASE_URL and OKTA_CLIENT_ID"))
			}
		default:
			errs = append(errs, fmt.Errorf("active_providers: %q is not implemented (oidc, okta)", p))
		}
	}
	return errors.Join(errs...)
}
