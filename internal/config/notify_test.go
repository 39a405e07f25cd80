package config

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestNotifySettings(t *testing.T) {
	t.Parallel()
	secret := filepath.Join(t.TempDir(), "smtp")
	require.NoError(t, os.WriteFile(secret, []byte("from-a-file\n"), 0o600))
	for _, tc := range []struct {
		name  string
		env   map[string]string
		check func(t *testing.T, n Notify)
	}{
		{"defaults", nil, func(t *testing.T, n Notify) {
			require.Equal(t, defaultNotify(), n)
			require.False(t, n.UseSMTP)
			require.Equal(t, 465, n.MailPort)
			require.True(t, n.AuditIncludeJustified)
		}},
		{"reference names", map[string]string{"EMAILS_USE_SMTP": "True", "MAIL_SERVER": "smtp.corp", "MAIL_PORT": "587",
			"MAIL_USE_SSL": "False", "MAIL_USE_TLS": "True", "MAIL_USERNAME": "u", "MAIL_PASSWORD": "p4ss",
			"SECURITY_TEAM_EMAIL": "a@x.com, b@x.com", "EMAIL_AUDIT_REPORTS_INCLUDE_JUSTIFIED": "false"}, func(t *testing.T, n Notify) {
			require.True(t, n.UseSMTP)
			require.Equal(t, "smtp.corp", n.MailServer)
			require.Equal(t, 587, n.MailPort)
			require.False(t, n.MailUseSSL)
			require.True(t, n.MailUseTLS)
			require.Equal(t, Secret("p4ss"), n.MailPassword)
			require.Equal(t, []string{"a@x.com", "b@x.com"}, n.SecurityTeamEmail)
			require.False(t, n.AuditIncludeJustified)
		}},
		{"docker names", map[string]string{"SECURITY_MONKEY_SMTP": "true", "SECURITY_MONKEY_EMAIL_SERVER": "mail",
			"SECURITY_MONKEY_SES_REGION": "eu-west-1", "SECURITY_MONKEY_EMAIL_DEFAULT_SENDER": "sm@x.com"}, func(t *testing.T, n Notify) {
			require.True(t, n.UseSMTP)
			require.Equal(t, "mail", n.MailServer)
			require.Equal(t, "eu-west-1", n.SESRegion)
			require.Equal(t, "sm@x.com", n.DefaultSender)
		}},
		{"secret from a file", map[string]string{"MAIL_PASSWORD_FILE": secret}, func(t *testing.T, n Notify) {
			require.Equal(t, "from-a-file", n.MailPassword.Reveal())
		}},
		{"audit time", map[string]string{"MONKEY_AUDIT_REPORT_TIME": "06:30", "MONKEY_AUDIT_REPORT_TIME_ZONE": "Europe/Paris"}, func(t *testing.T, n Notify) {
			h, m, err := n.AuditClock()
			require.NoError(t, err)
			require.Equal(t, [2]int{6, 30}, [2]int{h, m})
			loc, err := n.AuditLocation()
			require.NoError(t, err)
			require.Equal(t, "Europe/Paris", loc.String())
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := Load(env(tc.env))
			require.NoError(t, err)
			tc.check(t, c.Notify)
		})
	}
}

func TestNotifySecretsRedacted(t *testing.T) {
	t.Parallel()
	c, err := Load(env(map[string]string{"MAIL_PASSWORD": "pw-123", "SLACK_HOOK": "https://hooks.slack.com/services/T/B/xyz",
		"MONKEY_WEBHOOK_URL": "https://h/x?token=tok", "MONKEY_WEBHOOK_SECRET": "whs"}))
	require.NoError(t, err)
	b, err := json.Marshal(c)
	require.NoError(t, err)
	for _, s := range []string{"pw-123", "hooks.slack.com", "token=tok", "whs"} {
		require.NotContains(t, string(b), s)
	}
}

func TestNotifyRejectsBadValues(t *testing.T) {
	t.Parallel()
	_, err := Load(env(map[string]string{"MONKEY_AUDIT_REPORT_TIME": "25:00", "MONKEY_AUDIT_REPORT_TIME_ZONE": "Mars/Olympus",
		"MAIL_PORT": "0", "MAIL_PASSWORD_FILE": "/nonexistent/file"}))
	require.ErrorContains(t, err, "audit_report_time")
	require.ErrorContains(t, err, "audit_report_time_zone")
	require.ErrorContains(t, err, "mail_port")
	require.ErrorContains(t, err, "MAIL_PASSWORD_FILE")
}
