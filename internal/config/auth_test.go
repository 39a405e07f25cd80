package config

import (
	"net/netip"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestAuthSettings(t *testing.T) {
	t.Parallel()
	c, err := Load(env(nil))
	require.NoError(t, err)
	require.Equal(t, defaultAuth(), c.Auth)
	require.True(t, c.Auth.CSRFEnabled)
	require.Equal(t, 60*time.Minute, c.Auth.SessionIdle)

	c, err = Load(env(map[string]string{
		"SECURITY_MONKEY_USE_HEADER_AUTH": "True", "MONKEY_TRUSTED_PROXIES": "10.0.0.0/8, 192.0.2.7",
		"HEADER_AUTH_GROUPS_HEADER": "X-Groups", "SM_WTF_CSRF_ENABLED": "false", "PERMANENT_SESSION_LIFETIME": "30",
		"SECURITY_MONKEY_ACTIVE_PROVIDERS": "OIDC", "MONKEY_OIDC_ISSUER": "https://idp.example", "MONKEY_OIDC_CLIENT_ID": "c",
		"MONKEY_OIDC_CLIENT_SECRET": "s3cret", "ADMIN_GROUP": "admins", "FRONTED_BY_NGINX": "true", "NGINX_PORT": "8443",
	}))
	require.NoError(t, err)
	a := c.Auth
	require.True(t, a.UseHeaderAuth)
	require.Equal(t, "X-Groups", a.HeaderGroups)
	require.False(t, a.CSRFEnabled)
	require.Equal(t, 30*time.Minute, a.SessionIdle)
	require.Equal(t, []string{"oidc"}, a.ActiveProviders)
	require.Equal(t, "s3cret", a.OIDC.ClientSecret.Reveal())
	require.Equal(t, "admins", a.AdminGroup)
	require.True(t, a.FrontedByNginx)
	require.Equal(t, "8443", a.NginxPort)
	p, err := a.Proxies()
	require.NoError(t, err)
	require.Equal(t, []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.0.2.7/32")}, p)

	// A config.py with the Security Monkey names.
	path := filepath.Join(t.TempDir(), "config.py")
	require.NoError(t, os.WriteFile(path, []byte("FQDN = 'monkey.example.com'\nWTF_CSRF_SSL_STRICT = False\nOKTA_BASE_URL = 'https://x.okta.com'\n"+
		"OKTA_CLIENT_ID = 'abc'\nACTIVE_PROVIDERS = ['okta']\nWEB_PATH = '/ui'\n"), 0o600))
	c, err = Load(env(map[string]string{"SECURITY_MONKEY_SETTINGS": path}))
	require.NoError(t, err)
	require.False(t, c.Auth.CSRFSSLStrict)
	require.Equal(t, "https://x.okta.com", c.Auth.Okta.BaseURL)
	require.Equal(t, []string{"okta"}, c.Auth.ActiveProviders)
	require.Equal(t, "/ui", c.Auth.WebPath)
	require.NotContains(t, c.Unknown, "OKTA_CLIENT_ID")

	for name, bad := range map[string]map[string]string{
		"header auth without proxies": {"USE_HEADER_AUTH": "true"},
		"bad proxy":                   {"MONKEY_TRUSTED_PROXIES": "10.0.0.0/99"},
		"bad role":                    {"HEADER_AUTH_DEFAULT_ROLE": "Boss"},
		"unknown provider":            {"ACTIVE_PROVIDERS": "google"},
		"oidc without issuer":         {"ACTIVE_PROVIDERS": "oidc"},
		"bad lifetime":                {"PERMANENT_SESSION_LIFETIME": "soon"},
	} {
		_, err := Load(env(bad))
		require.Error(t, err, name)
	}
}
