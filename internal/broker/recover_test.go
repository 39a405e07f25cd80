package broker_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/broker"
)

// TestHelperConsumer is the consumer process TestKilledConsumersTaskRunsElsewhere
// kills: it prints "started <account>" for each task and runs it until
// killed.
func TestHelperConsumer(t *testing.T) {
	url, queue := os.Getenv("MONKEY_BROKER_HELPER_URL"), os.Getenv("MONKEY_BROKER_HELPER_QUEUE")
	if url == "" {
		t.Skip("helper process of TestKilledConsumersTaskRunsElsewhere")
	}
	b, err := broker.New(broker.Config{URL: url, Queue: queue}, discard())
	require.NoError(t, err)
	defer func() { _ = b.Close() }()
	_ = b.Consume(context.Background(), broker.ConsumeOptions{Concurrency: 1}, func(ctx context.Context, task broker.Task, _ broker.Meta) error {
		fmt.Println("started " + task.Account)
		<-ctx.Done()
		return ctx.Err()
	})
}

// TestKilledConsumersTaskRunsElsewhere: the task of a consumer killed with
// -9 runs on another consumer within two task leases, and a live
// consumer's task that runs longer than two leases is never taken from it.
func TestKilledConsumersTaskRunsElsewhere(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("kills a consumer process and waits for its task lease")
	}
	url := redisURL(t)
	cfg := broker.Config{URL: url, Queue: randomName("recover-")}
	b, err := broker.New(cfg, discard())
	require.NoError(t, err)
	defer func() { _ = b.Close() }()
	defer func() {
		opt, _ := redis.ParseURL(url)
		c := redis.NewClient(opt)
		defer func() { _ = c.Close() }()
		keys, _ := c.Keys(context.Background(), "asynq:{"+cfg.Queue+"}:*").Result()
		if len(keys) > 0 {
			c.Del(context.Background(), keys...)
		}
	}()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	// The victim takes the first task.
	victim := exec.Command(os.Args[0], "-test.run=^TestHelperConsumer$", "-test.v")
	victim.Env = append(os.Environ(), "MONKEY_BROKER_HELPER_URL="+url, "MONKEY_BROKER_HELPER_QUEUE="+cfg.Queue)
	out, err := victim.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, victim.Start())
	lines := bufio.NewScanner(out)
	_, err = b.EnqueueUnique(ctx, broker.Task{Account: "orphan", Technology: "s3"}, "1", broker.EnqueueOptions{})
	require.NoError(t, err)
	started := false
	for !started && lines.Scan() {
		started = lines.Text() == "started orphan"
	}
	require.True(t, started, "the victim did not start the task")

	// asynq's lease of a running task is now + 30 s (asynqLeaseDuration).
	opt, err := redis.ParseURL(url)
	require.NoError(t, err)
	rc := redis.NewClient(opt)
	defer func() { _ = rc.Close() }()
	score, err := rc.ZScore(ctx, "asynq:{"+cfg.Queue+"}:lease", "orphan/s3/1").Result()
	require.NoError(t, err)
	require.InDelta(t, float64(time.Now().Add(30*time.Second).Unix()), score, 2, "asynq's task lease is 30 s")

	require.NoError(t, victim.Process.Kill())
	_ = victim.Wait()
	killed := time.Now()

	const lease = 8 * time.Second
	var mu sync.Mutex
	runs := map[string]int{}
	ran := make(chan string, 4)
	consumed := make(chan error, 1)
	go func() {
		consumed <- b.Consume(ctx, broker.ConsumeOptions{Concurrency: 2, TaskLease: lease}, func(ctx context.Context, task broker.Task, _ broker.Meta) error {
			mu.Lock()
			runs[task.Account]++
			mu.Unlock()
			if task.Account == "long" {
				// A live consumer's task running past two leases.
				select {
				case <-ctx.Done():
					return ctx.Err()
				case <-time.After(2*lease + 2*time.Second):
				}
			}
			ran <- task.Account
			return nil
		})
	}()
	_, err = b.EnqueueUnique(ctx, broker.Task{Account: "long", Technology: "s3"}, "1", broker.EnqueueOptions{})
	require.NoError(t, err)

	finished := map[string]time.Duration{}
	deadline := time.After(4 * lease)
	for len(finished) < 2 {
		select {
		case a := <-ran:
			finished[a] = time.Since(killed)
		case <-deadline:
			t.Fatalf("tasks finished after %s: %v", 4*lease, finished)
		}
	}
	t.Logf("the killed consumer's task ran %s after the kill (lease %s)", finished["orphan"].Round(100*time.Millisecond), lease)
	require.Less(t, finished["orphan"], 2*lease, "the orphan ran within two leases of the kill")
	cancel()
	require.NoError(t, <-consumed)
	mu.Lock()
	defer mu.Unlock()
	require.Equal(t, map[string]int{"orphan": 1, "long": 1}, runs, "each task ran once: the live consumer's long task was not taken from it")
}

// TestTaskFinishedDuringOutageRunsOnce: a task that ends while Redis is
// unreachable is recorded once Redis is back, and is not run a second time
// when its lease would have expired (asynq alone left it active, and the
// orphan recovery ran it again: a scan ran twice after a Redis restart).
func TestTaskFinishedDuringOutageRunsOnce(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("waits for a task lease")
	}
	mr := miniredis.RunT(t)
	b, err := broker.New(broker.Config{URL: "redis://" + mr.Addr() + "/0", Queue: randomName("outage-"),
		PollInterval: 100 * time.Millisecond}, discard())
	require.NoError(t, err)
	defer func() { _ = b.Close() }()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	var runs atomic.Int32
	ended := make(chan time.Time, 4)
	consumed := make(chan error, 1)
	// The outage is longer than the Redis client's own retries and shorter
	// than the lease less asynq's 5 s renewal period (as a restart is).
	const lease, outage = 10 * time.Second, 3 * time.Second
	go func() {
		consumed <- b.Consume(ctx, broker.ConsumeOptions{Concurrency: 1, ShutdownGrace: time.Second, TaskLease: lease},
			func(ctx context.Context, task broker.Task, _ broker.Meta) error {
				if runs.Add(1) == 1 {
					mr.Close() // Redis goes away while the task runs…
				}
				ended <- time.Now()
				return nil
			})
	}()
	ok, err := b.EnqueueUnique(ctx, broker.Task{Account: "outage", Technology: "s3"}, "1", broker.EnqueueOptions{Retention: time.Hour})
	require.NoError(t, err)
	require.True(t, ok)
	var end time.Time
	select {
	case end = <-ended:
	case <-time.After(20 * time.Second):
		t.Fatal("the task did not run")
	}
	time.Sleep(outage)
	require.NoError(t, mr.Restart()) // …and comes back, with its data, after the task ended.

	require.Eventually(t, func() bool {
		d, err := b.QueueDepth(ctx)
		return err == nil && d.Completed == 1 && d.Active == 0
	}, 10*time.Second, 50*time.Millisecond, "the task is recorded as completed")
	// A task left active would be put back about a lease after its last
	// renewal (recoverOrphans) and run at once.
	time.Sleep(time.Until(end.Add(lease + 5*time.Second)))
	require.Equal(t, int32(1), runs.Load(), "the task ran again")
	cancel()
	require.NoError(t, <-consumed)
}
