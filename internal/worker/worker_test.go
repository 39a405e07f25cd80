package worker_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/broker"
	"github.com/secmonkey/monkey/internal/metrics"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/store"
	"github.com/secmonkey/monkey/internal/store/storetest"
	"github.com/secmonkey/monkey/internal/worker"
)

func discard() *slog.Logger { return slog.New(slog.DiscardHandler) }

type bundle struct {
	store *store.Store
	q     *broker.Asynq
}

func setup(t *testing.T, engine string) bundle {
	t.Helper()
	st := storetest.New(t, engine)
	q, err := broker.NewEmbedded(broker.Config{PollInterval: 50 * time.Millisecond, TaskTimeout: 5 * time.Second}, discard())
	require.NoError(t, err)
	t.Cleanup(func() { _ = q.Close() })
	for _, a := range []monkey.Account{
		{Type: "AWS", Name: "prod", Identifier: "111111111111", Active: true},
		{Type: "AWS", Name: "dev", Identifier: "222222222222", Active: true},
		{Type: "AWS", Name: "off", Identifier: "333333333333"},
	} {
		require.NoError(t, st.CreateAccount(context.Background(), &a))
	}
	return bundle{store: st, q: q}
}

// start runs a worker until the test ends and returns a stop function that
// waits for it.
func (tb bundle) start(t *testing.T, cfg worker.Config, run worker.RunnerFunc) (*worker.Worker, func()) {
	t.Helper()
	if cfg.RetryDelay == nil {
		cfg.RetryDelay = func(int) time.Duration { return 50 * time.Millisecond }
	}
	if cfg.HeartbeatEvery == 0 {
		cfg.HeartbeatEvery = 100 * time.Millisecond
	}
	w, err := worker.New(cfg, tb.store, tb.q, run, nil, discard(), metrics.New())
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			require.NoError(t, <-done)
		})
	}
	t.Cleanup(stop)
	return w, stop
}

func (tb bundle) enqueue(t *testing.T, account, tech string) {
	t.Helper()
	ok, err := tb.q.EnqueueUnique(context.Background(), broker.Task{Account: account, Technology: tech}, "1", broker.EnqueueOptions{})
	require.NoError(t, err)
	require.True(t, ok)
}

func (tb bundle) scans(t *testing.T) map[string]monkey.ScanStatus {
	t.Helper()
	l, err := tb.store.ListScans(context.Background())
	require.NoError(t, err)
	out := map[string]monkey.ScanStatus{}
	for _, s := range l {
		out[s.Account+"/"+s.Technology] = s
	}
	return out
}

func TestTasksRunRetryAndAreRecorded(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			tb := setup(t, engine)
			var mu sync.Mutex
			attempts := map[string]int{}
			run := func(ctx context.Context, account, tech string) (worker.Result, error) {
				mu.Lock()
				attempts[account+"/"+tech]++
				n := attempts[account+"/"+tech]
				mu.Unlock()
				switch tech {
				case "flaky":
					if n == 1 {
						return worker.Result{}, errors.New("throttled")
					}
				case "broken":
					return worker.Result{}, errors.New("access denied")
				case "unknown":
					return worker.Result{}, monkey.Errorf(monkey.EINVALID, "unknown technology")
				}
				return worker.Result{Items: 7, Issues: 2}, nil
			}
			tb.start(t, worker.Config{Concurrency: 4}, run)
			for _, tech := range []string{"iamrole", "flaky", "broken", "unknown"} {
				tb.enqueue(t, "prod", tech)
			}
			tb.enqueue(t, "gone", "iamrole")
			tb.enqueue(t, "off", "iamrole")

			require.Eventually(t, func() bool {
				d, err := tb.q.QueueDepth(context.Background())
				return err == nil && d.Pending+d.Active+d.Retry+d.Scheduled == 0
			}, 20*time.Second, 50*time.Millisecond)

			mu.Lock()
			require.Equal(t, 1, attempts["prod/iamrole"])
			require.Equal(t, 2, attempts["prod/flaky"])
			require.Equal(t, 4, attempts["prod/broken"], "1 run + 3 retries")
			require.Equal(t, 1, attempts["prod/unknown"], "invalid is not retried")
			require.Zero(t, attempts["gone/iamrole"], "deleted account: dropped")
			require.Zero(t, attempts["off/iamrole"], "inactive account: skipped")
			mu.Unlock()

			s := tb.scans(t)
			require.Equal(t, "ok", s["prod/iamrole"].Outcome)
			require.Equal(t, 7, s["prod/iamrole"].Items)
			require.NotNil(t, s["prod/iamrole"].LastStart)
			require.NotNil(t, s["prod/iamrole"].LastEnd)
			require.Equal(t, "ok", s["prod/flaky"].Outcome)
			require.Equal(t, "error", s["prod/broken"].Outcome)
			require.Equal(t, "access denied", s["prod/broken"].Error, "the last attempt has no retry note")
			require.Equal(t, "error", s["prod/unknown"].Outcome)
		})
	}
}

func TestConcurrencyIsBounded(t *testing.T) {
	t.Parallel()
	tb := setup(t, store.EngineSQLite)
	var cur, peak atomic.Int32
	run := func(ctx context.Context, account, tech string) (worker.Result, error) {
		n := cur.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(100 * time.Millisecond)
		cur.Add(-1)
		return worker.Result{}, nil
	}
	w, _ := tb.start(t, worker.Config{Concurrency: 3}, run)
	for _, tech := range []string{"a", "b", "c", "d", "e", "f", "g", "h"} {
		tb.enqueue(t, "prod", tech)
	}
	require.Eventually(t, func() bool { return w.Completed() == 8 }, 20*time.Second, 20*time.Millisecond)
	require.Equal(t, int32(3), peak.Load())
}

func TestShutdownFinishesOrHandsBack(t *testing.T) {
	t.Parallel()
	tb := setup(t, store.EngineSQLite)
	started := make(chan string, 2)
	release := make(chan struct{}) // quick runs until shutdown begins
	run := func(ctx context.Context, account, tech string) (worker.Result, error) {
		started <- tech
		if tech == "quick" {
			<-release
			return worker.Result{Items: 1}, nil
		}
		<-ctx.Done() // longer than the grace period
		return worker.Result{}, ctx.Err()
	}
	w, stop := tb.start(t, worker.Config{Concurrency: 2, ShutdownGrace: 700 * time.Millisecond}, run)
	tb.enqueue(t, "prod", "quick")
	tb.enqueue(t, "prod", "slow")
	<-started
	<-started
	require.Eventually(t, func() bool {
		ps, err := tb.store.ListProcesses(context.Background(), "worker", time.Now().Add(-time.Minute))
		return err == nil && len(ps) == 1 && strings.Contains(ps[0].Info, `"technology":"slow"`)
	}, 5*time.Second, 50*time.Millisecond, "heartbeat lists in-flight tasks")
	require.Len(t, w.InFlight(), 2)

	begin := time.Now()
	close(release)
	stop()
	require.Less(t, time.Since(begin), 5*time.Second)
	s := tb.scans(t)
	require.Equal(t, "ok", s["prod/quick"].Outcome, "finished within the grace period")
	d, err := tb.q.QueueDepth(context.Background())
	require.NoError(t, err)
	require.Equal(t, 1, d.Pending, "the unfinished task is back on the queue")
	ps, err := tb.store.ListProcesses(context.Background(), "worker", time.Now().Add(-time.Minute))
	require.NoError(t, err)
	require.Empty(t, ps, "the process row is removed on shutdown")
}

func TestNewRequiresDependencies(t *testing.T) {
	t.Parallel()
	_, err := worker.New(worker.Config{}, nil, nil, nil, nil, discard(), nil)
	require.Error(t, err)
}

// TestBusyPairIsSnoozedNotFailed: a task whose pair another scan is writing
// runs again later, whatever its attempt, and is never counted as failed.
func TestBusyPairIsSnoozedNotFailed(t *testing.T) {
	t.Parallel()
	tb := setup(t, "sqlite")
	var mu sync.Mutex
	attempts := map[string][]int{}
	busy := map[string]int{"prod/iamrole": 5, "prod/flaky": 2}
	run := func(ctx context.Context, account, tech string) (worker.Result, error) {
		mu.Lock()
		defer mu.Unlock()
		k := account + "/" + tech
		attempts[k] = append(attempts[k], len(attempts[k]))
		if tech == "flaky" && len(attempts[k]) <= 3 {
			return worker.Result{}, errors.New("throttled") // three real failures: the last attempt comes next
		}
		if busy[k] > 0 {
			busy[k]--
			return worker.Result{}, fmt.Errorf("scan of %s: %w", k, monkey.ErrScanRunning)
		}
		return worker.Result{Items: 3}, nil
	}
	tb.start(t, worker.Config{Concurrency: 2, BusyDelay: 50 * time.Millisecond}, run)
	tb.enqueue(t, "prod", "iamrole")
	tb.enqueue(t, "prod", "flaky")
	require.Eventually(t, func() bool {
		d, err := tb.q.QueueDepth(context.Background())
		return err == nil && d.Pending+d.Active+d.Retry+d.Scheduled == 0
	}, 20*time.Second, 50*time.Millisecond)
	d, err := tb.q.QueueDepth(context.Background())
	require.NoError(t, err)
	require.Equal(t, 2, d.Completed)
	require.Zero(t, d.Archived, "a busy pair is not a failure")
	mu.Lock()
	require.Len(t, attempts["prod/iamrole"], 6, "5 snoozes then the scan")
	require.Len(t, attempts["prod/flaky"], 6, "3 failures, 2 busy runs on the last attempt, then the scan")
	mu.Unlock()
	s := tb.scans(t)
	require.Equal(t, "ok", s["prod/iamrole"].Outcome)
	require.Equal(t, "ok", s["prod/flaky"].Outcome)
}

// A task names its account by id: renamed between enqueue and run, the
// account is scanned under its new name and its scan is recorded; nothing
// is dropped as "no longer exists".
func TestRenameBetweenEnqueueAndRun(t *testing.T) {
	t.Parallel()
	tb := setup(t, "sqlite")
	ctx := context.Background()
	acct, err := tb.store.AccountByName(ctx, "prod")
	require.NoError(t, err)
	ok, err := tb.q.EnqueueUnique(ctx, broker.Task{AccountID: acct.ID, Account: "prod", Technology: "iamrole"}, "1", broker.EnqueueOptions{})
	require.NoError(t, err)
	require.True(t, ok)
	acct.Name = "production"
	require.NoError(t, tb.store.UpdateAccount(ctx, acct))

	var mu sync.Mutex
	var ran []string
	tb.start(t, worker.Config{Concurrency: 1}, func(_ context.Context, account, tech string) (worker.Result, error) {
		mu.Lock()
		defer mu.Unlock()
		ran = append(ran, account+"/"+tech)
		return worker.Result{Items: 3}, nil
	})
	require.Eventually(t, func() bool { return tb.scans(t)["production/iamrole"].Outcome == "ok" }, 20*time.Second, 50*time.Millisecond)
	mu.Lock()
	defer mu.Unlock()
	require.Equal(t, []string{"production/iamrole"}, ran)
	require.Equal(t, 3, tb.scans(t)["production/iamrole"].Items)
}
