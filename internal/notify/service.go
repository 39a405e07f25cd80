package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/pipeline"
	"github.com/secmonkey/monkey/internal/store"
)

// Config configures a Service.
type Config struct {
	// Team receives every report (SECURITY_TEAM_EMAIL).
	Team []string
	// DisableEmails suppresses e-mail (DISABLE_EMAILS); other channels
	// still deliver.
	DisableEmails bool
	// MaxItems bounds the items a change report details (default 100).
	MaxItems int
	// IncludeJustified includes justified issues in audit reports
	// (EMAIL_AUDIT_REPORTS_INCLUDE_JUSTIFIED).
	IncludeJustified bool
	// MaxAttempts is how often a notification is tried (default 8).
	MaxAttempts int
	// Backoff is the delay after failed attempt n (1-based); default
	// 30s·2^(n-1), at most 1 hour.
	Backoff func(n int) time.Duration
	// Holder names this process in delivery claims (default "notify").
	Holder string
	// Lease is how long a claimed notification is reserved for its sender
	// (default 2 minutes): a sender that dies releases it this late.
	Lease time.Duration
	// PollEvery is the period of Run (default 15 s).
	PollEvery time.Duration
	// Daily schedules the daily audit report.
	Daily Daily
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Daily is when the daily audit report is sent: every day at Hour:Minute
// in Location (default UTC).
type Daily struct {
	Enabled      bool
	Hour, Minute int
	Location     *time.Location
}

// WithDefaults fills the zero fields.
func (c Config) WithDefaults() Config {
	if c.MaxItems < 1 {
		c.MaxItems = 100
	}
	if c.MaxAttempts < 1 {
		c.MaxAttempts = 8
	}
	if c.Backoff == nil {
		c.Backoff = DefaultBackoff
	}
	if c.Holder == "" {
		c.Holder = "notify"
	}
	if c.Lease <= 0 {
		c.Lease = 2 * time.Minute
	}
	if c.PollEvery <= 0 {
		c.PollEvery = 15 * time.Second
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Daily.Location == nil {
		c.Daily.Location = time.UTC
	}
	return c
}

// DefaultBackoff is 30s·2^(n-1), at most 1 hour.
func DefaultBackoff(n int) time.Duration {
	if n < 1 {
		n = 1
	}
	if n > 8 {
		return time.Hour
	}
	return min(30*time.Second<<(n-1), time.Hour)
}

// Store is what the notification service needs from the database.
type Store interface {
	ReportStore
	AuditStore
	EnqueueNotifications(ctx context.Context, ns []store.Notification) (int, error)
	ClaimNotifications(ctx context.Context, holder string, dueBy time.Time, lease time.Duration, limit int) ([]store.Notification, error)
	NotificationSent(ctx context.Context, id int64, claim string) error
	NotificationFailed(ctx context.Context, id int64, claim, errText string, next time.Time) error
	LogException(ctx context.Context, e monkey.Exception) error
}

// Observer is told the outcome of every delivery attempt (metrics).
type Observer interface {
	NotificationDone(channel, outcome string)
}

// Service builds reports, stores them in the outbox and delivers the
// outbox. It is safe for concurrent use.
type Service struct {
	cfg      Config
	st       Store
	techs    map[string]monkey.Technology
	links    Links
	render   *Renderer
	channels map[string]Notifier
	log      *slog.Logger
	obs      Observer
	wake     chan struct{}
	mu       sync.Mutex // one delivery pass at a time in this process

	dailyMu   sync.Mutex
	dailyDone string // the day whose daily reports were queued
}

// New returns a Service delivering through channels (by channel name;
// a channel absent from the map is not used). obs may be nil.
func New(cfg Config, st Store, techs map[string]monkey.Technology, links Links, channels map[string]Notifier,
	logger *slog.Logger, obs Observer) (*Service, error) {
	if st == nil {
		return nil, errors.New("notify: no store")
	}
	r, err := NewRenderer(links)
	if err != nil {
		return nil, err
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Service{cfg: cfg.WithDefaults(), st: st, techs: techs, links: links, render: r, channels: channels,
		log: logger.With("component", "notify"), obs: obs, wake: make(chan struct{}, 1)}, nil
}

// Renderer returns the service's renderer.
func (s *Service) Renderer() *Renderer { return s.render }

// Channels returns the configured channel names, sorted.
func (s *Service) Channels() []string {
	out := make([]string, 0, len(s.channels))
	for c := range s.channels {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

// ReportChanges builds the change report of one scan of one account,
// renders it and stores one notification per channel and recipient in the
// outbox, under keys made of the account, scanID, the report's content,
// the channel and the recipient: reporting the same scan result twice
// stores nothing the second time. It returns the number of notifications
// stored. A scan that changed nothing reports nothing.
func (s *Service) ReportChanges(ctx context.Context, scanID string, ch *pipeline.Changes) (int, error) {
	if ch == nil || ch.Total() == 0 {
		return 0, nil
	}
	rep, err := BuildChangeReport(ctx, s.st, s.techs, s.links, ch, s.cfg.MaxItems)
	if err != nil {
		return 0, err
	}
	msg, err := s.render.Change(rep)
	if err != nil {
		return 0, err
	}
	followers, err := s.st.AccountFollowers(ctx, ch.Account.ID)
	if err != nil {
		return 0, fmt.Errorf("change report %s: %w", ch.Account.Name, err)
	}
	to := ChangeRecipients(followers, s.cfg.Team, rep.HasIssues)
	key := fmt.Sprintf("%s/%s/%s@%s", KindChange, ch.Account.Name, scanID, rep.Fingerprint())
	return s.enqueue(ctx, key, msg, to)
}

// enqueue stores msg for every channel: e-mail to each of to, the other
// channels once.
func (s *Service) enqueue(ctx context.Context, key string, msg Message, to []string) (int, error) {
	payload, err := json.Marshal(msg)
	if err != nil {
		return 0, fmt.Errorf("encode notification %s: %w", key, err)
	}
	var ns []store.Notification
	add := func(channel, recipient string) {
		ns = append(ns, store.Notification{Key: key + "/" + channel + "/" + strings.ToLower(recipient), Kind: msg.Kind,
			Channel: channel, Recipient: recipient, Account: msg.Account, Subject: msg.Subject, Payload: payload,
			NextTry: s.cfg.Now().UTC()})
	}
	for _, c := range s.Channels() {
		if c != ChannelEmail {
			add(c, "")
			continue
		}
		if s.cfg.DisableEmails {
			continue
		}
		for _, a := range to {
			add(c, a)
		}
	}
	if len(ns) == 0 {
		return 0, nil
	}
	n, err := s.st.EnqueueNotifications(ctx, ns)
	if err != nil {
		return 0, err
	}
	if n > 0 {
		s.log.Info("notifications queued", "kind", msg.Kind, "account", msg.Account, "subject", msg.Subject, "notifications", n)
		s.Wake()
	}
	return n, nil
}

// Wake makes Run deliver now.
func (s *Service) Wake() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Delivery counts the outcome of a delivery pass.
type Delivery struct {
	Sent    int // delivered
	Retried int // failed, to be tried again
	Failed  int // failed for good
}

// Deliver sends the notifications that are due now, until none is left,
// and reports what happened (a notification that fails is tried again in a
// later pass, after its backoff). Transport failures are recorded on the
// notification (and in the exception log) and retried later with backoff;
// they are not errors of Deliver.
func (s *Service) Deliver(ctx context.Context) (Delivery, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var d Delivery
	dueBy := s.cfg.Now().UTC()
	for {
		ns, err := s.st.ClaimNotifications(ctx, s.cfg.Holder, dueBy, s.cfg.Lease, 20)
		if err != nil {
			return d, err
		}
		if len(ns) == 0 {
			return d, nil
		}
		for _, n := range ns {
			if err := ctx.Err(); err != nil {
				return d, err
			}
			s.deliverOne(ctx, n, &d)
		}
	}
}

func (s *Service) deliverOne(ctx context.Context, n store.Notification, d *Delivery) {
	log := s.log.With("notification", n.ID, "channel", n.Channel, "recipient", n.Recipient, "account", n.Account)
	var msg Message
	retry, err := false, json.Unmarshal(n.Payload, &msg)
	if err == nil {
		ch := s.channels[n.Channel]
		if ch == nil {
			err = fmt.Errorf("%s: %w", n.Channel, ErrNoChannel)
		} else {
			msg.ID = n.Key
			retry, err = ch.Notify(ctx, n.Recipient, msg)
		}
	}
	// Record the outcome even when ctx ends now: the message left.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err == nil {
		if rerr := s.st.NotificationSent(rctx, n.ID, n.Claim); rerr != nil {
			log.Warn("record notification sent failed", "error", rerr)
		}
		d.Sent++
		s.observe(n.Channel, "sent")
		log.Info("notification sent", "subject", n.Subject)
		return
	}
	attempt := n.Attempts + 1
	var next time.Time
	outcome, typ := "failed", "NotificationFailed"
	if retry && attempt < s.cfg.MaxAttempts {
		next = s.cfg.Now().UTC().Add(s.cfg.Backoff(attempt))
		outcome, typ = "retry", "NotificationRetry"
		d.Retried++
	} else {
		d.Failed++
	}
	msgText := fmt.Sprintf("attempt %d of %d: %v", attempt, s.cfg.MaxAttempts, err)
	if rerr := s.st.NotificationFailed(rctx, n.ID, n.Claim, msgText, next); rerr != nil {
		log.Warn("record notification failure failed", "error", rerr)
	}
	s.observe(n.Channel, outcome)
	log.Warn("notification not delivered", "attempt", attempt, "retry_at", next, "error", err)
	now := s.cfg.Now().UTC()
	if rerr := s.st.LogException(rctx, monkey.Exception{Source: "notifier", Occurred: now, Type: typ,
		Message: fmt.Sprintf("%s to %s (%s): %s", n.Channel, orAll(n.Recipient), n.Subject, msgText),
		Account: n.Account}); rerr != nil {
		log.Warn("log exception failed", "error", rerr)
	}
}

func orAll(r string) string {
	if r == "" {
		return "its destination"
	}
	return r
}

func (s *Service) observe(channel, outcome string) {
	if s.obs != nil {
		s.obs.NotificationDone(channel, outcome)
	}
}

// Run delivers due notifications every PollEvery and whenever woken,
// until ctx is done.
func (s *Service) Run(ctx context.Context) error {
	t := time.NewTicker(s.cfg.PollEvery)
	defer t.Stop()
	for {
		if _, err := s.Deliver(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("notification delivery pass failed", "error", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		case <-s.wake:
		}
	}
}
