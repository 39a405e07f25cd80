// Package slack posts notify messages to a Slack incoming webhook as a
// Block Kit message: the subject, the account, the counts, the top issues
// and a link to Security Monkey.
package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/secmonkey/monkey/internal/notify"
)

// Config configures the Slack channel (SLACK_HOOK, SLACK_CHANNEL,
// SLACK_USERNAME, SLACK_ICON).
type Config struct {
	HookURL  string // secret
	Channel  string // "" = the hook's default channel
	Username string
	Icon     string // ":emoji:" or an image URL
	// Client is the HTTP client (default: 15 s timeout).
	Client *http.Client
}

// Notifier posts to Slack.
type Notifier struct {
	cfg Config
}

// New returns a Notifier.
func New(cfg Config) (*Notifier, error) {
	if cfg.HookURL == "" {
		return nil, errors.New("slack: SLACK_HOOK required")
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{Timeout: 15 * time.Second}
	}
	return &Notifier{cfg: cfg}, nil
}

// Payload is the JSON posted to the hook.
type Payload struct {
	Channel   string  `json:"channel,omitempty"`
	Username  string  `json:"username,omitempty"`
	IconEmoji string  `json:"icon_emoji,omitempty"`
	IconURL   string  `json:"icon_url,omitempty"`
	Text      string  `json:"text"`
	Blocks    []Block `json:"blocks"`
}

// Block is one Block Kit block.
type Block struct {
	Type     string    `json:"type"`
	Text     *Text     `json:"text,omitempty"`
	Fields   []Text    `json:"fields,omitempty"`
	Elements []Element `json:"elements,omitempty"`
}

// Text is a Block Kit text object.
type Text struct {
	Type string `json:"type"` // plain_text, mrkdwn
	Text string `json:"text"`
}

// Element is a Block Kit element (a link button or context text).
type Element struct {
	Type string `json:"type"`
	Text *Text  `json:"text,omitempty"`
	URL  string `json:"url,omitempty"`
}

// escape makes text safe for mrkdwn.
func escape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// Build returns the Slack payload of m.
func (n *Notifier) Build(m notify.Message) Payload {
	s := m.Summary
	p := Payload{Channel: n.cfg.Channel, Username: n.cfg.Username, Text: m.Subject}
	if strings.HasPrefix(n.cfg.Icon, ":") {
		p.IconEmoji = n.cfg.Icon
	} else {
		p.IconURL = n.cfg.Icon
	}
	p.Blocks = append(p.Blocks, Block{Type: "header", Text: &Text{Type: "plain_text", Text: truncate(m.Subject, 150)}})
	account := "*Account*\n" + escape(s.Account)
	if s.Identifier != "" {
		account += " (" + escape(s.Identifier) + ")"
	}
	fields := []Text{{Type: "mrkdwn", Text: account}}
	switch m.Kind {
	case notify.KindAudit:
		fields = append(fields, Text{Type: "mrkdwn", Text: fmt.Sprintf("*Open issues*\n%d", s.OpenIssues)})
	default:
		fields = append(fields,
			Text{Type: "mrkdwn", Text: fmt.Sprintf("*Changes*\n%d new, %d changed, %d deleted", s.New, s.Changed, s.Deleted)},
			Text{Type: "mrkdwn", Text: fmt.Sprintf("*Issues*\n%d new, %d fixed, %d open on changed items", s.NewIssues, s.FixedIssues, s.OpenIssues)})
	}
	if len(s.Technologies) > 0 {
		fields = append(fields, Text{Type: "mrkdwn", Text: "*Technologies*\n" + escape(strings.Join(s.Technologies, ", "))})
	}
	p.Blocks = append(p.Blocks, Block{Type: "section", Fields: fields})
	if len(s.TopIssues) > 0 {
		var b strings.Builder
		b.WriteString("*Top issues*")
		for _, is := range s.TopIssues {
			item := escape(is.Item)
			if is.URL != "" {
				item = "<" + is.URL + "|" + item + ">"
			}
			fmt.Fprintf(&b, "\n• [%d] %s — %s %s", is.Score, escape(is.Issue), escape(is.Technology), item)
			if is.Region != "" {
				fmt.Fprintf(&b, " (%s)", escape(is.Region))
			}
		}
		p.Blocks = append(p.Blocks, Block{Type: "section", Text: &Text{Type: "mrkdwn", Text: truncate(b.String(), 3000)}})
	}
	if s.URL != "" {
		p.Blocks = append(p.Blocks, Block{Type: "actions", Elements: []Element{{Type: "button",
			Text: &Text{Type: "plain_text", Text: "Open in Security Monkey"}, URL: s.URL}}})
	}
	return p
}

// Notify posts m to the hook (to is unused: the hook has one channel).
func (n *Notifier) Notify(ctx context.Context, _ string, m notify.Message) (bool, error) {
	body, err := json.Marshal(n.Build(m))
	if err != nil {
		return false, fmt.Errorf("slack: encode: %w", err)
	}
	retry, err := notify.Post(ctx, n.cfg.Client, n.cfg.HookURL, http.Header{"Content-Type": {"application/json"}}, body)
	if err != nil {
		return retry, fmt.Errorf("slack: %w", err)
	}
	return false, nil
}
