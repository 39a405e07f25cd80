package broker_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/broker"
)

func discard() *slog.Logger { return slog.New(slog.DiscardHandler) }

func randomName(prefix string) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// redisURL returns a scratch database on the test Redis (db 12), or skips.
func redisURL(t *testing.T) string {
	t.Helper()
	u := os.Getenv("MONKEY_TEST_REDIS_URL")
	if u == "" {
		u = "redis://127.0.0.1:6379/0"
	}
	opt, err := redis.ParseURL(u)
	require.NoError(t, err)
	opt.DB = 12
	c := redis.NewClient(opt)
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := c.Ping(ctx).Err(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("redis unreachable at %s: %v", u, err)
		}
		t.Skipf("redis unreachable at %s (set MONKEY_TEST_REDIS_URL): %v", u, err)
	}
	return "redis://" + opt.Addr + "/12"
}

type backend struct {
	name string
	open func(t *testing.T, cfg broker.Config) *broker.Asynq
}

func backends() []backend {
	return []backend{
		{"redis", func(t *testing.T, cfg broker.Config) *broker.Asynq {
			cfg.URL = redisURL(t)
			b, err := broker.New(cfg, discard())
			require.NoError(t, err)
			t.Cleanup(func() {
				// Each test has its own queue: remove it, not the database.
				opt, _ := redis.ParseURL(cfg.URL)
				insp := asynq.NewInspector(asynq.RedisClientOpt{Addr: opt.Addr, DB: opt.DB})
				_ = insp.DeleteQueue(cfg.Queue, true)
				_ = insp.Close()
				_ = b.Close()
			})
			return b
		}},
		{"embedded", func(t *testing.T, cfg broker.Config) *broker.Asynq {
			b, err := broker.NewEmbedded(cfg, discard())
			require.NoError(t, err)
			t.Cleanup(func() { _ = b.Close() })
			return b
		}},
	}
}

func forEach(t *testing.T, f func(t *testing.T, open func(cfg broker.Config) *broker.Asynq)) {
	for _, be := range backends() {
		t.Run(be.name, func(t *testing.T) {
			t.Parallel()
			f(t, func(cfg broker.Config) *broker.Asynq {
				if cfg.Queue == "" {
					cfg.Queue = randomName("test-")
				}
				if cfg.PollInterval == 0 {
					cfg.PollInterval = 100 * time.Millisecond
				}
				return be.open(t, cfg)
			})
		})
	}
}

func TestEnqueueUniqueRejectsSameSlot(t *testing.T) {
	t.Parallel()
	forEach(t, func(t *testing.T, open func(broker.Config) *broker.Asynq) {
		ctx := context.Background()
		b := open(broker.Config{})
		task := broker.Task{Account: "prod", Technology: "iamrole"}

		ok, err := b.EnqueueUnique(ctx, task, "60-100", broker.EnqueueOptions{})
		require.NoError(t, err)
		require.True(t, ok)
		ok, err = b.EnqueueUnique(ctx, task, "60-100", broker.EnqueueOptions{})
		require.NoError(t, err)
		require.False(t, ok, "second enqueue of the same slot must be rejected")
		ok, err = b.EnqueueUnique(ctx, task, "60-101", broker.EnqueueOptions{})
		require.NoError(t, err)
		require.True(t, ok)

		d, err := b.QueueDepth(ctx)
		require.NoError(t, err)
		require.Equal(t, 2, d.Pending)

		_, err = b.EnqueueUnique(ctx, broker.Task{Account: "prod"}, "x", broker.EnqueueOptions{})
		require.Error(t, err)

		n, err := b.Purge(ctx)
		require.NoError(t, err)
		require.Equal(t, 2, n)
		d, err = b.QueueDepth(ctx)
		require.NoError(t, err)
		require.Equal(t, 0, d.Pending)
	})
}

func TestConsumeRunsRetriesAndKeepsFinishedIDs(t *testing.T) {
	t.Parallel()
	forEach(t, func(t *testing.T, open func(broker.Config) *broker.Asynq) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		b := open(broker.Config{MaxRetry: 2})

		var mu sync.Mutex
		runs := map[string]int{}
		var metas []broker.Meta
		done := make(chan string, 10)
		h := func(ctx context.Context, task broker.Task, m broker.Meta) error {
			mu.Lock()
			runs[task.Account]++
			metas = append(metas, m)
			mu.Unlock()
			switch task.Account {
			case "flaky":
				if m.Retried < 1 {
					return errors.New("transient")
				}
			case "broken":
				done <- task.Account
				return errors.New("always")
			case "gone":
				done <- task.Account
				return broker.ErrPermanent
			}
			done <- task.Account
			return nil
		}
		consumed := make(chan error, 1)
		go func() {
			consumed <- b.Consume(ctx, broker.ConsumeOptions{
				Concurrency: 3, ShutdownGrace: time.Second,
				RetryDelay: func(int) time.Duration { return 50 * time.Millisecond },
			}, h)
		}()
		for _, a := range []string{"ok", "flaky", "broken", "gone"} {
			ok, err := b.EnqueueUnique(ctx, broker.Task{Account: a, Technology: "s3"}, "slot", broker.EnqueueOptions{Retention: time.Hour})
			require.NoError(t, err)
			require.True(t, ok)
		}
		seen := map[string]int{}
		deadline := time.After(20 * time.Second)
		for seen["ok"] < 1 || seen["flaky"] < 1 || seen["broken"] < 3 || seen["gone"] < 1 {
			select {
			case a := <-done:
				seen[a]++
			case <-deadline:
				t.Fatalf("tasks not processed in time: %v", seen)
			}
		}
		require.Eventually(t, func() bool {
			d, err := b.QueueDepth(ctx)
			return err == nil && d.Completed == 2 && d.Archived == 2
		}, 10*time.Second, 50*time.Millisecond)

		// A finished task keeps its id for the retention: no re-run.
		ok, err := b.EnqueueUnique(ctx, broker.Task{Account: "ok", Technology: "s3"}, "slot", broker.EnqueueOptions{})
		require.NoError(t, err)
		require.False(t, ok)

		cancel()
		require.NoError(t, <-consumed)
		mu.Lock()
		defer mu.Unlock()
		require.Equal(t, 1, runs["ok"])
		require.Equal(t, 2, runs["flaky"])
		require.Equal(t, 3, runs["broken"], "1 run + MaxRetry 2")
		require.Equal(t, 1, runs["gone"], "permanent errors are not retried")
		for _, m := range metas {
			require.Equal(t, 2, m.MaxRetry)
			require.Contains(t, m.ID, "/s3/slot")
		}
	})
}

func TestShutdownHandsBackUnfinishedTasks(t *testing.T) {
	t.Parallel()
	forEach(t, func(t *testing.T, open func(broker.Config) *broker.Asynq) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		b := open(broker.Config{})
		started := make(chan struct{}, 2)
		var cancelled atomic.Int32
		h := func(ctx context.Context, task broker.Task, _ broker.Meta) error {
			started <- struct{}{}
			if task.Account == "quick" {
				// Finishes within the grace period.
				time.Sleep(300 * time.Millisecond)
				return nil
			}
			<-ctx.Done()
			cancelled.Add(1)
			return ctx.Err()
		}
		consumed := make(chan error, 1)
		go func() {
			consumed <- b.Consume(ctx, broker.ConsumeOptions{Concurrency: 2, ShutdownGrace: time.Second}, h)
		}()
		for _, a := range []string{"quick", "slow"} {
			_, err := b.EnqueueUnique(ctx, broker.Task{Account: a, Technology: "s3"}, "1", broker.EnqueueOptions{})
			require.NoError(t, err)
		}
		<-started
		<-started
		// The consumer publishes its in-flight tasks with its heartbeat (5 s).
		require.Eventually(t, func() bool {
			ws, err := b.Workers(ctx)
			if err != nil || len(ws) != 1 {
				return false
			}
			for _, f := range ws[0].InFlight {
				if f.Account == "slow" && f.Technology == "s3" && f.TaskID == "slow/s3/1" {
					return true
				}
			}
			return false
		}, 10*time.Second, 100*time.Millisecond)

		cancel()
		select {
		case err := <-consumed:
			require.NoError(t, err)
		case <-time.After(10 * time.Second):
			t.Fatal("consumer did not stop within the grace period")
		}
		require.Equal(t, int32(1), cancelled.Load())
		d, err := b.QueueDepth(context.Background())
		require.NoError(t, err)
		require.Equal(t, 1, d.Pending, "the unfinished task is back on the queue")
		require.Equal(t, 0, d.Active)
	})
}

func TestNewRejectsBadURL(t *testing.T) {
	t.Parallel()
	for _, u := range []string{"", "http://x", "amqp://guest@localhost"} {
		_, err := broker.New(broker.Config{URL: u}, discard())
		require.Error(t, err, u)
	}
	b, err := broker.New(broker.Config{URL: "rediss://:secret@example.invalid:6380/3"}, discard())
	require.NoError(t, err)
	require.NoError(t, b.Close())
	require.NoError(t, b.Close())
}

func TestPingFailsWhenBrokerDown(t *testing.T) {
	t.Parallel()
	b, err := broker.New(broker.Config{URL: "redis://127.0.0.1:1/0"}, discard())
	require.NoError(t, err)
	defer b.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	require.Error(t, b.Ping(ctx))
}

func TestDefaultRetryDelay(t *testing.T) {
	t.Parallel()
	for n, want := range map[int]time.Duration{1: 10 * time.Second, 2: 20 * time.Second, 3: 40 * time.Second, 10: 5 * time.Minute} {
		require.Equal(t, want, broker.DefaultRetryDelay(n))
	}
}

// TestSnoozeDoesNotCountAnAttempt: a task snoozed more times than it may be
// retried is neither failed nor archived; it runs again after the snooze
// delay (not the retry backoff) until it can run.
func TestSnoozeDoesNotCountAnAttempt(t *testing.T) {
	t.Parallel()
	forEach(t, func(t *testing.T, open func(broker.Config) *broker.Asynq) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		b := open(broker.Config{MaxRetry: 1})
		var mu sync.Mutex
		var metas []broker.Meta
		done := make(chan struct{})
		h := func(ctx context.Context, task broker.Task, m broker.Meta) error {
			mu.Lock()
			defer mu.Unlock()
			metas = append(metas, m)
			if len(metas) <= 3 {
				return broker.Snooze(100*time.Millisecond, errors.New("pair busy"))
			}
			close(done)
			return nil
		}
		consumed := make(chan error, 1)
		go func() {
			consumed <- b.Consume(ctx, broker.ConsumeOptions{
				Concurrency: 1, ShutdownGrace: time.Second,
				RetryDelay: func(int) time.Duration { return time.Hour }, // a counted retry would never come back in time
			}, h)
		}()
		ok, err := b.EnqueueUnique(ctx, broker.Task{Account: "prod", Technology: "s3"}, "slot", broker.EnqueueOptions{})
		require.NoError(t, err)
		require.True(t, ok)
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			t.Fatal("snoozed task did not run again")
		}
		require.Eventually(t, func() bool {
			st, err := b.TaskState(ctx, "prod/s3/slot")
			return err == nil && st == broker.TaskCompleted
		}, 10*time.Second, 50*time.Millisecond)
		cancel()
		require.NoError(t, <-consumed)
		mu.Lock()
		defer mu.Unlock()
		require.Len(t, metas, 4)
		for _, m := range metas {
			require.Zero(t, m.Retried, "a snooze is not a failed attempt")
		}
	})
}

// TestReplaceFinishedAndTaskState: with ReplaceFinished only a queued or
// running task of the same id rejects an enqueue.
func TestReplaceFinishedAndTaskState(t *testing.T) {
	t.Parallel()
	forEach(t, func(t *testing.T, open func(broker.Config) *broker.Asynq) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		b := open(broker.Config{MaxRetry: 1})
		task := broker.Task{Account: "prod", Technology: "s3"}
		replace := broker.EnqueueOptions{Retention: time.Hour, ReplaceFinished: true}
		st, err := b.TaskState(ctx, task.ID("manual"))
		require.NoError(t, err)
		require.Equal(t, broker.TaskAbsent, st)
		ok, err := b.EnqueueUnique(ctx, task, "manual", replace)
		require.NoError(t, err)
		require.True(t, ok)
		ok, err = b.EnqueueUnique(ctx, task, "manual", replace)
		require.NoError(t, err)
		require.False(t, ok, "queued: rejected")
		st, err = b.TaskState(ctx, task.ID("manual"))
		require.NoError(t, err)
		require.Equal(t, broker.TaskPending, st)
		require.True(t, st.Queued())

		ran := make(chan struct{}, 4)
		consumed := make(chan error, 1)
		go func() {
			consumed <- b.Consume(ctx, broker.ConsumeOptions{Concurrency: 1, ShutdownGrace: time.Second}, func(context.Context, broker.Task, broker.Meta) error {
				ran <- struct{}{}
				return nil
			})
		}()
		<-ran
		require.Eventually(t, func() bool {
			st, err := b.TaskState(ctx, task.ID("manual"))
			return err == nil && st == broker.TaskCompleted
		}, 10*time.Second, 50*time.Millisecond)
		ok, err = b.EnqueueUnique(ctx, task, "manual", broker.EnqueueOptions{})
		require.NoError(t, err)
		require.False(t, ok, "without ReplaceFinished the finished id is kept")
		ok, err = b.EnqueueUnique(ctx, task, "manual", replace)
		require.NoError(t, err)
		require.True(t, ok, "a finished task is replaced")
		<-ran
		cancel()
		require.NoError(t, <-consumed)
	})
}
