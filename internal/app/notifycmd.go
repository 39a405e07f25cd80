package app

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/secmonkey/monkey/internal/auth"
	"github.com/secmonkey/monkey/internal/notify"
	"github.com/secmonkey/monkey/internal/notify/email"
	"github.com/secmonkey/monkey/internal/notify/jira"
	"github.com/secmonkey/monkey/internal/notify/ses"
	"github.com/secmonkey/monkey/internal/notify/slack"
	"github.com/secmonkey/monkey/internal/notify/webhook"
	"github.com/secmonkey/monkey/internal/store"
)

// jiraSyncer builds the Jira sync from SECURITY_MONKEY_JIRA_SYNC.
func (a *App) jiraSyncer(ctx context.Context) (*jira.Syncer, error) {
	n := a.Config.Notify
	if n.JiraSync == "" {
		return nil, usagef("jira is not configured: set SECURITY_MONKEY_JIRA_SYNC to the Jira YAML file")
	}
	cfg, err := jira.LoadConfig(n.JiraSync, n.JiraSSLVerify, n.JiraOpen, n.JiraClosed)
	if err != nil {
		return nil, err
	}
	st, err := a.Store(ctx, false)
	if err != nil {
		return nil, err
	}
	return jira.New(cfg, st, nil, a.Logger, nil)
}

// jiraTest checks the Jira credentials (monkey notify test --channel jira).
func (a *App) jiraTest(ctx context.Context) error {
	sy, err := a.jiraSyncer(ctx)
	if err != nil {
		return err
	}
	me, err := sy.Myself(ctx)
	if err != nil {
		return fmt.Errorf("notify test: jira: %w", err)
	}
	fmt.Fprintf(a.Stdout, "jira: signed in as %s\n", me)
	return nil
}

func cmdSyncJira(ctx context.Context, a *App, args []string) error {
	fs := newFlags("sync-jira", a.Stderr)
	asJSON := fs.Bool("json", false, "print the counts as JSON")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	sy, err := a.jiraSyncer(ctx)
	if err != nil {
		return err
	}
	res, err := sy.Sync(ctx)
	if *asJSON {
		if jerr := json.NewEncoder(a.Stdout).Encode(res); jerr != nil {
			return jerr
		}
	} else {
		fmt.Fprintf(a.Stdout, "jira: %d created, %d updated, %d closed, %d reopened, %d disabled settings skipped, %d errors\n",
			res.Created, res.Updated, res.Closed, res.Reopened, res.Skipped, res.Errors)
	}
	return err
}

// notifyCommands adds the notify and sync-jira commands.
func notifyCommands(t map[string]command) {
	t["notify"] = command{"notification settings, outbox and test messages (settings, list, test)", cmdNotify}
	t["sync-jira"] = command{"bring the Jira tickets of every auditor setting up to date (SECURITY_MONKEY_JIRA_SYNC)", cmdSyncJira}
}

func cmdNotify(ctx context.Context, a *App, args []string) error {
	if len(args) == 0 {
		return usagef("notify: want settings, list or test")
	}
	switch args[0] {
	case "settings":
		return notifySettings(ctx, a, args[1:])
	case "list", "ls":
		return notifyList(ctx, a, args[1:])
	case "test":
		return notifyTest(ctx, a, args[1:])
	}
	return usagef("notify: unknown subcommand %q (want settings, list or test)", args[0])
}

// notifySettings shows or changes a user's notification settings: the
// accounts followed, change_reports and daily_audit_email (the CLI side of
// POST /api/1/settings).
func notifySettings(ctx context.Context, a *App, args []string) error {
	fs := newFlags("notify settings", a.Stderr)
	accounts := fs.String("accounts", "", "account names to follow, comma-separated (\"-\" for none)")
	reports := fs.String("change-reports", "", "change reports: ALL, ISSUES or NONE")
	daily := fs.String("daily-audit", "", "daily audit report: true or false")
	asJSON := fs.Bool("json", false, "print the settings as JSON")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("notify settings: give one e-mail address")
	}
	st, err := a.Store(ctx, false)
	if err != nil {
		return err
	}
	u, err := st.UserByEmail(ctx, auth.NormalizeEmail(pos[0]))
	if err != nil {
		return err
	}
	set := visited(fs)
	if set["change-reports"] || set["daily-audit"] {
		if set["change-reports"] {
			u.ChangeReports = strings.ToUpper(strings.TrimSpace(*reports))
		}
		if set["daily-audit"] {
			switch strings.ToLower(*daily) {
			case "true", "yes", "1":
				u.DailyAudit = true
			case "false", "no", "0":
				u.DailyAudit = false
			default:
				return usagef("notify settings: --daily-audit wants true or false")
			}
		}
		if err := st.UpdateUser(ctx, u); err != nil {
			return err
		}
	}
	if set["accounts"] {
		var ids []int64
		for _, name := range splitList(*accounts) {
			if name == "-" {
				continue
			}
			acct, err := st.AccountByName(ctx, name)
			if err != nil {
				return err
			}
			ids = append(ids, acct.ID)
		}
		if err := st.SetUserAccounts(ctx, u.ID, ids); err != nil {
			return err
		}
	}
	ids, err := st.UserAccounts(ctx, u.ID)
	if err != nil {
		return err
	}
	names := []string{}
	for _, id := range ids {
		acct, err := st.Account(ctx, id)
		if err != nil {
			return err
		}
		names = append(names, acct.Name)
	}
	if *asJSON {
		return json.NewEncoder(a.Stdout).Encode(map[string]any{"email": u.Email, "accounts": names,
			"change_reports": u.ChangeReports, "daily_audit_email": u.DailyAudit})
	}
	fmt.Fprintf(a.Stdout, "%s: change reports %s, daily audit e-mail %t, follows %s\n", u.Email, u.ChangeReports,
		u.DailyAudit, orDash(strings.Join(names, ", ")))
	return nil
}

// notifyList lists the notification outbox, newest first.
func notifyList(ctx context.Context, a *App, args []string) error {
	fs := newFlags("notify list", a.Stderr)
	status := fs.String("status", "", "only pending, sent or failed notifications")
	kind := fs.String("kind", "", "only change, audit or test notifications")
	limit := fs.Int("limit", 50, "at most this many")
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	st, err := a.Store(ctx, false)
	if err != nil {
		return err
	}
	ns, err := st.ListNotifications(ctx, store.NotificationQuery{Status: *status, Kind: *kind, Limit: *limit})
	if err != nil {
		return err
	}
	if *asJSON {
		type row struct {
			ID        int64  `json:"id"`
			Kind      string `json:"kind"`
			Channel   string `json:"channel"`
			Recipient string `json:"recipient"`
			Account   string `json:"account"`
			Subject   string `json:"subject"`
			Status    string `json:"status"`
			Attempts  int    `json:"attempts"`
			LastError string `json:"last_error"`
			Created   string `json:"created"`
		}
		out := []row{}
		for _, n := range ns {
			out = append(out, row{n.ID, n.Kind, n.Channel, n.Recipient, n.Account, n.Subject, n.Status, n.Attempts,
				n.LastError, n.Created.Format("2006-01-02T15:04:05Z")})
		}
		return json.NewEncoder(a.Stdout).Encode(out)
	}
	tw := tabwriter.NewWriter(a.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tCREATED\tKIND\tCHANNEL\tRECIPIENT\tSTATUS\tATTEMPTS\tSUBJECT\tERROR")
	for _, n := range ns {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\n", n.ID, n.Created.Format("2006-01-02 15:04"), n.Kind, n.Channel,
			orDash(n.Recipient), n.Status, n.Attempts, printable(n.Subject), printable(oneLine(n.LastError)))
	}
	return tw.Flush()
}

// notifyTest sends a sample message through one channel now and prints
// what happened.
func notifyTest(ctx context.Context, a *App, args []string) error {
	fs := newFlags("notify test", a.Stderr)
	channel := fs.String("channel", "email", "email (SMTP), ses, slack, webhook or jira")
	to := fs.String("to", "", "recipient address (email, ses; default: the first SECURITY_TEAM_EMAIL)")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	n := a.Config.Notify
	if *channel == "jira" {
		return a.jiraTest(ctx)
	}
	var c notify.Notifier
	var err error
	var via string
	switch *channel {
	case "email", "smtp":
		c, err = email.New(email.Config{Host: n.MailServer, Port: n.MailPort, SSL: n.MailUseSSL, StartTLS: n.MailUseTLS,
			Username: n.MailUsername, Password: n.MailPassword.Reveal(), From: n.DefaultSender})
		via = fmt.Sprintf("SMTP %s:%d", n.MailServer, n.MailPort)
	case "ses":
		var cfg aws.Config
		if cfg, err = a.sesConfig(ctx); err == nil {
			c, err = ses.NewFromConfig(ses.Config{From: n.DefaultSender}, cfg)
		}
		via = "SES in " + n.SESRegion
	case "slack":
		c, err = slack.New(slack.Config{HookURL: n.SlackHook.Reveal(), Channel: n.SlackChannel, Username: n.SlackUsername, Icon: n.SlackIcon})
		via = "the Slack hook"
	case "webhook":
		c, err = webhook.New(webhook.Config{URL: n.WebhookURL.Reveal(), Secret: n.WebhookSecret.Reveal()})
		via = "the webhook"
	default:
		return usagef("notify test: --channel wants email, ses, slack, webhook or jira, not %q", *channel)
	}
	if err != nil {
		return err
	}
	rcpt := ""
	if *channel == "email" || *channel == "smtp" || *channel == "ses" {
		rcpt = *to
		if rcpt == "" && len(n.SecurityTeamEmail) > 0 {
			rcpt = n.SecurityTeamEmail[0]
		}
		if rcpt == "" {
			return usagef("notify test: give --to ADDRESS (or set SECURITY_TEAM_EMAIL)")
		}
	}
	r, err := notify.NewRenderer(a.links())
	if err != nil {
		return err
	}
	msg, err := r.Change(notify.SampleChangeReport(a.links()))
	if err != nil {
		return err
	}
	msg.Kind, msg.ID = notify.KindTest, "test/"+time.Now().UTC().Format(time.RFC3339Nano)
	msg.Subject = "[TEST] " + msg.Subject
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	start := time.Now()
	retry, err := c.Notify(ctx, rcpt, msg)
	if err != nil {
		kind := "permanent failure"
		if retry {
			kind = "temporary failure (would be retried)"
		}
		return fmt.Errorf("notify test: %s via %s: %s: %w", *channel, via, kind, err)
	}
	target := via
	if rcpt != "" {
		target = rcpt + " via " + via
	}
	fmt.Fprintf(a.Stdout, "sent %q to %s in %s\n", msg.Subject, target, time.Since(start).Round(time.Millisecond))
	return nil
}
