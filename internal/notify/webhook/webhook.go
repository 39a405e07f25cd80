// Package webhook posts notify messages as JSON to an HTTP endpoint,
// signed with HMAC-SHA256 so the receiver can check that the message comes
// from Security Monkey and is fresh (docs/notifications.md shows how).
package webhook

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/secmonkey/monkey/internal/notify"
)

// Headers of a webhook request.
const (
	// HeaderTimestamp is the Unix time (seconds) the request was signed.
	HeaderTimestamp = "X-Monkey-Timestamp"
	// HeaderSignature is "sha256=" + hex(HMAC-SHA256(secret, timestamp + "." + body)).
	HeaderSignature = "X-Monkey-Signature"
	// HeaderDelivery is the notification's idempotency key: the same value
	// twice is the same notification delivered twice.
	HeaderDelivery = "X-Monkey-Delivery"
)

// Config configures the webhook (MONKEY_WEBHOOK_URL, MONKEY_WEBHOOK_SECRET).
type Config struct {
	URL    string // secret: it may carry a token
	Secret string
	// Client is the HTTP client (default: 15 s timeout).
	Client *http.Client
	// Now is the clock of the timestamp (default time.Now).
	Now func() time.Time
}

// Notifier posts signed JSON.
type Notifier struct {
	cfg Config
}

// New returns a Notifier.
func New(cfg Config) (*Notifier, error) {
	if cfg.URL == "" {
		return nil, errors.New("webhook: MONKEY_WEBHOOK_URL required")
	}
	if cfg.Secret == "" {
		return nil, errors.New("webhook: MONKEY_WEBHOOK_SECRET required (requests are signed)")
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{Timeout: 15 * time.Second}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Notifier{cfg: cfg}, nil
}

// Event is the JSON body of a webhook request.
type Event struct {
	ID      string         `json:"id"`
	Kind    string         `json:"kind"` // change, audit, test
	Subject string         `json:"subject"`
	Summary notify.Summary `json:"summary"`
	Text    string         `json:"text"`
}

// Sign returns the signature header value of body signed at timestamp.
func Sign(secret, timestamp string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(timestamp))
	mac.Write([]byte("."))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// Verify checks a request's signature and that its timestamp is within
// tolerance of now: what a receiver does before trusting a body.
func Verify(secret, timestamp, signature string, body []byte, now time.Time, tolerance time.Duration) error {
	sec, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return errors.New("webhook: bad timestamp")
	}
	if d := now.Sub(time.Unix(sec, 0)); d > tolerance || d < -tolerance {
		return errors.New("webhook: timestamp outside the tolerance (replay?)")
	}
	if !hmac.Equal([]byte(Sign(secret, timestamp, body)), []byte(strings.TrimSpace(signature))) {
		return errors.New("webhook: bad signature")
	}
	return nil
}

// Notify posts m (to is unused).
func (n *Notifier) Notify(ctx context.Context, _ string, m notify.Message) (bool, error) {
	body, err := json.Marshal(Event{ID: m.ID, Kind: m.Kind, Subject: m.Subject, Summary: m.Summary, Text: m.Text})
	if err != nil {
		return false, fmt.Errorf("webhook: encode: %w", err)
	}
	ts := strconv.FormatInt(n.cfg.Now().Unix(), 10)
	h := http.Header{
		"Content-Type":  {"application/json"},
		"User-Agent":    {"SecurityMonkey-Webhook/1"},
		HeaderTimestamp: {ts},
		HeaderSignature: {Sign(n.cfg.Secret, ts, body)},
		HeaderDelivery:  {m.ID},
	}
	retry, err := notify.Post(ctx, n.cfg.Client, n.cfg.URL, h, body)
	if err != nil {
		return retry, fmt.Errorf("webhook: %w", err)
	}
	return false, nil
}
