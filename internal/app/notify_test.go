package app_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/notify/smtptest"
	"github.com/secmonkey/monkey/internal/notify/webhook"
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

// TestNotifyChannels runs the binary with e-mail through SES (the
// simulator's outbox), Slack and a signed webhook (local receivers).
func TestNotifyChannels(t *testing.T) {
	t.Parallel()
	s := startSim(t, "--accounts", "1", "--seed", "4", "--items", "2")
	var mu sync.Mutex
	var slackBodies, hookBodies [][]byte
	var hookErrs []error
	slackSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		slackBodies = append(slackBodies, b)
		mu.Unlock()
		_, _ = w.Write([]byte("ok"))
	}))
	t.Cleanup(slackSrv.Close)
	hookSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		err := webhook.Verify("hook-secret", r.Header.Get(webhook.HeaderTimestamp), r.Header.Get(webhook.HeaderSignature), b, time.Now(), time.Minute)
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			hookErrs = append(hookErrs, err)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		hookBodies = append(hookBodies, b)
	}))
	t.Cleanup(hookSrv.Close)
	c := cli{t: t, env: append(simEnv(s, filepath.Join(t.TempDir(), "monkey.db")),
		"SES_REGION=us-west-2", "MAIL_DEFAULT_SENDER=monkey@example.com", "SECURITY_TEAM_EMAIL=sec@example.com",
		"SLACK_HOOK="+slackSrv.URL+"/services/T/B/x", "SLACK_CHANNEL=#sec",
		"MONKEY_WEBHOOK_URL="+hookSrv.URL+"/hook", "MONKEY_WEBHOOK_SECRET=hook-secret")}
	c.run("migrate")
	c.run("account", "add", "aws", "--name", "alpha", "--id", s.Accounts[0])
	out := c.run("find-changes", "--notify", "-m", "iamrole")
	require.Contains(t, out, "notifications: 3 queued, 3 sent", out)

	resp, err := http.Get(s.Endpoint + "/_sim/ses")
	require.NoError(t, err)
	defer resp.Body.Close()
	var sent []struct {
		Operation, Source, Region, Subject string
		To                                 []string
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&sent))
	require.Len(t, sent, 1)
	require.Equal(t, "SendRawEmail", sent[0].Operation)
	require.Equal(t, "us-west-2", sent[0].Region)
	require.Equal(t, []string{"sec@example.com"}, sent[0].To)
	require.Contains(t, sent[0].Subject, "[alpha] Changes in IAM Roles")

	mu.Lock()
	require.Empty(t, hookErrs)
	require.Len(t, slackBodies, 1)
	require.Contains(t, string(slackBodies[0]), `"channel":"#sec"`)
	require.Contains(t, string(slackBodies[0]), `"type":"header"`)
	require.Len(t, hookBodies, 1)
	var ev webhook.Event
	require.NoError(t, json.Unmarshal(hookBodies[0], &ev))
	require.Equal(t, "change", ev.Kind)
	require.Equal(t, "alpha", ev.Summary.Account)
	require.Positive(t, ev.Summary.New)
	require.NotEmpty(t, ev.ID)

	mu.Unlock()

	// monkey notify test through each channel.
	require.Contains(t, c.run("notify", "test", "--channel", "ses", "--to", "ops@example.com"), "sent \"[TEST] NEW ISSUE - [prod]")
	require.Contains(t, c.run("notify", "test", "--channel", "slack"), "to the Slack hook")
	require.Contains(t, c.run("notify", "test", "--channel", "webhook"), "to the webhook")
	mu.Lock()
	require.Len(t, slackBodies, 2)
	require.Len(t, hookBodies, 2)
	mu.Unlock()
	_, stderr, err := c.try("notify", "test", "--channel", "email", "--to", "x@example.com")
	require.Error(t, err, "MAIL_SERVER is the placeholder smtp.example.com")
	require.Contains(t, stderr, "notify test: email via SMTP smtp.example.com:465")

	_, stderr, err = c.try("sync-jira")
	require.Error(t, err)
	require.Contains(t, stderr, "SECURITY_MONKEY_JIRA_SYNC")

	cfg := c.run("config")
	require.NotContains(t, cfg, "hook-secret")
	require.NotContains(t, cfg, "/services/T/B/x")
	require.Contains(t, cfg, `"slack_hook": "[REDACTED]"`)
}

// TestDemoChangeReport: monkey demo writes the change report of its scan
// to an HTML file, or its text to the terminal.
func TestDemoChangeReport(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	c := cli{t: t, env: []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "MONKEY_BASE_URL=https://monkey.example.com/"}}
	file := filepath.Join(dir, "report.html")
	c.run("demo", "--once", "--accounts", "1", "--change-report", file)
	b, err := os.ReadFile(file)
	require.NoError(t, err)
	require.Contains(t, string(b), "<h2 style=\"margin: 0 0 8px 0;\">Changes in prod</h2>")
	require.Contains(t, string(b), "https://monkey.example.com/items/")
	out := c.run("demo", "--once", "--accounts", "1", "--change-report", "-")
	require.Contains(t, out, "Subject: NEW ISSUE - [prod] Changes in ")
	require.Contains(t, out, "CONTENTS")
}
