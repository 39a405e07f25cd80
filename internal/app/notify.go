package app

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"

	"github.com/secmonkey/monkey/internal/metrics"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/notify"
	"github.com/secmonkey/monkey/internal/notify/email"
	"github.com/secmonkey/monkey/internal/notify/ses"
	"github.com/secmonkey/monkey/internal/notify/slack"
	"github.com/secmonkey/monkey/internal/notify/webhook"
	"github.com/secmonkey/monkey/internal/pipeline"
	"github.com/secmonkey/monkey/internal/scheduler"
	"github.com/secmonkey/monkey/internal/status"
	"github.com/secmonkey/monkey/internal/store"
)

// links returns the UI links of reports: MONKEY_BASE_URL (BASE_URL), else
// https://<FQDN>/.
func (a *App) links() notify.Links {
	base := a.Config.Auth.BaseURL
	if base == "" && a.Config.FQDN != "" {
		base = "https://" + a.Config.FQDN + "/"
	}
	return notify.Links{Base: base}
}

// notifyChannels builds the configured notification channels: e-mail
// over SMTP (EMAILS_USE_SMTP) or SES, Slack when SLACK_HOOK is set, the
// webhook when MONKEY_WEBHOOK_URL is set.
func (a *App) notifyChannels(ctx context.Context) (map[string]notify.Notifier, error) {
	n := a.Config.Notify
	out := map[string]notify.Notifier{}
	if n.UseSMTP {
		c, err := email.New(email.Config{Host: n.MailServer, Port: n.MailPort, SSL: n.MailUseSSL, StartTLS: n.MailUseTLS,
			Username: n.MailUsername, Password: n.MailPassword.Reveal(), From: n.DefaultSender})
		if err != nil {
			return nil, err
		}
		out[notify.ChannelEmail] = c
	} else {
		cfg, err := a.sesConfig(ctx)
		if err != nil {
			return nil, err
		}
		c, err := ses.NewFromConfig(ses.Config{From: n.DefaultSender}, cfg)
		if err != nil {
			return nil, err
		}
		out[notify.ChannelEmail] = c
	}
	if n.SlackHook != "" {
		c, err := slack.New(slack.Config{HookURL: n.SlackHook.Reveal(), Channel: n.SlackChannel, Username: n.SlackUsername, Icon: n.SlackIcon})
		if err != nil {
			return nil, err
		}
		out[notify.ChannelSlack] = c
	}
	if n.WebhookURL != "" {
		c, err := webhook.New(webhook.Config{URL: n.WebhookURL.Reveal(), Secret: n.WebhookSecret.Reveal()})
		if err != nil {
			return nil, err
		}
		out[notify.ChannelWebhook] = c
	}
	return out, nil
}

// sesConfig is the AWS configuration of SES: the service's own credentials
// (the demo's simulated AWS when set) in SES_REGION.
func (a *App) sesConfig(ctx context.Context) (aws.Config, error) {
	if a.AWSBase != nil {
		cfg := a.AWSBase.Copy()
		cfg.Region = a.Config.Notify.SESRegion
		return cfg, nil
	}
	cfg, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithRegion(a.Config.Notify.SESRegion))
	if err != nil {
		return aws.Config{}, fmt.Errorf("ses credentials: %w", err)
	}
	return cfg, nil
}

// Notifier builds the notification service on st; m may be nil.
func (a *App) Notifier(ctx context.Context, st *store.Store, m *metrics.Metrics) (*notify.Service, error) {
	channels, err := a.notifyChannels(ctx)
	if err != nil {
		return nil, fmt.Errorf("notifications: %w", err)
	}
	techs := map[string]monkey.Technology{}
	for _, t := range a.Technologies() {
		techs[t.Index] = t
	}
	n := a.Config.Notify
	loc, err := n.AuditLocation()
	if err != nil {
		return nil, err
	}
	hour, minute, err := n.AuditClock()
	if err != nil {
		return nil, err
	}
	var obs notify.Observer
	if m != nil {
		obs = m
	}
	return notify.New(notify.Config{Team: n.SecurityTeamEmail, DisableEmails: n.DisableEmails, MaxItems: n.ReportMaxItems,
		IncludeJustified: n.AuditIncludeJustified, MaxAttempts: n.MaxAttempts, Holder: a.command + ":" + scheduler.ProcessID(),
		Daily: notify.Daily{Enabled: n.AuditReports, Hour: hour, Minute: minute, Location: loc}},
		st, techs, a.links(), channels, a.Logger, obs)
}

// auditReports queues the audit report of every account and technology
// with issues (monkey audit-changes --report) and delivers it now.
func (a *App) auditReports(ctx context.Context, accounts []monkey.Account, techs []string) (notifyOutcome, error) {
	var out notifyOutcome
	svc, err := a.Notifier(ctx, a.store, nil)
	if err != nil {
		return out, err
	}
	names := map[string]string{}
	for _, t := range a.Technologies() {
		names[t.Index] = t.Singular
	}
	at := time.Now().UTC().Format(time.RFC3339Nano)
	var errs []string
	for _, acct := range accounts {
		for _, t := range techs {
			rep, err := svc.AuditReport(ctx, acct, []string{t}, notify.AuditorSubject(names[t]))
			if err == nil {
				var n int
				n, err = svc.ReportAudit(ctx, fmt.Sprintf("%s/changes/%s/%s/%s", notify.KindAudit, acct.Name, t, at), rep)
				out.Queued += n
			}
			if err != nil {
				errs = append(errs, err.Error())
			}
		}
	}
	d, err := svc.Deliver(ctx)
	out.Sent, out.Retried, out.Failed = d.Sent, d.Retried, d.Failed
	if err != nil {
		errs = append(errs, err.Error())
	}
	if len(errs) > 0 {
		return out, fmt.Errorf("audit reports: %s", strings.Join(errs, "; "))
	}
	return out, nil
}

// writeChangeReport renders the change report of ch: its HTML to path, or
// its text to stdout when path is "-" (monkey demo --change-report).
func (a *App) writeChangeReport(ctx context.Context, st *store.Store, ch *pipeline.Changes, path string) error {
	techs := map[string]monkey.Technology{}
	for _, t := range a.Technologies() {
		techs[t.Index] = t
	}
	rep, err := notify.BuildChangeReport(ctx, st, techs, a.links(), ch, a.Config.Notify.ReportMaxItems)
	if err != nil {
		return err
	}
	r, err := notify.NewRenderer(a.links())
	if err != nil {
		return err
	}
	m, err := r.Change(rep)
	if err != nil {
		return err
	}
	if path == "-" {
		fmt.Fprintf(a.Stdout, "\nSubject: %s\n\n%s", m.Subject, m.Text)
		return nil
	}
	if err := os.WriteFile(path, []byte(m.HTML), 0o644); err != nil {
		return fmt.Errorf("change report: %w", err)
	}
	fmt.Fprintf(a.Stderr, "change report of %s written to %s (%q)\n", ch.Account.Name, path, m.Subject)
	return nil
}

// notificationStatus reads the outbox counts and the latest failures.
func notificationStatus(ctx context.Context, db *store.Store) (*status.Notifications, error) {
	counts, err := db.NotificationCounts(ctx)
	if err != nil {
		return nil, err
	}
	failed, err := db.ListNotifications(ctx, store.NotificationQuery{Status: store.NotificationFailed, Limit: 5})
	if err != nil {
		return nil, err
	}
	n := &status.Notifications{Pending: counts[store.NotificationPending], Sent: counts[store.NotificationSent],
		Failed: counts[store.NotificationFailed], Recent: []status.Notification{}}
	for _, f := range failed {
		n.Recent = append(n.Recent, status.Notification{Kind: f.Kind, Channel: f.Channel, Recipient: f.Recipient,
			Subject: f.Subject, Attempts: f.Attempts, Error: f.LastError, Created: f.Created})
	}
	return n, nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// notifyOutcome is what --notify did.
type notifyOutcome struct {
	Queued  int `json:"queued"`
	Sent    int `json:"sent"`
	Retried int `json:"retried"`
	Failed  int `json:"failed"`
}

func (o notifyOutcome) String() string {
	return fmt.Sprintf("notifications: %d queued, %d sent, %d to retry, %d failed", o.Queued, o.Sent, o.Retried, o.Failed)
}

// reportAndDeliver queues the change reports of a scan and delivers the
// due notifications now.
func (a *App) reportAndDeliver(ctx context.Context, svc *notify.Service, scanID string, sum summary) (notifyOutcome, error) {
	var out notifyOutcome
	var errs []string
	for _, ch := range sum.Changes {
		n, err := svc.ReportChanges(ctx, scanID, ch)
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		out.Queued += n
	}
	d, err := svc.Deliver(ctx)
	out.Sent, out.Retried, out.Failed = d.Sent, d.Retried, d.Failed
	if err != nil {
		errs = append(errs, err.Error())
	}
	if len(errs) > 0 {
		return out, fmt.Errorf("notifications: %s", strings.Join(errs, "; "))
	}
	return out, nil
}
