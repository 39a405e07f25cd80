package scheduler_test

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/broker"
	"github.com/secmonkey/monkey/internal/metrics"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/scheduler"
	"github.com/secmonkey/monkey/internal/store"
	"github.com/secmonkey/monkey/internal/store/storetest"
)

var techs = []monkey.Technology{
	{Index: "iamrole", Singular: "IAM Role", Cloud: "AWS"},
	{Index: "s3", Singular: "S3 Bucket", Cloud: "AWS"},
	{Index: "securitygroup", Singular: "Security Group", Cloud: "AWS"},
}

func discard() *slog.Logger { return slog.New(slog.DiscardHandler) }

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// recorder wraps the real broker and counts accepted enqueues per task id.
type recorder struct {
	broker.Broker
	mu    sync.Mutex
	ids   map[string]int
	calls int
}

func (r *recorder) EnqueueUnique(ctx context.Context, t broker.Task, slot string, o broker.EnqueueOptions) (bool, error) {
	r.mu.Lock()
	r.calls++
	r.mu.Unlock()
	ok, err := r.Broker.EnqueueUnique(ctx, t, slot, o)
	if ok {
		r.mu.Lock()
		r.ids[t.Account+"/"+t.Technology+"/"+slot]++ // by name: readable below
		r.mu.Unlock()
	}
	return ok, err
}

type bundle struct {
	store *store.Store
	q     *recorder
	clock *clock
}

func setup(t *testing.T, engine string) bundle {
	t.Helper()
	st := storetest.New(t, engine)
	b, err := broker.NewEmbedded(broker.Config{}, discard())
	require.NoError(t, err)
	t.Cleanup(func() { _ = b.Close() })
	return bundle{
		store: st,
		q:     &recorder{Broker: b, ids: map[string]int{}},
		clock: &clock{t: time.Date(2026, 3, 2, 10, 7, 0, 0, time.UTC)},
	}
}

func (tb bundle) account(t *testing.T, name, id string, active, thirdParty bool) monkey.Account {
	t.Helper()
	a := monkey.Account{Type: "AWS", Name: name, Identifier: id, Active: active, ThirdParty: thirdParty}
	require.NoError(t, tb.store.CreateAccount(context.Background(), &a))
	return a
}

func (tb bundle) scheduler(t *testing.T, id string, mod func(*scheduler.Config)) *scheduler.Scheduler {
	t.Helper()
	cfg := scheduler.Config{ID: id, Technologies: techs, LeaseTTL: 2 * time.Second, Tick: 500 * time.Millisecond, Now: tb.clock.Now}
	if mod != nil {
		mod(&cfg)
	}
	s, err := scheduler.New(cfg, tb.store, tb.q, discard(), metrics.New())
	require.NoError(t, err)
	return s
}

func TestTwoSchedulersEnqueueEachSlotOnce(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			tb := setup(t, engine)
			tb.account(t, "prod", "111111111111", true, false)
			tb.account(t, "dev", "222222222222", true, false)
			tb.account(t, "vendor", "333333333333", true, true)
			tb.account(t, "old", "444444444444", false, false)
			require.NoError(t, tb.store.SetWatcherConfig(ctx, monkey.WatcherConfig{Index: "s3", Interval: 15, Active: true}))
			require.NoError(t, tb.store.SetWatcherConfig(ctx, monkey.WatcherConfig{Index: "securitygroup", Interval: 60, Active: false}))

			a := tb.scheduler(t, "a", func(c *scheduler.Config) { c.AtFullHour = true })
			b := tb.scheduler(t, "b", func(c *scheduler.Config) { c.AtFullHour = true })

			// 3 hours of ticks every 5 simulated minutes, both schedulers.
			// Leadership is forced to move by releasing the lease every hour,
			// and both also enqueue as if they led (overlapping leaders).
			for step := 0; step < 36; step++ {
				ra, err := a.Tick(ctx)
				require.NoError(t, err)
				rb, err := b.Tick(ctx)
				require.NoError(t, err)
				require.False(t, ra.Leading && rb.Leading, "two leaders at once")
				require.True(t, ra.Leading || rb.Leading, "no leader")
				if step%12 == 11 {
					require.NoError(t, a.Stop(ctx))
					a = tb.scheduler(t, "a2", func(c *scheduler.Config) { c.AtFullHour = true })
				}
				tb.clock.Add(5 * time.Minute)
			}
			// A leader that lost its lease unknowingly (split brain) still
			// cannot enqueue a slot twice: enqueue every pair again directly.
			pairs, err := a.Pairs(ctx)
			require.NoError(t, err)
			for _, p := range pairs {
				ok, err := tb.q.EnqueueUnique(ctx, p.Task(), scheduler.Slot(p, tb.clock.Now().Add(-5*time.Minute), true), broker.EnqueueOptions{})
				require.NoError(t, err)
				require.False(t, ok)
			}

			tb.q.mu.Lock()
			defer tb.q.mu.Unlock()
			for id, n := range tb.q.ids {
				require.Equal(t, 1, n, id)
			}
			// 2 accounts; iamrole hourly from 10:07 to 13:02 → slots 10,11,12,13
			// = 4; s3 every 15 min from 10:07 to 13:02 → 10:00 … 13:00 = 13.
			count := map[string]int{}
			for id := range tb.q.ids {
				count[id[:len(id)-len(id[lastSlash(id):])]]++
			}
			require.Equal(t, map[string]int{
				"prod/iamrole": 4, "dev/iamrole": 4, "prod/s3": 13, "dev/s3": 13,
			}, count)
		})
	}
}

func lastSlash(s string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '/' {
			return i
		}
	}
	return 0
}

func TestStandbyTakesOverWithinLeaseTime(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tb := setup(t, store.EngineSQLite)
	tb.account(t, "prod", "111111111111", true, false)
	a := tb.scheduler(t, "a", nil)
	b := tb.scheduler(t, "b", nil)
	ra, err := a.Tick(ctx)
	require.NoError(t, err)
	require.True(t, ra.Leading)
	require.Equal(t, 3, ra.Enqueued, "every active pair runs at start")
	rb, err := b.Tick(ctx)
	require.NoError(t, err)
	require.False(t, rb.Leading)

	// a dies without releasing its lease; b takes over within the lease.
	died := time.Now()
	require.Eventually(t, func() bool {
		r, err := b.Tick(ctx)
		return err == nil && r.Leading
	}, 5*time.Second, 100*time.Millisecond)
	took := time.Since(died)
	require.Less(t, took, 2*time.Second+500*time.Millisecond, "takeover within lease TTL + tick")
	holder, _, err := tb.store.Lease(ctx, scheduler.LeaseName)
	require.NoError(t, err)
	require.Equal(t, "b", holder)

	// A clean stop releases the lease at once.
	require.NoError(t, b.Stop(ctx))
	require.NoError(t, b.Stop(ctx))
	c := tb.scheduler(t, "c", nil)
	rc, err := c.Tick(ctx)
	require.NoError(t, err)
	require.True(t, rc.Leading)
	require.Equal(t, 0, rc.Enqueued, "the new leader does not re-run the current slots")
	require.Equal(t, 3, rc.Duplicates)
}

func TestConfigChangesTakeEffectWithoutRestart(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			tb := setup(t, engine)
			prod := tb.account(t, "prod", "111111111111", true, false)
			s := tb.scheduler(t, "a", func(c *scheduler.Config) { c.OnlyWatch = []string{"iamrole", "s3"} })
			r, err := s.Tick(ctx)
			require.NoError(t, err)
			require.Equal(t, 2, r.Enqueued, "only_watch restricts the technologies")

			// New account: scanned at the next tick.
			tb.clock.Add(30 * time.Second)
			tb.account(t, "dev", "222222222222", true, false)
			r, err = s.Tick(ctx)
			require.NoError(t, err)
			require.Equal(t, 2, r.Enqueued)
			require.Equal(t, 2, r.Duplicates)

			// Interval change: a new slot, enqueued at once.
			require.NoError(t, tb.store.SetWatcherConfig(ctx, monkey.WatcherConfig{Index: "s3", Interval: 15, Active: true}))
			r, err = s.Tick(ctx)
			require.NoError(t, err)
			require.Equal(t, 2, r.Enqueued)

			// Deactivated account and technology: no longer scheduled.
			prod.Active = false
			require.NoError(t, tb.store.UpdateAccount(ctx, prod))
			require.NoError(t, tb.store.SetWatcherConfig(ctx, monkey.WatcherConfig{Index: "iamrole", Interval: 60, Active: false}))
			r, err = s.Tick(ctx)
			require.NoError(t, err)
			require.Equal(t, 1, r.Pairs)
		})
	}
}

func TestPurgeAtStartAndHeartbeat(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tb := setup(t, store.EngineSQLite)
	tb.account(t, "prod", "111111111111", true, false)
	_, err := tb.q.EnqueueUnique(ctx, broker.Task{Account: "stale", Technology: "s3"}, "x", broker.EnqueueOptions{})
	require.NoError(t, err)
	s := tb.scheduler(t, "a", func(c *scheduler.Config) { c.PurgeAtStart = true; c.WatcherIgnore = []string{"s3"} })
	r, err := s.Tick(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, r.Purged)
	require.Equal(t, 2, r.Enqueued, "watcher_ignore drops s3")
	d, err := tb.q.QueueDepth(ctx)
	require.NoError(t, err)
	require.Equal(t, 2, d.Pending)

	ps, err := tb.store.ListProcesses(ctx, "scheduler", time.Now().Add(-time.Minute))
	require.NoError(t, err)
	require.Len(t, ps, 1)
	require.Equal(t, "a", ps[0].ID)
	require.Contains(t, ps[0].Info, `"leader":true`)
	require.NoError(t, s.Stop(ctx))
	ps, err = tb.store.ListProcesses(ctx, "scheduler", time.Now().Add(-time.Minute))
	require.NoError(t, err)
	require.Empty(t, ps)
}

func TestRunStopsOnCancel(t *testing.T) {
	t.Parallel()
	tb := setup(t, store.EngineSQLite)
	tb.account(t, "prod", "111111111111", true, false)
	s := tb.scheduler(t, "a", func(c *scheduler.Config) { c.Now = nil })
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	require.Eventually(t, s.Leading, 5*time.Second, 20*time.Millisecond)
	cancel()
	require.NoError(t, <-done)
	_, _, err := tb.store.Lease(context.Background(), scheduler.LeaseName)
	require.Error(t, err, "lease released on shutdown")
}

func TestNewValidates(t *testing.T) {
	t.Parallel()
	tb := setup(t, store.EngineSQLite)
	for name, cfg := range map[string]scheduler.Config{
		"no technologies": {},
		"tick too long":   {Technologies: techs, Tick: time.Minute, LeaseTTL: 2 * time.Minute},
		"tick ≥ lease":    {Technologies: techs, Tick: 10 * time.Second, LeaseTTL: 10 * time.Second},
	} {
		_, err := scheduler.New(cfg, tb.store, tb.q, discard(), nil)
		require.Error(t, err, name)
	}
	// Security Monkey technologies not implemented here are ignored.
	_, err := scheduler.New(scheduler.Config{Technologies: techs, OnlyWatch: []string{"elb", "s3"}}, tb.store, tb.q, discard(), nil)
	require.NoError(t, err)
}

func TestSteadyTicksCostNoBrokerCall(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tb := setup(t, store.EngineSQLite)
	tb.account(t, "prod", "111111111111", true, false)
	s := tb.scheduler(t, "a", nil)
	calls := func() int {
		tb.q.mu.Lock()
		defer tb.q.mu.Unlock()
		return tb.q.calls
	}
	r, err := s.Tick(ctx)
	require.NoError(t, err)
	require.Equal(t, 3, r.Enqueued)
	require.Equal(t, 3, calls())
	for range 5 {
		tb.clock.Add(30 * time.Second)
		r, err = s.Tick(ctx)
		require.NoError(t, err)
		require.Equal(t, 3, r.Duplicates)
	}
	require.Equal(t, 3, calls(), "slots already enqueued are not sent again")

	// Tasks lost by the broker (Redis restarted without persistence) are
	// re-enqueued after the periodic resync.
	_, err = tb.q.Purge(ctx)
	require.NoError(t, err)
	tb.clock.Add(5 * time.Minute)
	r, err = s.Tick(ctx)
	require.NoError(t, err)
	require.Equal(t, 6, calls())
	require.Equal(t, 3, r.Enqueued+r.Duplicates)
}

// TestOnLeadRunsOnTheLeaderOnly: the leader-only hook (daily audit
// reports) runs on the ticks a scheduler leads, never on a standby's.
func TestOnLeadRunsOnTheLeaderOnly(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tb := setup(t, "sqlite")
	tb.account(t, "prod", "111111111111", true, false)
	var mu sync.Mutex
	ran := map[string]int{}
	hook := func(id string) func(*scheduler.Config) {
		return func(c *scheduler.Config) {
			c.OnLead = func(context.Context, time.Time) error {
				mu.Lock()
				defer mu.Unlock()
				ran[id]++
				return nil
			}
		}
	}
	a := tb.scheduler(t, "a", hook("a"))
	b := tb.scheduler(t, "b", hook("b"))
	for range 3 {
		ra, err := a.Tick(ctx)
		require.NoError(t, err)
		rb, err := b.Tick(ctx)
		require.NoError(t, err)
		require.True(t, ra.Leading)
		require.False(t, rb.Leading)
	}
	require.Equal(t, map[string]int{"a": 3}, ran)
}
