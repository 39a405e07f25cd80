// Package scheduler decides which (account, technology) scans are due and
// puts them on the broker. Any number of schedulers may run: one leads
// through a lease in the database, the others stand by; every task has a
// deterministic id per (account, technology, time slot), so even two
// overlapping leaders cannot enqueue a scan twice.
package scheduler

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/secmonkey/monkey/internal/broker"
	"github.com/secmonkey/monkey/internal/metrics"
	"github.com/secmonkey/monkey/internal/monkey"
)

// LeaseName is the database lease the leader holds.
const LeaseName = "scheduler"

// DefaultInterval is the scan interval of a technology without watcher
// config, in minutes.
const DefaultInterval = 60

// Intervals are the intervals offered to users, in minutes.
var Intervals = []int{15, 60, 720, 1440, 10080}

// Store is what the scheduler needs from the database.
type Store interface {
	ListAccounts(ctx context.Context) ([]monkey.Account, error)
	ListWatcherConfigs(ctx context.Context) ([]monkey.WatcherConfig, error)
	AcquireLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error)
	ReleaseLease(ctx context.Context, name, holder string) error
	Heartbeat(ctx context.Context, p monkey.Process) error
	RemoveProcess(ctx context.Context, id string) error
	PurgeExpiredExceptions(ctx context.Context, now time.Time) (int, error)
}

// Enqueuer is what the scheduler needs from the broker.
type Enqueuer interface {
	EnqueueUnique(ctx context.Context, t broker.Task, slot string, opts broker.EnqueueOptions) (bool, error)
	Purge(ctx context.Context) (int, error)
}

// Config configures a Scheduler.
type Config struct {
	// ID identifies this scheduler as lease holder (default host:pid:random).
	ID string
	// Technologies are the registered technologies.
	Technologies []monkey.Technology
	// Tick is the period of the loop (default LeaseTTL/3, at most 30 s).
	Tick time.Duration
	// LeaseTTL is the leader lease duration (default 30 s); a standby takes
	// over within LeaseTTL + Tick after the leader died.
	LeaseTTL time.Duration
	// AtFullHour aligns the slots to the clock (schedule_at_full_hour).
	AtFullHour bool
	// OnlyWatch / WatcherIgnore restrict the technologies this scheduler
	// schedules (security_monkey_only_watch / _watcher_ignore).
	OnlyWatch     []string
	WatcherIgnore []string
	// PurgeAtStart removes queued tasks when this scheduler first leads.
	PurgeAtStart bool
	// ExceptionPurgeEvery is the period of the exception-log TTL purge
	// (default 24 h; the first runs when the scheduler first leads).
	ExceptionPurgeEvery time.Duration
	// Now is the clock (default time.Now).
	Now func() time.Time
	// OnLead, when set, runs at the end of every tick this scheduler leads
	// (the daily audit report): work that must happen once across every
	// scheduler. Its error is logged.
	OnLead func(ctx context.Context, now time.Time) error
}

// WithDefaults fills the zero fields.
func (c Config) WithDefaults() Config {
	if c.ID == "" {
		c.ID = ProcessID()
	}
	if c.LeaseTTL <= 0 {
		c.LeaseTTL = 30 * time.Second
	}
	if c.Tick <= 0 {
		c.Tick = min(c.LeaseTTL/3, 30*time.Second)
	}
	if c.ExceptionPurgeEvery <= 0 {
		c.ExceptionPurgeEvery = 24 * time.Hour
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

func (c Config) validate() error {
	var errs []error
	if c.Tick > 30*time.Second {
		errs = append(errs, fmt.Errorf("scheduler tick %s: at most 30s", c.Tick))
	}
	if c.Tick >= c.LeaseTTL {
		errs = append(errs, fmt.Errorf("scheduler tick %s must be shorter than the lease %s", c.Tick, c.LeaseTTL))
	}
	if len(c.Technologies) == 0 {
		errs = append(errs, errors.New("scheduler: no technologies registered"))
	}
	return errors.Join(errs...)
}

// unknownTechnologies lists names of only_watch / watcher_ignore that are
// not registered (Security Monkey technologies not implemented here).
func (c Config) unknownTechnologies() []string {
	known := map[string]bool{}
	for _, t := range c.Technologies {
		known[t.Index] = true
	}
	var out []string
	for _, n := range append(slices.Clone(c.OnlyWatch), c.WatcherIgnore...) {
		if !known[n] {
			out = append(out, n)
		}
	}
	return out
}

// ProcessID returns host:pid:random, the id of a process row.
func ProcessID() string {
	host, _ := os.Hostname()
	var b [4]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("%s:%d:%s", host, os.Getpid(), hex.EncodeToString(b[:]))
}

// Scheduler is one scheduler process.
type Scheduler struct {
	cfg     Config
	store   Store
	q       Enqueuer
	log     *slog.Logger
	m       *metrics.Metrics
	started time.Time

	mu        sync.Mutex
	leading   bool
	everLed   bool
	lastPurge time.Time
	lastPairs int
	stopOnce  sync.Once
	// settled remembers, per pair, the slot this scheduler already enqueued
	// (or found enqueued) so that a steady tick costs no broker round trip.
	// It is cleared whenever leadership is (re)gained and every
	// resyncEvery, so that tasks lost by the broker (a Redis without
	// persistence that restarted) are enqueued again within minutes.
	settled   map[string]string
	settledAt time.Time
}

// resyncEvery bounds how long the scheduler trusts its memory of enqueued
// slots before asking the broker again.
const resyncEvery = 5 * time.Minute

// New returns a scheduler; call Run.
func New(cfg Config, st Store, q Enqueuer, logger *slog.Logger, m *metrics.Metrics) (*Scheduler, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if st == nil || q == nil {
		return nil, errors.New("scheduler: store and broker required")
	}
	s := &Scheduler{
		cfg: cfg, store: st, q: q, m: m,
		log:     logger.With("component", "scheduler", "scheduler_id", cfg.ID),
		started: cfg.Now().UTC(),
	}
	if unknown := cfg.unknownTechnologies(); len(unknown) > 0 {
		s.log.Warn("only_watch/watcher_ignore name technologies that are not implemented; ignored", "technologies", unknown)
	}
	return s, nil
}

// ID returns the holder id of this scheduler.
func (s *Scheduler) ID() string { return s.cfg.ID }

// Leading reports whether this scheduler held the lease at its last tick.
func (s *Scheduler) Leading() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.leading
}

// Run ticks until ctx is cancelled, then releases the lease and removes
// the heartbeat row.
func (s *Scheduler) Run(ctx context.Context) error {
	t := time.NewTicker(s.cfg.Tick)
	defer t.Stop()
	for {
		if _, err := s.Tick(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("scheduler tick failed", "error", err)
		}
		select {
		case <-ctx.Done():
			return s.Stop(context.WithoutCancel(ctx))
		case <-t.C:
		}
	}
}

// Stop releases the lease (when held) and removes the heartbeat row. Safe
// to call twice.
func (s *Scheduler) Stop(ctx context.Context) error {
	var err error
	s.stopOnce.Do(func() {
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		s.mu.Lock()
		leading := s.leading
		s.leading = false
		s.mu.Unlock()
		s.m.SetLeader(false)
		if leading {
			if e := s.store.ReleaseLease(ctx, LeaseName, s.cfg.ID); e != nil {
				err = errors.Join(err, e)
			} else {
				s.log.Info("scheduler lease released")
			}
		}
		if e := s.store.RemoveProcess(ctx, s.cfg.ID); e != nil {
			err = errors.Join(err, e)
		}
	})
	return err
}

// TickResult reports what one tick did.
type TickResult struct {
	Leading    bool
	Pairs      int // active pairs
	Enqueued   int // tasks put on the queue
	Duplicates int // tasks whose slot was already enqueued
	Errors     int // enqueue failures
	Purged     int // tasks purged at start
}

// Tick runs one iteration: heartbeat, lease, and (when leading) enqueue
// every pair whose current slot has not been enqueued yet.
func (s *Scheduler) Tick(ctx context.Context) (TickResult, error) {
	start := time.Now()
	defer func() { s.m.Tick(time.Since(start)) }()
	now := s.cfg.Now().UTC()
	var res TickResult

	leading, lerr := s.store.AcquireLease(ctx, LeaseName, s.cfg.ID, s.cfg.LeaseTTL)
	if lerr != nil {
		leading = false // cannot prove leadership: stand by
	}
	s.mu.Lock()
	was := s.leading
	s.leading = leading
	first := leading && !s.everLed
	if leading {
		s.everLed = true
	}
	if !leading || !was || now.Sub(s.settledAt) >= resyncEvery || now.Before(s.settledAt) {
		s.settled, s.settledAt = map[string]string{}, now
	}
	s.mu.Unlock()
	s.m.SetLeader(leading)
	if leading != was {
		s.log.Info("scheduler leadership changed", "leading", leading)
	}
	res.Leading = leading
	s.heartbeat(ctx, now, leading)
	if lerr != nil {
		return res, fmt.Errorf("scheduler lease: %w", lerr)
	}
	if !leading {
		return res, nil
	}

	if first && s.cfg.PurgeAtStart {
		n, err := s.q.Purge(ctx)
		if err != nil {
			s.log.Warn("purge queued tasks failed", "error", err)
		} else {
			res.Purged = n
			s.log.Info("queued tasks purged at start", "tasks", n)
		}
	}
	s.mu.Lock()
	purgeDue := s.lastPurge.IsZero() || now.Sub(s.lastPurge) >= s.cfg.ExceptionPurgeEvery
	s.mu.Unlock()
	if purgeDue {
		if n, err := s.store.PurgeExpiredExceptions(ctx, now); err != nil {
			s.log.Warn("purge expired exceptions failed", "error", err)
		} else {
			s.mu.Lock()
			s.lastPurge = now
			s.mu.Unlock()
			s.log.Debug("expired exceptions purged", "rows", n)
		}
	}

	pairs, err := s.Pairs(ctx)
	if err != nil {
		return res, err
	}
	res.Pairs = len(pairs)
	s.mu.Lock()
	s.lastPairs = len(pairs)
	s.mu.Unlock()
	var firstErr error
	for _, p := range pairs {
		slot := Slot(p, now, s.cfg.AtFullHour)
		key := p.Account + "/" + p.Technology
		s.mu.Lock()
		done := s.settled[key] == slot
		s.mu.Unlock()
		if done {
			res.Duplicates++
			continue
		}
		ok, err := s.q.EnqueueUnique(ctx, p.Task(), slot, broker.EnqueueOptions{Retention: time.Duration(p.Interval) * time.Minute})
		if err == nil {
			s.mu.Lock()
			s.settled[key] = slot
			s.mu.Unlock()
		}
		switch {
		case err != nil:
			res.Errors++
			s.m.Enqueued(p.Technology, "error")
			if firstErr == nil {
				firstErr = err
			}
		case ok:
			res.Enqueued++
			s.m.Enqueued(p.Technology, "enqueued")
			s.log.Debug("scan enqueued", "account", p.Account, "technology", p.Technology, "slot", slot)
		default:
			res.Duplicates++
			s.m.Enqueued(p.Technology, "duplicate")
		}
	}
	if res.Enqueued > 0 {
		s.log.Info("scans enqueued", "tasks", res.Enqueued, "pairs", res.Pairs)
	}
	if s.cfg.OnLead != nil {
		if err := s.cfg.OnLead(ctx, now); err != nil && ctx.Err() == nil {
			s.log.Warn("leader task failed", "error", err)
		}
	}
	if firstErr != nil {
		return res, fmt.Errorf("enqueue %d of %d scans failed: %w", res.Errors, len(pairs), firstErr)
	}
	return res, nil
}

func (s *Scheduler) heartbeat(ctx context.Context, now time.Time, leading bool) {
	s.mu.Lock()
	pairs := s.lastPairs
	s.mu.Unlock()
	info, _ := json.Marshal(map[string]any{
		"leader": leading, "only_watch": s.cfg.OnlyWatch, "watcher_ignore": s.cfg.WatcherIgnore,
		"at_full_hour": s.cfg.AtFullHour, "pairs": pairs,
	})
	host, _ := os.Hostname()
	if err := s.store.Heartbeat(ctx, monkey.Process{
		Kind: "scheduler", ID: s.cfg.ID, Host: host, PID: os.Getpid(),
		StartedAt: s.started, SeenAt: now, Info: string(info),
	}); err != nil && ctx.Err() == nil {
		s.log.Warn("scheduler heartbeat failed", "error", err)
	}
}

// Pair is one (account, technology) to scan every Interval minutes.
type Pair struct {
	Account    string // name
	AccountID  int64
	Technology string // index
	Interval   int    // minutes
}

// Task is the broker task of the pair.
func (p Pair) Task() broker.Task {
	return broker.Task{AccountID: p.AccountID, Account: p.Account, Technology: p.Technology}
}

// Pairs re-reads accounts and watcher configs and returns the active pairs
// this scheduler is responsible for, sorted by account and technology.
func (s *Scheduler) Pairs(ctx context.Context) ([]Pair, error) {
	accounts, err := s.store.ListAccounts(ctx)
	if err != nil {
		return nil, fmt.Errorf("scheduler: %w", err)
	}
	wcs, err := s.store.ListWatcherConfigs(ctx)
	if err != nil {
		return nil, fmt.Errorf("scheduler: %w", err)
	}
	return ActivePairs(accounts, wcs, s.cfg.Technologies, s.cfg.OnlyWatch, s.cfg.WatcherIgnore), nil
}

// ActivePairs applies the scheduling rules (spec/config.md §3): active,
// non-third-party accounts × active technologies of the account's type,
// selected by onlyWatch (which, when non-empty, overrides ignore).
func ActivePairs(accounts []monkey.Account, wcs []monkey.WatcherConfig, techs []monkey.Technology, onlyWatch, ignore []string) []Pair {
	byIndex := map[string]monkey.WatcherConfig{}
	for _, w := range wcs {
		byIndex[w.Index] = w
	}
	var out []Pair
	for _, a := range accounts {
		if !a.Active || a.ThirdParty {
			continue
		}
		for _, t := range techs {
			if t.Cloud != "" && t.Cloud != a.Type {
				continue
			}
			if len(onlyWatch) > 0 {
				if !slices.Contains(onlyWatch, t.Index) {
					continue
				}
			} else if slices.Contains(ignore, t.Index) {
				continue
			}
			interval := DefaultInterval
			if w, ok := byIndex[t.Index]; ok {
				if !w.Active || w.Interval <= 0 {
					continue
				}
				interval = w.Interval
			}
			out = append(out, Pair{Account: a.Name, AccountID: a.ID, Technology: t.Index, Interval: interval})
		}
	}
	slices.SortFunc(out, func(x, y Pair) int {
		if x.Account != y.Account {
			if x.Account < y.Account {
				return -1
			}
			return 1
		}
		switch {
		case x.Technology < y.Technology:
			return -1
		case x.Technology > y.Technology:
			return 1
		}
		return 0
	})
	return out
}

// sunday is the first Sunday 00:00 UTC after the Unix epoch: the anchor of
// weekly aligned slots.
var sunday = time.Date(1970, 1, 4, 0, 0, 0, 0, time.UTC)

// Slot returns the deterministic slot id of the pair at now. Every
// scheduler computes the same id for the same window, so the broker rejects
// a second enqueue of it.
//
// Aligned to the full hour (schedule_at_full_hour), windows start on the
// clock: 15 → :00 :15 :30 :45, 60 → :00, 720 → 00:00 and 12:00, 1440 →
// 00:00, 10080 → Sunday 00:00 UTC. Otherwise (and for other intervals)
// windows are N minutes long with a stable per-pair offset, which spreads
// the pairs over the interval instead of starting all of them at once.
// Either way a pair whose current window has not run yet is enqueued at
// once, so every active pair runs at start.
func Slot(p Pair, now time.Time, atFullHour bool) string {
	n := p.Interval
	if n <= 0 {
		n = DefaultInterval
	}
	period := time.Duration(n) * time.Minute
	var anchor time.Time
	mode := "s"
	switch {
	case atFullHour && n == 10080:
		anchor, mode = sunday, "a"
	case atFullHour && slices.Contains([]int{15, 60, 720, 1440}, n):
		anchor, mode = time.Unix(0, 0).UTC(), "a"
	default:
		h := fnv.New64a()
		_, _ = h.Write([]byte(p.Account + "/" + p.Technology))
		offset := time.Duration(h.Sum64()%uint64(period/time.Second)) * time.Second
		anchor = time.Unix(0, 0).UTC().Add(offset)
	}
	d := now.Sub(anchor)
	w := int64(d / period)
	if d < 0 && d%period != 0 {
		w--
	}
	return fmt.Sprintf("%d%s-%d", n, mode, w)
}

// WindowStart returns the start of the slot window containing now (for
// display and tests).
func WindowStart(p Pair, now time.Time, atFullHour bool) time.Time {
	slot := Slot(p, now, atFullHour)
	var n int
	var mode string
	var w int64
	_, _ = fmt.Sscanf(slot, "%d%1s-%d", &n, &mode, &w)
	period := time.Duration(n) * time.Minute
	if mode == "a" {
		anchor := time.Unix(0, 0).UTC()
		if n == 10080 {
			anchor = sunday
		}
		return anchor.Add(time.Duration(w) * period)
	}
	h := fnv.New64a()
	_, _ = h.Write([]byte(p.Account + "/" + p.Technology))
	offset := time.Duration(h.Sum64()%uint64(period/time.Second)) * time.Second
	return time.Unix(0, 0).UTC().Add(offset).Add(time.Duration(w) * period)
}
