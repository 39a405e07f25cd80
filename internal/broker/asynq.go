package broker

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"
)

// Config configures the asynq adapter.
type Config struct {
	// URL is redis://[:password@]host:port/db or rediss://… for TLS.
	URL string
	// Queue is the asynq queue name (default "scans").
	Queue string
	// TaskTimeout bounds one task (default 30 minutes).
	TaskTimeout time.Duration
	// MaxRetry is the number of retries of a failed task (default 3).
	MaxRetry int
	// Retention is the default time a finished task id is kept to reject
	// duplicates (default 1 hour).
	Retention time.Duration
	// PollInterval is how often an idle consumer polls for tasks and
	// forwards due retries (default 1 s).
	PollInterval time.Duration
}

// WithDefaults fills the zero fields.
func (c Config) WithDefaults() Config {
	if c.Queue == "" {
		c.Queue = DefaultQueue
	}
	if c.TaskTimeout <= 0 {
		c.TaskTimeout = 30 * time.Minute
	}
	if c.MaxRetry <= 0 {
		c.MaxRetry = DefaultMaxRetry
	}
	if c.Retention <= 0 {
		c.Retention = time.Hour
	}
	if c.PollInterval <= 0 {
		c.PollInterval = time.Second
	}
	return c
}

func (c Config) validate() error {
	if c.URL == "" {
		return errors.New("broker url is empty")
	}
	if !strings.HasPrefix(c.URL, "redis://") && !strings.HasPrefix(c.URL, "rediss://") {
		return errors.New("broker url must start with redis:// or rediss://")
	}
	return nil
}

// Asynq is the Broker over Redis through github.com/hibiken/asynq.
type Asynq struct {
	cfg       Config
	logger    *slog.Logger
	rdb       *redis.Client
	client    *asynq.Client
	inspector *asynq.Inspector

	// life is cancelled by Close, which then waits for the consumers so
	// that no asynq goroutine outlives the connection.
	life      context.Context
	kill      context.CancelFunc
	consumers sync.WaitGroup
	closeOnce sync.Once
	stopSim   func() // embedded miniredis, if any
}

var _ Broker = (*Asynq)(nil)

// New connects to the Redis named by cfg.URL. It does not fail when Redis is
// down: the connection is retried on use, so a broker that goes away and
// comes back needs no restart.
func New(cfg Config, logger *slog.Logger) (*Asynq, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	opt, err := redis.ParseURL(cfg.URL)
	if err != nil {
		return nil, fmt.Errorf("parse broker url: %w", err)
	}
	opt.DialTimeout = 2 * time.Second
	opt.ReadTimeout = 5 * time.Second
	opt.WriteTimeout = 5 * time.Second
	rdb := redis.NewClient(opt)
	life, kill := context.WithCancel(context.Background())
	return &Asynq{
		life:      life,
		kill:      kill,
		cfg:       cfg,
		logger:    logger.With("component", "broker"),
		rdb:       rdb,
		client:    asynq.NewClientFromRedisClient(rdb),
		inspector: asynq.NewInspectorFromRedisClient(rdb),
	}, nil
}

// NewEmbedded starts an in-process Redis (miniredis) with a random
// password and connects to it.
// Close stops it. Keys with a TTL expire through a FastForward ticker, as
// miniredis only expires keys when told.
func NewEmbedded(cfg Config, logger *slog.Logger) (*Asynq, error) {
	m := miniredis.NewMiniRedis()
	// It listens on loopback: a random password keeps other local users
	// from enqueueing or purging.
	pw := make([]byte, 24)
	if _, err := rand.Read(pw); err != nil {
		return nil, fmt.Errorf("start embedded redis: password: %w", err)
	}
	password := hex.EncodeToString(pw)
	m.RequireAuth(password)
	if err := m.Start(); err != nil {
		return nil, fmt.Errorf("start embedded redis: %w", err)
	}
	cfg.URL = "redis://:" + password + "@" + m.Addr() + "/0"
	b, err := New(cfg, logger)
	if err != nil {
		m.Close()
		return nil, err
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		const step = 500 * time.Millisecond
		t := time.NewTicker(step)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				m.FastForward(step)
			}
		}
	}()
	b.stopSim = func() {
		close(done)
		wg.Wait()
		m.Close()
	}
	b.logger.Info("embedded broker started", "addr", m.Addr())
	return b, nil
}

// Queue returns the queue name.
func (b *Asynq) Queue() string { return b.cfg.Queue }

// EnqueueUnique implements Broker.
func (b *Asynq) EnqueueUnique(ctx context.Context, t Task, slot string, opts EnqueueOptions) (bool, error) {
	if err := t.Validate(); err != nil {
		return false, err
	}
	if slot == "" {
		return false, errors.New("enqueue scan: empty slot")
	}
	p, err := t.payload()
	if err != nil {
		return false, err
	}
	keep := opts.Retention
	if keep <= 0 {
		keep = b.cfg.Retention
	}
	id := t.ID(slot)
	enqueue := func() (bool, error) {
		_, err := b.client.EnqueueContext(ctx, asynq.NewTask(TaskType, p),
			asynq.TaskID(id),
			asynq.Queue(b.cfg.Queue),
			asynq.MaxRetry(b.cfg.MaxRetry),
			asynq.Timeout(b.cfg.TaskTimeout),
			asynq.Retention(keep),
		)
		switch {
		case errors.Is(err, asynq.ErrTaskIDConflict), errors.Is(err, asynq.ErrDuplicateTask):
			return false, nil
		case err != nil:
			return false, fmt.Errorf("enqueue scan %s: %w", id, err)
		}
		return true, nil
	}
	ok, err := enqueue()
	if ok || err != nil || !opts.ReplaceFinished {
		return ok, err
	}
	st, err := b.TaskState(ctx, id)
	if err != nil || (st != TaskCompleted && st != TaskArchived) {
		return false, err
	}
	if err := b.inspector.DeleteTask(b.cfg.Queue, id); err != nil && !errors.Is(err, asynq.ErrTaskNotFound) {
		return false, fmt.Errorf("enqueue scan %s: replace finished task: %w", id, err)
	}
	return enqueue()
}

// TaskState implements Broker.
func (b *Asynq) TaskState(ctx context.Context, id string) (TaskState, error) {
	if err := ctx.Err(); err != nil {
		return TaskAbsent, err
	}
	info, err := b.inspector.GetTaskInfo(b.cfg.Queue, id)
	switch {
	case errors.Is(err, asynq.ErrTaskNotFound), errors.Is(err, asynq.ErrQueueNotFound):
		return TaskAbsent, nil
	case err != nil:
		return TaskAbsent, fmt.Errorf("state of task %s: %w", id, err)
	}
	switch info.State {
	case asynq.TaskStateActive:
		return TaskActive, nil
	case asynq.TaskStatePending, asynq.TaskStateAggregating:
		return TaskPending, nil
	case asynq.TaskStateScheduled:
		return TaskScheduled, nil
	case asynq.TaskStateRetry:
		return TaskRetry, nil
	case asynq.TaskStateArchived:
		return TaskArchived, nil
	case asynq.TaskStateCompleted:
		return TaskCompleted, nil
	}
	return TaskAbsent, fmt.Errorf("state of task %s: unknown state %v", id, info.State)
}

// Consume implements Broker.
func (b *Asynq) Consume(ctx context.Context, opts ConsumeOptions, h Handler) error {
	opts = opts.WithDefaults()
	b.consumers.Add(1)
	defer b.consumers.Done()
	if b.life.Err() != nil {
		return errors.New("consume: broker closed")
	}
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	defer context.AfterFunc(b.life, stop)()
	// Task contexts outlive ctx for the grace period; they are cancelled
	// when the grace period ends and the task is handed back.
	base, cancelBase := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelBase()
	var healthMu sync.Mutex
	healthy := true
	srv := asynq.NewServerFromRedisClient(b.rdb, asynq.Config{
		Concurrency:              opts.Concurrency,
		BaseContext:              func() context.Context { return base },
		Queues:                   map[string]int{b.cfg.Queue: 1},
		ShutdownTimeout:          opts.ShutdownGrace,
		TaskCheckInterval:        b.cfg.PollInterval,
		DelayedTaskCheckInterval: b.cfg.PollInterval,
		RetryDelayFunc: func(n int, err error, _ *asynq.Task) time.Duration {
			if s, ok := errors.AsType[*SnoozeError](err); ok {
				return s.Delay
			}
			return opts.RetryDelay(n + 1)
		},
		// A snoozed task is not a failure: its attempt is not counted.
		IsFailure: func(err error) bool {
			_, snoozed := errors.AsType[*SnoozeError](err)
			return err != nil && !snoozed
		},
		HealthCheckInterval: 5 * time.Second,
		HealthCheckFunc: func(err error) {
			healthMu.Lock()
			defer healthMu.Unlock()
			switch {
			case err != nil && healthy:
				b.logger.Warn("broker unreachable, retrying", "error", err)
			case err == nil && !healthy:
				b.logger.Info("broker reachable again")
			}
			healthy = err == nil
		},
		Logger:   asynqLogger{b.logger},
		LogLevel: asynq.ErrorLevel,
	})
	handler := asynq.HandlerFunc(func(tctx context.Context, at *asynq.Task) error {
		t, err := parseTask(at.Payload())
		if err != nil {
			return fmt.Errorf("%w: %w", err, asynq.SkipRetry)
		}
		var m Meta
		m.ID, _ = asynq.GetTaskID(tctx)
		m.Retried, _ = asynq.GetRetryCount(tctx)
		m.MaxRetry, _ = asynq.GetMaxRetry(tctx)
		err = h(tctx, t, m)
		b.awaitReachable(tctx)
		if err != nil {
			if errors.Is(err, ErrPermanent) {
				return fmt.Errorf("%w: %w", err, asynq.SkipRetry)
			}
			return err
		}
		return nil
	})
	if err := srv.Start(handler); err != nil {
		return fmt.Errorf("start consumer: %w", err)
	}
	var sweeper sync.WaitGroup
	sweeper.Go(func() { b.recoverOrphans(ctx, opts.TaskLease, b.cfg.MaxRetry) })
	<-ctx.Done()
	sweeper.Wait()
	srv.Stop()
	srv.Shutdown() // waits up to ShutdownGrace, then hands tasks back
	return nil
}

// awaitReachable returns once Redis answers, or after
// outcomeWait: asynq records a task's outcome right after its handler
// returns, and when that write fails it retries it with a context it has
// already cancelled (asynq v0.26, processor.markAsComplete), so a task that
// finished while Redis was unreachable stayed active and was run a second
// time once its lease expired (recoverOrphans). Waiting here, while asynq
// still extends the task's lease, lets the write find Redis back after a
// short outage (a restart); after a longer one the task may run again, as
// any task of a stopped worker does.
func (b *Asynq) awaitReachable(tctx context.Context) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(tctx), outcomeWait)
	defer cancel()
	for delay := 50 * time.Millisecond; ; delay = min(2*delay, time.Second) {
		pctx, pcancel := context.WithTimeout(ctx, time.Second)
		err := b.rdb.Ping(pctx).Err()
		pcancel()
		if err == nil {
			return
		}
		select {
		case <-ctx.Done():
			b.logger.Warn("broker unreachable when a task ended: it may run again", "error", err)
			return
		case <-time.After(delay):
		}
	}
}

// outcomeWait is how long a finished task waits for an unreachable Redis
// (awaitReachable): well within the lease asynq last extended (every 5 s,
// for asynqLeaseDuration), past which it would not record the outcome.
const outcomeWait = asynqLeaseDuration / 2

// asynqLeaseDuration is the lease asynq gives a running task and extends
// every 5 s while its consumer lives (asynq's internal rdb.LeaseDuration;
// TestLeaseScoreIsAsynqs checks it).
const asynqLeaseDuration = 30 * time.Second

// recoverOrphansScript puts back the running tasks whose lease was last
// extended before a cutoff: their consumer stopped (kill -9, crash, lost
// host). Each goes to the head of the pending list, so the next free
// consumer runs it; a task recovered more than ARGV[4] times (it kills
// its consumers) is archived instead. A task found in the lease set but no
// longer active is left alone (a consumer finished it meanwhile).
//
// KEYS: lease zset, active list, pending list, archived zset.
// ARGV: cutoff (unix s), task key prefix, now (unix s), max recoveries,
// now (unix ns).
var recoverOrphansScript = redis.NewScript(`
local out = {}
local ids = redis.call("ZRANGEBYSCORE", KEYS[1], "-inf", "(" .. ARGV[1])
for _, id in ipairs(ids) do
  if redis.call("LREM", KEYS[2], 0, id) > 0 then
    redis.call("ZREM", KEYS[1], id)
    local key = ARGV[2] .. id
    local n = redis.call("HINCRBY", key, "monkey_recovered", 1)
    if n > tonumber(ARGV[4]) then
      redis.call("ZADD", KEYS[4], ARGV[3], id)
      redis.call("HSET", key, "state", "archived")
      table.insert(out, "archived:" .. id)
    else
      redis.call("RPUSH", KEYS[3], id)
      redis.call("HSET", key, "state", "pending", "pending_since", ARGV[5])
      table.insert(out, id)
    end
  end
end
return out`)

// recoverOrphans runs recoverOrphansScript ten times a lease (one cheap
// script call) until ctx ends. asynq's own recoverer does the same once a minute for tasks whose
// lease expired 30 s ago: one to two minutes after a kill, whatever the
// lease. A live consumer extends its tasks' leases to now+30 s every 5 s,
// so a lease score below now + 30 s − lease means no extension for a
// whole lease (minus a second for the score's rounding to seconds).
func (b *Asynq) recoverOrphans(ctx context.Context, lease time.Duration, maxRecoveries int) {
	t := time.NewTicker(lease / 10)
	defer t.Stop()
	q := b.cfg.Queue
	prefix := "asynq:{" + q + "}:"
	keys := []string{prefix + "lease", prefix + "active", prefix + "pending", prefix + "archived"}
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		now := time.Now()
		cutoff := now.Add(asynqLeaseDuration - lease - time.Second).Unix()
		res, err := recoverOrphansScript.Run(ctx, b.rdb, keys, cutoff, prefix+"t:", now.Unix(), maxRecoveries, now.UnixNano()).StringSlice()
		if err != nil {
			if ctx.Err() == nil {
				b.logger.Warn("recover the tasks of stopped workers failed", "error", err)
			}
			continue
		}
		for _, id := range res {
			if a, ok := strings.CutPrefix(id, "archived:"); ok {
				b.logger.Error("task archived: its workers stopped while running it too often", "job_id", a, "recoveries", maxRecoveries+1)
				continue
			}
			b.logger.Warn("task of a stopped worker put back on the queue", "job_id", id, "task_lease", lease)
		}
	}
}

// QueueDepth implements Broker.
func (b *Asynq) QueueDepth(ctx context.Context) (Depth, error) {
	if err := ctx.Err(); err != nil {
		return Depth{}, err
	}
	d := Depth{Queue: b.cfg.Queue}
	qi, err := b.inspector.GetQueueInfo(b.cfg.Queue)
	switch {
	case errors.Is(err, asynq.ErrQueueNotFound):
		return d, nil
	case err != nil:
		return d, fmt.Errorf("queue depth %s: %w", b.cfg.Queue, err)
	}
	d.Pending, d.Active, d.Scheduled = qi.Pending, qi.Active, qi.Scheduled
	d.Retry, d.Archived, d.Completed = qi.Retry, qi.Archived, qi.Completed
	return d, nil
}

// Purge implements Broker.
func (b *Asynq) Purge(ctx context.Context) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	total := 0
	for _, del := range []func(string) (int, error){
		b.inspector.DeleteAllPendingTasks,
		b.inspector.DeleteAllScheduledTasks,
		b.inspector.DeleteAllRetryTasks,
	} {
		n, err := del(b.cfg.Queue)
		if err != nil && !errors.Is(err, asynq.ErrQueueNotFound) {
			return total, fmt.Errorf("purge queue %s: %w", b.cfg.Queue, err)
		}
		total += n
	}
	return total, nil
}

// Workers implements Broker.
func (b *Asynq) Workers(ctx context.Context) ([]Worker, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	servers, err := b.inspector.Servers()
	if err != nil {
		return nil, fmt.Errorf("list workers: %w", err)
	}
	out := make([]Worker, 0, len(servers))
	for _, s := range servers {
		if _, ok := s.Queues[b.cfg.Queue]; !ok {
			continue
		}
		w := Worker{ID: s.ID, Host: s.Host, PID: s.PID, Concurrency: s.Concurrency, Started: s.Started.UTC(), Status: s.Status}
		for _, a := range s.ActiveWorkers {
			f := InFlight{TaskID: a.TaskID, Started: a.Started.UTC(), Deadline: a.Deadline.UTC()}
			if t, err := parseTask(a.TaskPayload); err == nil {
				f.Account, f.Technology = t.Account, t.Technology
			}
			w.InFlight = append(w.InFlight, f)
		}
		out = append(out, w)
	}
	return out, nil
}

// Ping implements Broker.
func (b *Asynq) Ping(ctx context.Context) error {
	if err := b.rdb.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("ping broker: %w", err)
	}
	return nil
}

// Close implements Broker. It is safe to call twice.
func (b *Asynq) Close() error {
	var err error
	b.closeOnce.Do(func() {
		b.kill()
		b.consumers.Wait()
		err = b.rdb.Close()
		if b.stopSim != nil {
			b.stopSim()
		}
	})
	return err
}

// asynqLogger routes asynq's own log lines to slog.
type asynqLogger struct{ l *slog.Logger }

func (a asynqLogger) Debug(args ...any) { a.l.Debug(fmt.Sprint(args...)) }
func (a asynqLogger) Info(args ...any)  { a.l.Info(fmt.Sprint(args...)) }
func (a asynqLogger) Warn(args ...any)  { a.l.Warn(fmt.Sprint(args...)) }
func (a asynqLogger) Error(args ...any) { a.l.Error(fmt.Sprint(args...)) }

// Fatal logs at error level; a library must not exit the process.
func (a asynqLogger) Fatal(args ...any) { a.l.Error(fmt.Sprint(args...)) }
