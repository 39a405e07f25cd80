// Package notify tells people about changes and issues: it builds change
// reports from scan results and audit reports from the stored issues,
// renders them once (HTML with a plain-text alternative, plus a structured
// summary), puts one notification per channel and recipient in the
// database outbox under an idempotency key, and delivers the outbox through
// the channels (e-mail over SMTP or SES, Slack, a signed JSON webhook) with
// retries and backoff. Each channel is a sub-package exporting Notifier and
// New; Jira sync lives in notify/jira.
package notify

import (
	"context"
	"errors"
	"time"
)

// Channels.
const (
	ChannelEmail   = "email"
	ChannelSlack   = "slack"
	ChannelWebhook = "webhook"
)

// Kinds of messages.
const (
	KindChange = "change"
	KindAudit  = "audit"
	KindTest   = "test"
)

// Message is one rendered report: what every channel delivers (e-mail the
// subject, HTML and text; Slack and the webhook the summary).
type Message struct {
	// ID is the notification's idempotency key, set at delivery: a
	// receiver that sees an ID twice got the same notification twice.
	ID      string  `json:"id,omitempty"`
	Kind    string  `json:"kind"`
	Account string  `json:"account"`
	Subject string  `json:"subject"`
	Text    string  `json:"text"`
	HTML    string  `json:"html"`
	Summary Summary `json:"summary"`
}

// Summary is the structured digest of a report, for chat and webhooks.
type Summary struct {
	Kind         string      `json:"kind"`
	Account      string      `json:"account"`
	Identifier   string      `json:"account_identifier,omitempty"`
	Technologies []string    `json:"technologies"`
	New          int         `json:"new"`
	Changed      int         `json:"changed"`
	Deleted      int         `json:"deleted"`
	NewIssues    int         `json:"new_issues"`
	FixedIssues  int         `json:"fixed_issues"`
	OpenIssues   int         `json:"open_issues"`
	TopIssues    []TopIssue  `json:"top_issues"`
	URL          string      `json:"url,omitempty"`
	At           time.Time   `json:"at"`
	Items        []ItemBrief `json:"items,omitempty"`
}

// TopIssue is one issue of a summary.
type TopIssue struct {
	Score      int    `json:"score"`
	Issue      string `json:"issue"`
	Technology string `json:"technology"`
	Item       string `json:"item"`
	Region     string `json:"region,omitempty"`
	URL        string `json:"url,omitempty"`
}

// ItemBrief is one changed item of a summary.
type ItemBrief struct {
	Change     string `json:"change"` // new, changed, deleted
	Technology string `json:"technology"`
	Region     string `json:"region"`
	Name       string `json:"name"`
	URL        string `json:"url,omitempty"`
}

// Notifier delivers a message to one recipient of its channel ("" for
// channels with a single destination). retry reports whether a later
// attempt may succeed (a transport outage) rather than never (a rejected
// address, a bad configuration). Errors never carry secrets.
type Notifier interface {
	Notify(ctx context.Context, to string, m Message) (retry bool, err error)
}

// NotifierFunc adapts a function to Notifier.
type NotifierFunc func(ctx context.Context, to string, m Message) (bool, error)

// Notify implements Notifier.
func (f NotifierFunc) Notify(ctx context.Context, to string, m Message) (bool, error) {
	return f(ctx, to, m)
}

// ErrNoChannel is returned when a notification names a channel that is not
// configured.
var ErrNoChannel = errors.New("notification channel not configured")
