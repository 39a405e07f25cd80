package config

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Notify configures change reports, audit reports and their transports
// (spec/config.md §9, §12; docs/notifications.md). Its settings live in
// this file. Every secret may also come from a file named by the variable
// with a _FILE suffix (MAIL_PASSWORD_FILE…).
type Notify struct {
	// SecurityTeamEmail receives every change report and audit report.
	SecurityTeamEmail []string `json:"security_team_email"`
	DefaultSender     string   `json:"mail_default_sender"`
	DisableEmails     bool     `json:"disable_emails"`
	// UseSMTP sends e-mail through MAIL_SERVER; otherwise through Amazon
	// SES in SESRegion.
	UseSMTP      bool   `json:"emails_use_smtp"`
	SESRegion    string `json:"ses_region"`
	MailServer   string `json:"mail_server"`
	MailPort     int    `json:"mail_port"`
	MailUseSSL   bool   `json:"mail_use_ssl"` // implicit TLS (wins over MailUseTLS)
	MailUseTLS   bool   `json:"mail_use_tls"` // STARTTLS required
	MailUsername string `json:"mail_username"`
	MailPassword Secret `json:"mail_password"`

	// AuditIncludeJustified includes justified issues in audit reports.
	AuditIncludeJustified bool `json:"email_audit_reports_include_justified"`
	// AuditReports turns the daily audit report on (for users with
	// daily_audit_email and SECURITY_TEAM_EMAIL).
	AuditReports bool `json:"audit_reports"`
	// AuditReportTime is the time of day (HH:MM) of the daily audit report
	// in AuditReportTimeZone.
	AuditReportTime     string `json:"audit_report_time"`
	AuditReportTimeZone string `json:"audit_report_time_zone"`

	// ReportMaxItems bounds the items a change report details; the others
	// are counted and linked.
	ReportMaxItems int `json:"report_max_items"`
	// MaxAttempts is how often a notification is tried before it fails for
	// good.
	MaxAttempts int `json:"notify_max_attempts"`

	SlackHook     Secret `json:"slack_hook"`
	SlackChannel  string `json:"slack_channel"`
	SlackUsername string `json:"slack_username"`
	SlackIcon     string `json:"slack_icon"`

	WebhookURL    Secret `json:"webhook_url"`
	WebhookSecret Secret `json:"webhook_secret"`

	// JiraSync is the path of the Jira YAML file (SECURITY_MONKEY_JIRA_SYNC).
	JiraSync      string `json:"jira_sync"`
	JiraSSLVerify bool   `json:"jira_ssl_verify"`
	JiraOpen      string `json:"jira_open"`
	JiraClosed    string `json:"jira_closed"`
}

func defaultNotify() Notify {
	return Notify{
		DefaultSender:         "securitymonkey@example.com",
		SESRegion:             "us-east-1",
		MailServer:            "smtp.example.com",
		MailPort:              465,
		MailUseSSL:            true,
		AuditIncludeJustified: true,
		AuditReports:          true,
		AuditReportTime:       "08:00",
		AuditReportTimeZone:   "UTC",
		ReportMaxItems:        100,
		MaxAttempts:           8,
		SlackUsername:         "SecurityMonkey",
		SlackIcon:             ":monkey:",
		JiraSSLVerify:         true,
		JiraOpen:              "Open",
		JiraClosed:            "Closed",
	}
}

type notifySetting struct {
	key     string
	aliases []string // Security Monkey names (settings file)
	env     []string
	secret  bool // may come from <ENV>_FILE
	set     func(v any) error
}

func (n *Notify) settings() []notifySetting {
	s := func(dst *string) func(any) error {
		return func(v any) error { *dst = strings.TrimSpace(stringOf(v)); return nil }
	}
	sec := func(dst *Secret) func(any) error {
		return func(v any) error { *dst = Secret(strings.TrimSpace(stringOf(v))); return nil }
	}
	b := func(dst *bool) func(any) error { return func(v any) error { return setBool(dst, stringOf(v)) } }
	i := func(dst *int) func(any) error { return func(v any) error { return setInt(dst, stringOf(v)) } }
	return []notifySetting{
		{"security_team_email", []string{"SECURITY_TEAM_EMAIL"}, []string{"MONKEY_SECURITY_TEAM_EMAIL", "SECURITY_MONKEY_SECURITY_TEAM_EMAIL", "SECURITY_TEAM_EMAIL"}, false,
			func(v any) error { n.SecurityTeamEmail = listOf(v); return nil }},
		{"mail_default_sender", []string{"MAIL_DEFAULT_SENDER"}, []string{"MONKEY_MAIL_DEFAULT_SENDER", "SECURITY_MONKEY_EMAIL_DEFAULT_SENDER", "MAIL_DEFAULT_SENDER"}, false, s(&n.DefaultSender)},
		{"disable_emails", []string{"DISABLE_EMAILS"}, []string{"MONKEY_DISABLE_EMAILS", "DISABLE_EMAILS"}, false, b(&n.DisableEmails)},
		{"emails_use_smtp", []string{"EMAILS_USE_SMTP"}, []string{"MONKEY_EMAILS_USE_SMTP", "SECURITY_MONKEY_SMTP", "EMAILS_USE_SMTP"}, false, b(&n.UseSMTP)},
		{"ses_region", []string{"SES_REGION"}, []string{"MONKEY_SES_REGION", "SECURITY_MONKEY_SES_REGION", "SES_REGION"}, false, s(&n.SESRegion)},
		{"mail_server", []string{"MAIL_SERVER"}, []string{"MONKEY_MAIL_SERVER", "SECURITY_MONKEY_EMAIL_SERVER", "MAIL_SERVER"}, false, s(&n.MailServer)},
		{"mail_port", []string{"MAIL_PORT"}, []string{"MONKEY_MAIL_PORT", "MAIL_PORT"}, false, i(&n.MailPort)},
		{"mail_use_ssl", []string{"MAIL_USE_SSL"}, []string{"MONKEY_MAIL_USE_SSL", "MAIL_USE_SSL"}, false, b(&n.MailUseSSL)},
		{"mail_use_tls", []string{"MAIL_USE_TLS"}, []string{"MONKEY_MAIL_USE_TLS", "MAIL_USE_TLS"}, false, b(&n.MailUseTLS)},
		{"mail_username", []string{"MAIL_USERNAME"}, []string{"MONKEY_MAIL_USERNAME", "SECURITY_MONKEY_EMAIL_USERNAME", "MAIL_USERNAME"}, false, s(&n.MailUsername)},
		{"mail_password", []string{"MAIL_PASSWORD"}, []string{"MONKEY_MAIL_PASSWORD", "SECURITY_MONKEY_EMAIL_PASSWORD", "MAIL_PASSWORD"}, true, sec(&n.MailPassword)},
		{"email_audit_reports_include_justified", []string{"EMAIL_AUDIT_REPORTS_INCLUDE_JUSTIFIED"},
			[]string{"MONKEY_EMAIL_AUDIT_REPORTS_INCLUDE_JUSTIFIED", "SECURITY_MONKEY_EMAIL_AUDIT_REPORTS_INCLUDE_JUSTIFIED", "EMAIL_AUDIT_REPORTS_INCLUDE_JUSTIFIED"}, false,
			b(&n.AuditIncludeJustified)},
		{"audit_reports", nil, []string{"MONKEY_AUDIT_REPORTS"}, false, b(&n.AuditReports)},
		{"audit_report_time", nil, []string{"MONKEY_AUDIT_REPORT_TIME"}, false, s(&n.AuditReportTime)},
		{"audit_report_time_zone", nil, []string{"MONKEY_AUDIT_REPORT_TIME_ZONE"}, false, s(&n.AuditReportTimeZone)},
		{"report_max_items", nil, []string{"MONKEY_REPORT_MAX_ITEMS"}, false, i(&n.ReportMaxItems)},
		{"notify_max_attempts", nil, []string{"MONKEY_NOTIFY_MAX_ATTEMPTS"}, false, i(&n.MaxAttempts)},
		{"slack_hook", []string{"SLACK_HOOK"}, []string{"MONKEY_SLACK_HOOK", "SLACK_HOOK"}, true, sec(&n.SlackHook)},
		{"slack_channel", []string{"SLACK_CHANNEL"}, []string{"MONKEY_SLACK_CHANNEL", "SLACK_CHANNEL"}, false, s(&n.SlackChannel)},
		{"slack_username", []string{"SLACK_USERNAME"}, []string{"MONKEY_SLACK_USERNAME", "SLACK_USERNAME"}, false, s(&n.SlackUsername)},
		{"slack_icon", []string{"SLACK_ICON"}, []string{"MONKEY_SLACK_ICON", "SLACK_ICON"}, false, s(&n.SlackIcon)},
		{"webhook_url", nil, []string{"MONKEY_WEBHOOK_URL"}, true, sec(&n.WebhookURL)},
		{"webhook_secret", nil, []string{"MONKEY_WEBHOOK_SECRET"}, true, sec(&n.WebhookSecret)},
		{"jira_sync", nil, []string{"MONKEY_JIRA_SYNC", "SECURITY_MONKEY_JIRA_SYNC"}, false, s(&n.JiraSync)},
		{"jira_ssl_verify", []string{"JIRA_SSL_VERIFY"}, []string{"MONKEY_JIRA_SSL_VERIFY", "JIRA_SSL_VERIFY"}, false, b(&n.JiraSSLVerify)},
		{"jira_open", []string{"JIRA_OPEN"}, []string{"MONKEY_JIRA_OPEN", "JIRA_OPEN"}, false, s(&n.JiraOpen)},
		{"jira_closed", []string{"JIRA_CLOSED"}, []string{"MONKEY_JIRA_CLOSED", "JIRA_CLOSED"}, false, s(&n.JiraClosed)},
	}
}

// set applies a settings-file value; ok is false when key is not a Notify
// setting.
func (n *Notify) set(key string, v any) (ok bool, err error) {
	for _, s := range n.settings() {
		if s.key == key || slices.Contains(s.aliases, key) {
			if err := s.set(v); err != nil {
				return true, fmt.Errorf("%s: %w", s.key, err)
			}
			return true, nil
		}
	}
	return false, nil
}

// fromEnv applies the environment (first variable set wins per setting);
// a secret's <VAR>_FILE names a file holding it (trailing newline trimmed).
func (n *Notify) fromEnv(getenv func(string) string, readFile func(string) ([]byte, error)) error {
	var errs []error
	for _, s := range n.settings() {
		for _, name := range s.env {
			v := getenv(name)
			if v == "" && s.secret {
				if path := getenv(name + "_FILE"); path != "" {
					b, err := readFile(path)
					if err != nil {
						errs = append(errs, fmt.Errorf("%s (%s_FILE): %w", s.key, name, err))
						break
					}
					v = strings.TrimRight(string(b), "\r\n")
				}
			}
			if v != "" {
				if err := s.set(v); err != nil {
					errs = append(errs, fmt.Errorf("%s (%s): %w", s.key, name, err))
				}
				break
			}
		}
	}
	return errors.Join(errs...)
}

// AuditLocation returns the time zone of the daily audit report.
func (n Notify) AuditLocation() (*time.Location, error) {
	loc, err := time.LoadLocation(n.AuditReportTimeZone)
	if err != nil {
		return nil, fmt.Errorf("audit_report_time_zone (MONKEY_AUDIT_REPORT_TIME_ZONE): %w", err)
	}
	return loc, nil
}

// AuditClock returns the hour and minute of the daily audit report.
func (n Notify) AuditClock() (hour, minute int, err error) {
	t, err := time.Parse("15:04", n.AuditReportTime)
	if err != nil {
		return 0, 0, fmt.Errorf("audit_report_time (MONKEY_AUDIT_REPORT_TIME): %q is not HH:MM", n.AuditReportTime)
	}
	return t.Hour(), t.Minute(), nil
}

func (n Notify) validate() error {
	var errs []error
	if _, err := n.AuditLocation(); err != nil {
		errs = append(errs, err)
	}
	if _, _, err := n.AuditClock(); err != nil {
		errs = append(errs, err)
	}
	if n.MailPort < 1 || n.MailPort > 65535 {
		errs = append(errs, fmt.Errorf("mail_port (MAIL_PORT): %d is not a port", n.MailPort))
	}
	if n.ReportMaxItems < 1 {
		errs = append(errs, errors.New("report_max_items (MONKEY_REPORT_MAX_ITEMS) must be at least 1"))
	}
	if n.MaxAttempts < 1 {
		errs = append(errs, errors.New("notify_max_attempts (MONKEY_NOTIFY_MAX_ATTEMPTS) must be at least 1"))
	}
	return errors.Join(errs...)
}
