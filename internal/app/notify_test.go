package app_test

import (
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/notify/smtptest"
)

// TestFindChangesNotify runs the binary: find-changes --notify e-mails the
// change report of each account that changed to its followers (by their
// change_reports setting) and the security team over a real SMTP server;
// an unchanged rescan sends nothing.
func TestFindChangesNotify(t *testing.T) {
	t.Parallel()
	s := startSim(t, "--accounts", "1", "--seed", "9", "--items", "2")
	srv := smtptest.Start(t, smtptest.Options{})
	c := cli{t: t, env: append(simEnv(s, filepath.Join(t.TempDir(), "monkey.db")),
		"EMAILS_USE_SMTP=true", "MAIL_SERVER=127.0.0.1", "MAIL_PORT="+strconv.Itoa(srv.Port), "MAIL_USE_SSL=false",
		"SECURITY_TEAM_EMAIL=sec@example.com", "MONKEY_BASE_URL=https://monkey.example.com/")}
	c.run("migrate")
	c.run("account", "add", "aws", "--name", "alpha", "--id", s.Accounts[0])
	for _, u := range []struct{ email, reports string }{{"all@example.com", "ALL"}, {"none@example.com", "NONE"}} {
		c.run("user", "add", u.email, "--role", "View")
		c.run("notify", "settings", u.email, "--accounts", "alpha", "--change-reports", u.reports)
	}
	var settings map[string]any
	require.NoError(t, json.Unmarshal([]byte(c.run("notify", "settings", "all@example.com", "--json")), &settings))
	require.Equal(t, map[string]any{"email": "all@example.com", "accounts": []any{"alpha"}, "change_reports": "ALL",
		"daily_audit_email": false}, settings)

	out := c.run("find-changes", "--json", "--notify", "-m", "securitygroup")
	var sum struct {
		Notifications struct{ Queued, Sent, Retried, Failed int } `json:"notifications"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &sum), out)
	require.Equal(t, 2, sum.Notifications.Queued, out)
	require.Equal(t, 2, sum.Notifications.Sent, out)
	msgs := srv.Messages()
	require.Len(t, msgs, 2)
	var to []string
	for _, m := range msgs {
		to = append(to, m.To...)
		require.Contains(t, m.Subject(), "[alpha] Changes in Security Groups")
		require.Contains(t, m.Part("text/plain"), "NEW Security Group")
		require.Contains(t, m.Part("text/html"), "https://monkey.example.com/items/")
	}
	require.ElementsMatch(t, []string{"all@example.com", "sec@example.com"}, to)

	out = c.run("find-changes", "--notify", "-m", "securitygroup")
	require.Contains(t, out, "notifications: 0 queued, 0 sent")
	require.Len(t, srv.Messages(), 2, "an unchanged rescan reports nothing")

	list := c.run("notify", "list", "--status", "sent")
	require.Equal(t, 3, len(strings.Split(strings.TrimSpace(list), "\n")), list)
	status := c.run("status")
	require.Contains(t, status, "notify:    0 pending, 2 sent, 0 failed")

	// audit-changes --report: the reference's auditor report to the
	// daily-audit followers and the team.
	c.run("notify", "settings", "none@example.com", "--daily-audit", "true")
	out = c.run("audit-changes", "--report", "-m", "securitygroup")
	require.Contains(t, out, "notifications: 2 queued, 2 sent")
	msgs = srv.Messages()[2:]
	require.Len(t, msgs, 2)
	to = nil
	for _, m := range msgs {
		to = append(to, m.To...)
		require.Equal(t, "Security Monkey Security Group Auditor Report", m.Subject())
		require.Contains(t, m.Part("text/plain"), "unjustified open")
	}
	require.ElementsMatch(t, []string{"none@example.com", "sec@example.com"}, to)
}
