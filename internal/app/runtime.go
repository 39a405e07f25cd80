package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/secmonkey/monkey/internal/broker"
	"github.com/secmonkey/monkey/internal/config"
	"github.com/secmonkey/monkey/internal/metrics"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/scheduler"
	"github.com/secmonkey/monkey/internal/server"
	"github.com/secmonkey/monkey/internal/store"
	"github.com/secmonkey/monkey/internal/worker"
)

// runtimeCommands adds the distributed-runtime commands (api, scheduler,
// worker, all, status, enqueue).
func runtimeCommands(t map[string]command) {
	t["api"] = command{"serve the REST API and sign-in pages with /healthz, /readyz and /metrics", cmdAPI}
	t["run_api_server"] = command{"alias of api (Security Monkey name)", cmdAPI}
	t["scheduler"] = command{"put due scans on the broker (any number may run; one leads)", cmdScheduler}
	t["worker"] = command{"run scan tasks from the broker", cmdWorker}
	t["all"] = command{"api + scheduler + worker in one process (embedded broker by default)", cmdAll}
	t["status"] = command{"show database, broker, scheduler, workers, queue and last scans", cmdStatus}
	t["enqueue"] = command{"put scans of chosen accounts and technologies on the broker now", cmdEnqueue}
}

// runtimeConfig holds the runtime settings that are not (yet) part of
// config.Config; they are read from the environment here.
type runtimeConfig struct {
	APIToken      config.Secret // MONKEY_API_TOKEN
	LeaseTTL      time.Duration // MONKEY_SCHEDULER_LEASE_TTL (default 30s)
	Tick          time.Duration // MONKEY_SCHEDULER_TICK (default LeaseTTL/3)
	ShutdownGrace time.Duration // MONKEY_SHUTDOWN_GRACE (default 30s)
	RetryDelay    time.Duration // MONKEY_RETRY_DELAY: first backoff (default 10s, doubling)
	// ClockScale makes the scheduler's clock run N times faster from
	// ClockRef (MONKEY_SCHEDULER_CLOCK_SCALE, MONKEY_SCHEDULER_CLOCK_REF in
	// RFC 3339): a testing and demo aid to see several intervals pass.
	ClockScale float64
	ClockRef   time.Time
}

func loadRuntimeConfig(getenv func(string) string) (runtimeConfig, error) {
	rc := runtimeConfig{APIToken: config.Secret(getenv("MONKEY_API_TOKEN"))}
	var errs []error
	for _, d := range []struct {
		env string
		dst *time.Duration
	}{
		{"MONKEY_SCHEDULER_LEASE_TTL", &rc.LeaseTTL},
		{"MONKEY_SCHEDULER_TICK", &rc.Tick},
		{"MONKEY_SHUTDOWN_GRACE", &rc.ShutdownGrace},
		{"MONKEY_RETRY_DELAY", &rc.RetryDelay},
	} {
		v := getenv(d.env)
		if v == "" {
			continue
		}
		x, err := time.ParseDuration(v)
		if err != nil || x <= 0 {
			errs = append(errs, fmt.Errorf("%s: %q is not a positive duration", d.env, v))
			continue
		}
		*d.dst = x
	}
	if v := getenv("MONKEY_SCHEDULER_CLOCK_SCALE"); v != "" {
		x, err := strconv.ParseFloat(v, 64)
		if err != nil || x < 1 || x > 3600 {
			errs = append(errs, fmt.Errorf("MONKEY_SCHEDULER_CLOCK_SCALE: %q is not a number between 1 and 3600", v))
		}
		rc.ClockScale = x
		rc.ClockRef = time.Now().UTC()
		if r := getenv("MONKEY_SCHEDULER_CLOCK_REF"); r != "" {
			t, err := time.Parse(time.RFC3339, r)
			if err != nil {
				errs = append(errs, fmt.Errorf("MONKEY_SCHEDULER_CLOCK_REF: %w", err))
			}
			rc.ClockRef = t
		}
	}
	return rc, errors.Join(errs...)
}

// schedulerClock is the scheduler's clock: time.Now, or a faster one.
func (rc runtimeConfig) schedulerClock() func() time.Time {
	if rc.ClockScale <= 1 {
		return time.Now
	}
	ref, scale := rc.ClockRef, rc.ClockScale
	return func() time.Time {
		return ref.Add(time.Duration(float64(time.Since(ref)) * scale))
	}
}

func (rc runtimeConfig) retryDelay() func(int) time.Duration {
	if rc.RetryDelay <= 0 {
		return broker.DefaultRetryDelay
	}
	base := rc.RetryDelay
	return func(n int) time.Duration {
		if n < 1 {
			n = 1
		}
		if n > 10 {
			n = 10
		}
		return min(base<<(n-1), 5*time.Minute)
	}
}

func (a *App) brokerConfig() broker.Config {
	return broker.Config{URL: a.Config.BrokerURL.Reveal(), TaskTimeout: a.Config.TaskTimeout}
}

// sharedBroker connects to the configured Redis. Processes that only make
// sense with other processes (scheduler, worker, enqueue) need one.
func (a *App) sharedBroker(what string) (*broker.Asynq, error) {
	if a.Config.BrokerURL.Reveal() == "" {
		return nil, usagef("%s needs a shared broker: set MONKEY_BROKER_URL (broker_url) to redis://host:6379/0, or run `monkey all` for everything in one process", what)
	}
	b, err := broker.New(a.brokerConfig(), a.Logger)
	if err != nil {
		return nil, fmt.Errorf("broker: %w", err)
	}
	a.onClose(func() { _ = b.Close() })
	return b, nil
}

func depthFunc(b broker.Broker) metrics.DepthFunc {
	return func(ctx context.Context) (map[string]map[string]int, error) {
		d, err := b.QueueDepth(ctx)
		if err != nil {
			return nil, err
		}
		return map[string]map[string]int{d.Queue: d.States()}, nil
	}
}

func readiness(st *store.Store, b broker.Broker) map[string]server.Check {
	return map[string]server.Check{
		"database": func(ctx context.Context) error { return st.Ping(ctx) },
		"broker":   func(ctx context.Context) error { return b.Ping(ctx) },
	}
}

// serveUntilDone starts srv, runs f, and stops srv when f returns.
func serveUntilDone(ctx context.Context, srv *server.Server, f func(ctx context.Context) error) error {
	if err := srv.Start(ctx); err != nil {
		return err
	}
	err := f(ctx)
	stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	return errors.Join(err, srv.Stop(stopCtx))
}

// scanEnqueuer is the admin endpoint's action: plan and enqueue now.
func (a *App) scanEnqueuer(st *store.Store, b broker.Broker) server.ScanEnqueuer {
	return func(ctx context.Context, req server.ScanRequest) (server.ScanResponse, error) {
		tasks, err := scheduler.Plan(ctx, st, a.Technologies(), req.Accounts, req.Technologies)
		if err != nil {
			return server.ScanResponse{}, err
		}
		r, err := scheduler.EnqueueNow(ctx, b, tasks)
		if err != nil {
			return server.ScanResponse{}, err
		}
		return server.ScanResponse{Enqueued: len(r.Enqueued), Duplicates: len(r.Queued) + len(r.Running),
			Tasks: r.Enqueued, Queued: r.Queued, Running: r.Running}, nil
	}
}

func cmdAPI(ctx context.Context, a *App, args []string) error {
	fs := newFlags("api", a.Stderr)
	migrate := fs.Bool("migrate", false, "apply pending migrations before starting")
	addr := fs.String("listen", a.Config.APIAddr, "address to serve on (api_addr)")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	rc, err := loadRuntimeConfig(os.Getenv)
	if err != nil {
		return err
	}
	st, err := a.Store(ctx, *migrate)
	if err != nil {
		return err
	}
	m := metrics.New()
	deps := server.Deps{Registry: m.Registry, Logger: a.Logger, Checks: map[string]server.Check{
		"database": func(ctx context.Context) error { return st.Ping(ctx) },
	}}
	if a.Config.BrokerURL.Reveal() != "" {
		b, err := a.sharedBroker("api")
		if err != nil {
			return err
		}
		deps.Checks = readiness(st, b)
		deps.Scans = a.scanEnqueuer(st, b)
		if err := m.RegisterQueueDepth(depthFunc(b)); err != nil {
			return err
		}
	} else {
		a.Logger.Warn("no broker_url: the admin scan endpoint is disabled")
	}
	cfg := server.Config{Addr: *addr, APIToken: rc.APIToken}
	if err := a.withAPI(st, *addr, &cfg, &deps); err != nil {
		return err
	}
	srv, err := server.New(cfg, deps)
	if err != nil {
		return err
	}
	return serveUntilDone(ctx, srv, func(ctx context.Context) error {
		<-ctx.Done()
		return nil
	})
}

// processBase is what the scheduler and worker processes share: runtime
// settings, a current database, the Redis broker and metrics with the queue
// depth.
func (a *App) processBase(ctx context.Context, name string, migrate bool) (runtimeConfig, *store.Store, *broker.Asynq, *metrics.Metrics, error) {
	rc, err := loadRuntimeConfig(os.Getenv)
	if err != nil {
		return rc, nil, nil, nil, err
	}
	st, err := a.Store(ctx, migrate)
	if err != nil {
		return rc, nil, nil, nil, err
	}
	b, err := a.sharedBroker(name)
	if err != nil {
		return rc, nil, nil, nil, err
	}
	m := metrics.New()
	if err := m.RegisterQueueDepth(depthFunc(b)); err != nil {
		return rc, nil, nil, nil, err
	}
	return rc, st, b, m, nil
}

func (a *App) newScheduler(st *store.Store, b broker.Broker, rc runtimeConfig, purge bool, m *metrics.Metrics) (*scheduler.Scheduler, error) {
	svc, err := a.Notifier(st, m)
	if err != nil {
		return nil, err
	}
	return scheduler.New(scheduler.Config{
		Technologies:  a.Technologies(),
		LeaseTTL:      rc.LeaseTTL,
		Tick:          rc.Tick,
		AtFullHour:    a.Config.ScheduleAtFullHour,
		OnlyWatch:     a.Config.OnlyWatch,
		WatcherIgnore: a.Config.WatcherIgnore,
		PurgeAtStart:  purge,
		Now:           rc.schedulerClock(),
		OnLead: func(ctx context.Context, now time.Time) error {
			_, err := svc.DailyAudit(ctx, now) // queued here, delivered by the workers
			return err
		},
	}, st, b, a.Logger, m)
}

func cmdScheduler(ctx context.Context, a *App, args []string) error {
	fs := newFlags("scheduler", a.Stderr)
	migrate := fs.Bool("migrate", false, "apply pending migrations before starting")
	purge := fs.Bool("purge", false, "remove queued tasks when this scheduler first leads")
	addr := fs.String("metrics-addr", a.Config.MetricsAddr, "address of /healthz, /readyz and /metrics (metrics_addr)")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	rc, st, b, m, err := a.processBase(ctx, "scheduler", *migrate)
	if err != nil {
		return err
	}
	s, err := a.newScheduler(st, b, rc, *purge, m)
	if err != nil {
		return err
	}
	srv, err := server.New(server.Config{Addr: *addr}, server.Deps{Registry: m.Registry, Logger: a.Logger, Checks: readiness(st, b)})
	if err != nil {
		return err
	}
	a.Logger.Info("scheduler starting", "scheduler_id", s.ID(), "only_watch", a.Config.OnlyWatch,
		"watcher_ignore", a.Config.WatcherIgnore, "at_full_hour", a.Config.ScheduleAtFullHour)
	return serveUntilDone(ctx, srv, s.Run)
}

// newWorker builds the worker on the pipeline, with the Prometheus and
// (when enabled) CloudWatch queue metrics. The returned stop function
// flushes the CloudWatch publisher.
//
// The returned run function runs the worker and the notification delivery
// until ctx is done.
func (a *App) newWorker(ctx context.Context, st *store.Store, b broker.Broker, rc runtimeConfig, concurrency int, m *metrics.Metrics) (func(context.Context) error, func(), error) {
	if a.AWSObserver == nil {
		a.AWSObserver = m
	}
	obs := metrics.Fanout{m}
	stop := func() {}
	if a.Config.MetricsEnabled {
		client, err := metrics.NewCloudWatchClient(ctx, a.Config.MetricsPostRegion)
		if err != nil {
			return nil, nil, err
		}
		cw, err := metrics.NewCloudWatch(metrics.CloudWatchConfig{Namespace: a.Config.MetricsNamespace}, client, a.Logger, m)
		if err != nil {
			return nil, nil, err
		}
		if err := cw.Start(ctx); err != nil {
			return nil, nil, err
		}
		obs = append(obs, cw)
		stop = func() {
			sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
			defer cancel()
			if err := cw.Stop(sctx); err != nil {
				a.Logger.Warn("cloudwatch flush at exit failed", "error", err)
			}
		}
	}
	p, err := a.Pipeline(ctx, obs)
	if err != nil {
		stop()
		return nil, nil, err
	}
	run := worker.RunnerFunc(func(ctx context.Context, account, technology string) (worker.Result, error) {
		r, err := p.RunTask(ctx, account, technology)
		return worker.Result{Items: r.Items, New: r.New, Changed: r.Changed, Ephemeral: r.Ephemeral,
			Deleted: r.Deleted, Issues: r.Issues, Errors: r.Errors, Changes: r.Changes}, err
	})
	svc, err := a.Notifier(st, m)
	if err != nil {
		stop()
		return nil, nil, err
	}
	w, err := worker.New(worker.Config{
		Concurrency:   concurrency,
		ShutdownGrace: rc.ShutdownGrace,
		RetryDelay:    rc.retryDelay(),
	}, st, b, run, svc, a.Logger, m)
	if err != nil {
		stop()
		return nil, nil, err
	}
	return func(ctx context.Context) error {
		g, ctx := errgroup.WithContext(ctx)
		g.Go(func() error { return w.Run(ctx) })
		g.Go(func() error { return svc.Run(ctx) })
		return g.Wait()
	}, stop, nil
}

func cmdWorker(ctx context.Context, a *App, args []string) error {
	fs := newFlags("worker", a.Stderr)
	migrate := fs.Bool("migrate", false, "apply pending migrations before starting")
	concurrency := fs.Int("concurrency", a.Config.WorkerConcurrency, "tasks at once (worker_concurrency)")
	addr := fs.String("metrics-addr", a.Config.MetricsAddr, "address of /healthz, /readyz and /metrics (metrics_addr)")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	rc, st, b, m, err := a.processBase(ctx, "worker", *migrate)
	if err != nil {
		return err
	}
	runWorker, stopCW, err := a.newWorker(ctx, st, b, rc, *concurrency, m)
	if err != nil {
		return err
	}
	defer stopCW()
	srv, err := server.New(server.Config{Addr: *addr}, server.Deps{Registry: m.Registry, Logger: a.Logger, Checks: readiness(st, b)})
	if err != nil {
		return err
	}
	return serveUntilDone(ctx, srv, runWorker)
}

func cmdAll(ctx context.Context, a *App, args []string) error {
	fs := newFlags("all", a.Stderr)
	migrate := fs.Bool("migrate", false, "apply pending migrations before starting")
	purge := fs.Bool("purge", false, "remove queued tasks when the scheduler first leads")
	addr := fs.String("listen", a.Config.APIAddr, "address of the API, /healthz, /readyz and /metrics")
	concurrency := fs.Int("concurrency", a.Config.WorkerConcurrency, "worker tasks at once (worker_concurrency)")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	rc, err := loadRuntimeConfig(os.Getenv)
	if err != nil {
		return err
	}
	st, err := a.Store(ctx, *migrate)
	if err != nil {
		return err
	}
	var b *broker.Asynq
	if a.Config.BrokerURL.Reveal() != "" {
		if b, err = a.sharedBroker("all"); err != nil {
			return err
		}
	} else {
		if b, err = broker.NewEmbedded(a.brokerConfig(), a.Logger); err != nil {
			return err
		}
		a.onClose(func() { _ = b.Close() })
	}
	m := metrics.New()
	if err := m.RegisterQueueDepth(depthFunc(b)); err != nil {
		return err
	}
	s, err := a.newScheduler(st, b, rc, *purge, m)
	if err != nil {
		return err
	}
	runWorker, stopCW, err := a.newWorker(ctx, st, b, rc, *concurrency, m)
	if err != nil {
		return err
	}
	defer stopCW()
	cfg := server.Config{Addr: *addr, APIToken: rc.APIToken}
	deps := server.Deps{Registry: m.Registry, Logger: a.Logger, Checks: readiness(st, b), Scans: a.scanEnqueuer(st, b)}
	if err := a.withAPI(st, *addr, &cfg, &deps); err != nil {
		return err
	}
	srv, err := server.New(cfg, deps)
	if err != nil {
		return err
	}
	return serveUntilDone(ctx, srv, func(ctx context.Context) error {
		g, ctx := errgroup.WithContext(ctx)
		g.Go(func() error { return s.Run(ctx) })
		g.Go(func() error { return runWorker(ctx) })
		return g.Wait()
	})
}

func cmdEnqueue(ctx context.Context, a *App, args []string) error {
	fs := newFlags("enqueue", a.Stderr)
	accounts := fs.String("a", "", "comma-separated account names (default: every active account)")
	techs := fs.String("m", "", "comma-separated technology indexes (default: all)")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	set := visited(fs)
	accountNames, err := nameList("-a", *accounts, set["a"])
	if err != nil {
		return err
	}
	techNames, err := nameList("-m", *techs, set["m"])
	if err != nil {
		return err
	}
	st, err := a.Store(ctx, false)
	if err != nil {
		return err
	}
	b, err := a.sharedBroker("enqueue")
	if err != nil {
		return err
	}
	resp, err := a.scanEnqueuer(st, b)(ctx, server.ScanRequest{Accounts: accountNames, Technologies: techNames})
	if err != nil {
		return err
	}
	if *asJSON {
		for _, l := range []*[]string{&resp.Tasks, &resp.Queued, &resp.Running} {
			if *l == nil {
				*l = []string{}
			}
		}
		return json.NewEncoder(a.Stdout).Encode(resp)
	}
	fmt.Fprintf(a.Stdout, "%d scan(s) enqueued, %d already queued, %d running\n", resp.Enqueued, len(resp.Queued), len(resp.Running))
	for _, id := range resp.Tasks {
		fmt.Fprintln(a.Stdout, "  "+printable(id))
	}
	for _, id := range resp.Queued {
		fmt.Fprintln(a.Stdout, "  already queued: "+printable(id))
	}
	for _, id := range resp.Running {
		fmt.Fprintln(a.Stdout, "  running: "+printable(id))
	}
	return nil
}

// Status is the output of `monkey status --json`.
type Status struct {
	Database string         `json:"database"`
	Broker   string         `json:"broker"`
	Leader   string         `json:"leader"`
	Standbys []string       `json:"standbys"`
	Workers  []StatusWorker `json:"workers"`
	Queue    *broker.Depth  `json:"queue"`
	Scans    []StatusScan   `json:"scans"`
	// Notifications counts the outbox by status and lists the latest
	// notifications that failed for good.
	Notifications *StatusNotifications `json:"notifications,omitempty"`
	Errors        []string             `json:"errors,omitempty"`
}

// StatusNotifications is the state of the notification outbox.
type StatusNotifications struct {
	Pending int                  `json:"pending"`
	Sent    int                  `json:"sent"`
	Failed  int                  `json:"failed"`
	Recent  []StatusNotification `json:"recent_failures"`
}

// StatusNotification is one notification that failed for good.
type StatusNotification struct {
	Kind      string    `json:"kind"`
	Channel   string    `json:"channel"`
	Recipient string    `json:"recipient"`
	Subject   string    `json:"subject"`
	Attempts  int       `json:"attempts"`
	Error     string    `json:"error"`
	Created   time.Time `json:"created"`
}

// StatusWorker is a live worker process.
type StatusWorker struct {
	ID          string            `json:"id"`
	Host        string            `json:"host"`
	PID         int               `json:"pid"`
	Concurrency int               `json:"concurrency"`
	Started     time.Time         `json:"started"`
	InFlight    []broker.InFlight `json:"in_flight"`
}

// StatusScan is the last scan of one (account, technology).
type StatusScan struct {
	Account    string     `json:"account"`
	Technology string     `json:"technology"`
	LastStart  *time.Time `json:"last_start"`
	LastEnd    *time.Time `json:"last_end"`
	Outcome    string     `json:"outcome"`
	Items      int        `json:"items"`
	Error      string     `json:"error"`
}

func cmdStatus(ctx context.Context, a *App, args []string) error {
	fs := newFlags("status", a.Stderr)
	asJSON := fs.Bool("json", false, "print the status as JSON")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	st := a.collectStatus(ctx)
	if *asJSON {
		enc := json.NewEncoder(a.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(st); err != nil {
			return err
		}
	} else {
		printStatus(a, st)
	}
	if st.Database != "ok" || (st.Broker != "ok" && st.Broker != "embedded") {
		return errors.New("not healthy: database " + st.Database + ", broker " + st.Broker)
	}
	return nil
}

func (a *App) collectStatus(ctx context.Context) Status {
	st := Status{Database: "ok", Broker: "ok", Standbys: []string{}, Workers: []StatusWorker{}, Scans: []StatusScan{}}
	fail := func(what string, err error) { st.Errors = append(st.Errors, what+": "+oneLine(err.Error())) }

	db, err := a.Store(ctx, false)
	if err != nil {
		st.Database = "unreachable"
		fail("database", err)
	} else if err := db.Ping(ctx); err != nil {
		st.Database = "unreachable"
		fail("database", err)
	}
	var b *broker.Asynq
	if a.Config.BrokerURL.Reveal() == "" {
		st.Broker = "embedded"
	} else if b, err = broker.New(a.brokerConfig(), a.Logger); err != nil {
		st.Broker = "unreachable"
		fail("broker", err)
	} else {
		conn := b
		a.onClose(func() { _ = conn.Close() })
		if err := b.Ping(ctx); err != nil {
			st.Broker = "unreachable"
			fail("broker", err)
			b = nil
		}
	}

	now := time.Now()
	if st.Database == "ok" {
		holder, exp, err := db.Lease(ctx, scheduler.LeaseName)
		switch {
		case monkey.ErrorCode(err) == monkey.ENOTFOUND:
		case err != nil:
			fail("leader", err)
		case exp.After(now):
			st.Leader = holder
		}
		// Standbys: schedulers seen within a minute (they beat every tick,
		// at most 30 s) that do not lead.
		if ps, err := db.ListProcesses(ctx, "scheduler", now.Add(-time.Minute)); err != nil {
			fail("schedulers", err)
		} else {
			for _, p := range ps {
				if p.ID != st.Leader {
					st.Standbys = append(st.Standbys, p.ID)
				}
			}
		}
		if n, err := notificationStatus(ctx, db); err != nil {
			fail("notifications", err)
		} else {
			st.Notifications = n
		}
		if scans, err := db.ListScans(ctx); err != nil {
			fail("scans", err)
		} else {
			for _, s := range scans {
				st.Scans = append(st.Scans, StatusScan{Account: s.Account, Technology: s.Technology,
					LastStart: s.LastStart, LastEnd: s.LastEnd, Outcome: s.Outcome, Items: s.Items, Error: s.Error})
			}
		}
	}
	if b != nil {
		if d, err := b.QueueDepth(ctx); err != nil {
			fail("queue", err)
		} else {
			st.Queue = &d
		}
		if ws, err := b.Workers(ctx); err != nil {
			fail("workers", err)
		} else {
			for _, w := range ws {
				in := w.InFlight
				if in == nil {
					in = []broker.InFlight{}
				}
				st.Workers = append(st.Workers, StatusWorker{ID: w.ID, Host: w.Host, PID: w.PID,
					Concurrency: w.Concurrency, Started: w.Started, InFlight: in})
			}
		}
	} else if st.Database == "ok" {
		// Without the broker, the workers' own heartbeat rows.
		if ps, err := db.ListProcesses(ctx, "worker", now.Add(-time.Minute)); err == nil {
			for _, p := range ps {
				var info struct {
					Concurrency int               `json:"concurrency"`
					InFlight    []broker.InFlight `json:"in_flight"`
				}
				_ = json.Unmarshal([]byte(p.Info), &info)
				if info.InFlight == nil {
					info.InFlight = []broker.InFlight{}
				}
				st.Workers = append(st.Workers, StatusWorker{ID: p.ID, Host: p.Host, PID: p.PID,
					Concurrency: info.Concurrency, Started: p.StartedAt, InFlight: info.InFlight})
			}
		}
	}
	return st
}

func printStatus(a *App, st Status) {
	out := a.Stdout
	leader := st.Leader
	if leader == "" {
		leader = "none (no scheduler running?)"
	}
	fmt.Fprintf(out, "database:  %s\nbroker:    %s\nscheduler: leader %s", st.Database, st.Broker, leader)
	if len(st.Standbys) > 0 {
		fmt.Fprintf(out, ", standby %s", strings.Join(st.Standbys, ", "))
	}
	fmt.Fprintln(out)
	if st.Queue != nil {
		q := st.Queue
		fmt.Fprintf(out, "queue:     %s: %d pending, %d active, %d scheduled, %d retry, %d failed, %d completed\n",
			q.Queue, q.Pending, q.Active, q.Scheduled, q.Retry, q.Archived, q.Completed)
	}
	if n := st.Notifications; n != nil {
		fmt.Fprintf(out, "notify:    %d pending, %d sent, %d failed\n", n.Pending, n.Sent, n.Failed)
		for _, f := range n.Recent {
			fmt.Fprintf(out, "  failed %s %s to %s after %d attempts: %s\n", f.Kind, f.Channel, orDash(f.Recipient), f.Attempts, f.Error)
		}
	}
	fmt.Fprintf(out, "workers:   %d\n", len(st.Workers))
	for _, w := range st.Workers {
		fmt.Fprintf(out, "  %s pid %d, %d of %d busy\n", w.Host, w.PID, len(w.InFlight), w.Concurrency)
		for _, f := range w.InFlight {
			fmt.Fprintf(out, "    %s/%s since %s\n", f.Account, f.Technology, f.Started.Format(time.RFC3339))
		}
	}
	if len(st.Scans) > 0 {
		fmt.Fprintln(out)
		tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ACCOUNT\tTECHNOLOGY\tLAST START\tLAST END\tOUTCOME\tITEMS\tERROR")
		for _, s := range st.Scans {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%s\n", s.Account, s.Technology, fmtTime(s.LastStart),
				fmtTime(s.LastEnd), s.Outcome, s.Items, s.Error)
		}
		_ = tw.Flush()
	} else if st.Database == "ok" {
		fmt.Fprintln(out, "\nno scans recorded yet: is a scheduler running, and a worker?")
	}
	for _, e := range st.Errors {
		fmt.Fprintln(out, "error: "+e)
	}
}

func fmtTime(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}
