// Package worker consumes scan tasks from the broker and runs them through
// the pipeline: one task = one (account, technology), with retries, a
// per-task timeout, bounded concurrency and a graceful shutdown. It records
// every scan's start and end for `monkey status`.
package worker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/secmonkey/monkey/internal/broker"
	"github.com/secmonkey/monkey/internal/metrics"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/pipeline"
	"github.com/secmonkey/monkey/internal/scheduler"
)

// Result counts what one task did (the fields of pipeline.TaskResult the
// worker records), with the changes it made for the change report.
type Result struct {
	Items, New, Changed, Ephemeral, Deleted, Issues, Errors int
	Changes                                                 *pipeline.Changes
}

// Reporter reports the changes of a successful task (change reports). The
// scan id identifies the task's slot; reporting the same result twice must
// notify once.
type Reporter interface {
	ReportChanges(ctx context.Context, scanID string, ch *pipeline.Changes) (int, error)
}

// Runner runs one scan task.
type Runner interface {
	RunTask(ctx context.Context, account, technology string) (Result, error)
}

// RunnerFunc adapts a function to Runner.
type RunnerFunc func(ctx context.Context, account, technology string) (Result, error)

// RunTask implements Runner.
func (f RunnerFunc) RunTask(ctx context.Context, account, technology string) (Result, error) {
	return f(ctx, account, technology)
}

// Store is what the worker needs from the database.
type Store interface {
	Account(ctx context.Context, id int64) (monkey.Account, error)
	AccountByName(ctx context.Context, name string) (monkey.Account, error)
	ScanStarted(ctx context.Context, accountID int64, technology string, at time.Time) error
	ScanFinished(ctx context.Context, accountID int64, technology string, at time.Time, outcome string, items int, errText string) error
	Heartbeat(ctx context.Context, p monkey.Process) error
	RemoveProcess(ctx context.Context, id string) error
}

// Consumer is what the worker needs from the broker.
type Consumer interface {
	Consume(ctx context.Context, opts broker.ConsumeOptions, h broker.Handler) error
}

// Config configures a Worker.
type Config struct {
	ID            string        // process id (default host:pid:random)
	Concurrency   int           // tasks at once (worker_concurrency, default 10)
	ShutdownGrace time.Duration // finish-or-hand-back period (default 30 s)
	// HeartbeatEvery is the period of the process row refresh (default 10 s).
	HeartbeatEvery time.Duration
	// RetryDelay is the backoff before retry n (default broker.DefaultRetryDelay).
	RetryDelay func(n int) time.Duration
	// BusyDelay is how long a task waits before trying again when another
	// scan of its pair is running (default 5 s, at most an eighth of the
	// task lease).
	BusyDelay time.Duration
	// TaskLease is how long the task of a worker that stopped without
	// handing it back (killed, crashed) stays with it before another worker
	// takes it (default 30 s; see broker.ConsumeOptions).
	TaskLease time.Duration
	Now       func() time.Time
}

// WithDefaults fills the zero fields.
func (c Config) WithDefaults() Config {
	if c.ID == "" {
		c.ID = scheduler.ProcessID()
	}
	if c.Concurrency < 1 {
		c.Concurrency = 10
	}
	if c.ShutdownGrace <= 0 {
		c.ShutdownGrace = 30 * time.Second
	}
	if c.HeartbeatEvery <= 0 {
		c.HeartbeatEvery = 10 * time.Second
	}
	if c.TaskLease <= 0 {
		c.TaskLease = 30 * time.Second
	}
	if c.BusyDelay <= 0 {
		c.BusyDelay = min(5*time.Second, c.TaskLease/8)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// Worker is one worker process.
type Worker struct {
	cfg     Config
	store   Store
	q       Consumer
	run     Runner
	rep     Reporter
	log     *slog.Logger
	m       *metrics.Metrics
	started time.Time

	mu       sync.Mutex
	inFlight map[string]broker.InFlight
	done     int
}

// New returns a worker; call Run. rep, when not nil, is told the changes
// of every successful task.
func New(cfg Config, st Store, q Consumer, run Runner, rep Reporter, logger *slog.Logger, m *metrics.Metrics) (*Worker, error) {
	if st == nil || q == nil || run == nil {
		return nil, errors.New("worker: store, broker and runner required")
	}
	cfg = cfg.WithDefaults()
	return &Worker{
		cfg: cfg, store: st, q: q, run: run, rep: rep, m: m,
		log:      logger.With("component", "worker", "worker_id", cfg.ID),
		started:  cfg.Now().UTC(),
		inFlight: map[string]broker.InFlight{},
	}, nil
}

// ID returns the process id of the worker.
func (w *Worker) ID() string { return w.cfg.ID }

// Run consumes tasks until ctx is cancelled, then lets in-flight tasks
// finish within the grace period (unfinished ones go back to the queue) and
// removes the heartbeat row.
func (w *Worker) Run(ctx context.Context) error {
	hbCtx, stopHB := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(w.cfg.HeartbeatEvery)
		defer t.Stop()
		for {
			w.heartbeat(hbCtx)
			select {
			case <-hbCtx.Done():
				return
			case <-t.C:
			}
		}
	}()
	w.log.Info("worker started", "concurrency", w.cfg.Concurrency)
	err := w.q.Consume(ctx, broker.ConsumeOptions{
		Concurrency:   w.cfg.Concurrency,
		ShutdownGrace: w.cfg.ShutdownGrace,
		RetryDelay:    w.cfg.RetryDelay,
		TaskLease:     w.cfg.TaskLease,
	}, w.Handle)
	stopHB()
	wg.Wait()
	rmCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if rerr := w.store.RemoveProcess(rmCtx, w.cfg.ID); rerr != nil {
		w.log.Warn("remove worker process row failed", "error", rerr)
	}
	w.log.Info("worker stopped")
	return err
}

// Handle runs one task (the broker handler).
func (w *Worker) Handle(ctx context.Context, t broker.Task, meta broker.Meta) error {
	start := w.cfg.Now().UTC()
	log := w.log.With("account", t.Account, "technology", t.Technology, "job_id", meta.ID, "attempt", meta.Retried+1)
	w.track(meta.ID, t, start, true)
	defer w.track(meta.ID, t, start, false)

	// The task names the account by id: renamed since it was queued, it
	// is scanned under its new name.
	var acct monkey.Account
	var err error
	if t.AccountID > 0 {
		acct, err = w.store.Account(ctx, t.AccountID)
	} else {
		acct, err = w.store.AccountByName(ctx, t.Account)
	}
	if err == nil && acct.Name != t.Account {
		log = log.With("account", acct.Name, "queued_as", t.Account)
		t.Account = acct.Name
	}
	switch {
	case monkey.ErrorCode(err) == monkey.ENOTFOUND:
		log.Warn("scan dropped: account no longer exists")
		w.m.TaskDone(t.Technology, "dropped", 0)
		return fmt.Errorf("account %q: %w", t.Account, broker.ErrPermanent)
	case err != nil:
		w.m.TaskDone(t.Technology, "retry", 0)
		return fmt.Errorf("scan %s/%s: %w", t.Account, t.Technology, err)
	case !acct.Active:
		log.Info("scan skipped: account inactive")
		w.m.TaskDone(t.Technology, "skipped", 0)
		return nil
	}
	if err := w.store.ScanStarted(ctx, acct.ID, t.Technology, start); err != nil {
		w.m.TaskDone(t.Technology, "retry", 0)
		return fmt.Errorf("scan %s/%s: %w", t.Account, t.Technology, err)
	}
	log.Info("scan started")
	res, runErr := w.run.RunTask(ctx, t.Account, t.Technology)
	for errors.Is(runErr, monkey.ErrScanRunning) && meta.Retried >= meta.MaxRetry && ctx.Err() == nil {
		// The last attempt cannot be snoozed (the queue would archive it):
		// wait here for the other scan instead.
		wait := time.NewTimer(w.cfg.BusyDelay)
		select {
		case <-ctx.Done():
		case <-wait.C:
			res, runErr = w.run.RunTask(ctx, t.Account, t.Technology)
		}
		wait.Stop()
	}
	end := w.cfg.Now().UTC()
	if errors.Is(runErr, monkey.ErrScanRunning) {
		// Another scan (a worker, find-changes…) is writing the pair: run
		// again later, without counting a failed attempt.
		recCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		msg := fmt.Sprintf("%s; trying again in %s", runErr, w.cfg.BusyDelay)
		if err := w.store.ScanFinished(recCtx, acct.ID, t.Technology, end, "waiting", res.Items, msg); err != nil {
			log.Warn("record scan end failed", "error", err)
		}
		w.m.TaskDone(t.Technology, "snoozed", 0)
		log.Info("scan postponed", "reason", runErr, "retry_in", w.cfg.BusyDelay)
		return broker.Snooze(w.cfg.BusyDelay, runErr)
	}
	outcome, errText := "ok", ""
	if runErr != nil {
		outcome, errText = "error", runErr.Error()
		if meta.Retried < meta.MaxRetry && !permanent(runErr) {
			errText = fmt.Sprintf("%s (attempt %d of %d, will retry)", errText, meta.Retried+1, meta.MaxRetry+1)
		}
	}
	// Record the end even when ctx timed out or is shutting down.
	recCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := w.store.ScanFinished(recCtx, acct.ID, t.Technology, end, outcome, res.Items, errText); err != nil {
		log.Warn("record scan end failed", "error", err)
	}
	w.m.TaskDone(t.Technology, outcome, end.Sub(start))
	if runErr != nil {
		log.Warn("scan failed", "error", runErr, "duration", end.Sub(start))
		if permanent(runErr) {
			return fmt.Errorf("scan %s/%s: %w: %w", t.Account, t.Technology, runErr, broker.ErrPermanent)
		}
		return fmt.Errorf("scan %s/%s: %w", t.Account, t.Technology, runErr)
	}
	w.mu.Lock()
	w.done++
	w.mu.Unlock()
	w.report(ctx, log, meta.ID, res.Changes)
	log.Info("scan finished", "items", res.Items, "new", res.New, "changed", res.Changed,
		"deleted", res.Deleted, "issues", res.Issues, "errors", res.Errors, "duration", end.Sub(start))
	return nil
}

// report hands the task's changes to the reporter. A report that cannot be
// made is logged: it never fails the scan.
func (w *Worker) report(ctx context.Context, log *slog.Logger, scanID string, ch *pipeline.Changes) {
	if w.rep == nil || ch == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	if n, err := w.rep.ReportChanges(ctx, scanID, ch); err != nil {
		log.Warn("change report failed", "error", err)
	} else if n > 0 {
		log.Info("change report queued", "notifications", n)
	}
}

// permanent reports errors a retry cannot fix.
func permanent(err error) bool {
	if errors.Is(err, broker.ErrPermanent) {
		return true
	}
	var e *monkey.Error
	if errors.As(err, &e) {
		return e.Code == monkey.EINVALID || e.Code == monkey.ENOTFOUND
	}
	return false
}

func (w *Worker) track(id string, t broker.Task, start time.Time, add bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if add {
		w.inFlight[id] = broker.InFlight{TaskID: id, Account: t.Account, Technology: t.Technology, Started: start}
	} else {
		delete(w.inFlight, id)
	}
}

// InFlight returns the tasks running now, oldest first.
func (w *Worker) InFlight() []broker.InFlight {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := make([]broker.InFlight, 0, len(w.inFlight))
	for _, f := range w.inFlight {
		out = append(out, f)
	}
	slices.SortFunc(out, func(a, b broker.InFlight) int { return a.Started.Compare(b.Started) })
	return out
}

// Completed returns the number of tasks that finished successfully.
func (w *Worker) Completed() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.done
}

// Info is what a worker's heartbeat row says about it (monkey.Process.Info
// as JSON), read back by `monkey status` when the broker is unreachable.
type Info struct {
	Concurrency int               `json:"concurrency"`
	InFlight    []broker.InFlight `json:"in_flight"`
	Completed   int               `json:"completed"`
}

// ParseInfo reads the Info of a worker's heartbeat row (an empty Info with
// the error when it does not parse).
func ParseInfo(raw string) (Info, error) {
	var i Info
	err := json.Unmarshal([]byte(raw), &i)
	if err != nil {
		i, err = Info{}, fmt.Errorf("worker heartbeat info: %w", err)
	}
	if i.InFlight == nil {
		i.InFlight = []broker.InFlight{}
	}
	return i, err
}

func (w *Worker) heartbeat(ctx context.Context) {
	info, _ := json.Marshal(Info{Concurrency: w.cfg.Concurrency, InFlight: w.InFlight(), Completed: w.Completed()})
	host, _ := os.Hostname()
	if err := w.store.Heartbeat(ctx, monkey.Process{
		Kind: "worker", ID: w.cfg.ID, Host: host, PID: os.Getpid(),
		StartedAt: w.started, SeenAt: w.cfg.Now().UTC(), Info: string(info),
	}); err != nil && ctx.Err() == nil {
		w.log.Warn("worker heartbeat failed", "error", err)
	}
}
