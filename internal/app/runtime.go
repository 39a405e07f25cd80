package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/secmonkey/monkey/internal/broker"
	"github.com/secmonkey/monkey/internal/enqueue"
	"github.com/secmonkey/monkey/internal/metrics"
	"github.com/secmonkey/monkey/internal/notify/jira"
	"github.com/secmonkey/monkey/internal/scheduler"
	"github.com/secmonkey/monkey/internal/server"
	"github.com/secmonkey/monkey/internal/status"
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

// brokerMode says which broker a command needs.
type brokerMode int

const (
	brokerOptional         brokerMode = iota // the configured one, if any (api)
	brokerShared                             // the configured Redis, required (scheduler, worker, enqueue)
	brokerSharedOrEmbedded                   // the configured Redis, else an in-process one (all)
)

// components are the parts the runtime commands share, built once per
// process by (*App).components: every command uses the same store, broker,
// metrics and services.
type components struct {
	store    *store.Store
	broker   *broker.Asynq // nil: no broker configured (api only)
	embedded bool
	metrics  *metrics.Metrics
	enqueue  *enqueue.Service // nil without a broker
}

// components builds the store (migrated when asked), the broker the
// command needs, the metrics with the queue depth, and the services.
func (a *App) components(ctx context.Context, name string, migrate bool, mode brokerMode) (*components, error) {
	if a.comp != nil {
		return a.comp, nil
	}
	st, err := a.Store(ctx, migrate)
	if err != nil {
		return nil, err
	}
	c := &components{store: st, metrics: metrics.New()}
	switch {
	case a.Config.BrokerURL.Reveal() != "" || mode == brokerShared:
		if c.broker, err = a.sharedBroker(name); err != nil {
			return nil, err
		}
	case mode == brokerSharedOrEmbedded:
		if c.broker, err = broker.NewEmbedded(a.brokerConfig(), a.Logger); err != nil {
			return nil, err
		}
		b := c.broker
		a.onClose(func() { _ = b.Close() })
		c.embedded = true
	default:
		a.Logger.Warn("no broker_url: the admin scan endpoint is disabled")
	}
	if c.broker != nil {
		if err := c.metrics.RegisterQueueDepth(depthFunc(c.broker)); err != nil {
			return nil, err
		}
		if c.enqueue, err = enqueue.New(st, c.broker, a.Technologies()); err != nil {
			return nil, err
		}
	}
	a.comp = c
	return c, nil
}

// checks are the readiness checks of the components.
func (c *components) checks() map[string]server.Check {
	out := map[string]server.Check{"database": func(ctx context.Context) error { return c.store.Ping(ctx) }}
	if c.broker != nil {
		out["broker"] = func(ctx context.Context) error { return c.broker.Ping(ctx) }
	}
	return out
}

// scans is the admin scan endpoint's action (nil without a broker).
func (c *components) scans() server.ScanEnqueuer {
	if c.enqueue == nil {
		return nil
	}
	return func(ctx context.Context, req server.ScanRequest) (server.ScanResponse, error) {
		r, err := c.enqueue.Enqueue(ctx, enqueue.Request{Accounts: req.Accounts, Technologies: req.Technologies})
		if err != nil {
			return server.ScanResponse{}, err
		}
		return server.ScanResponse{Enqueued: len(r.Enqueued), Duplicates: r.Duplicates(),
			Tasks: r.Enqueued, Queued: r.Queued, Running: r.Running}, nil
	}
}

// metricsServer is the /healthz, /readyz and /metrics listener of a
// scheduler or worker: on the default address when free, else on an
// ephemeral port (several processes on one host); an address given by
// --metrics-addr or metrics_addr must be free.
func (a *App) metricsServer(c *components, addr string, explicit bool) (*server.Server, error) {
	return server.New(server.Config{Addr: addr, EphemeralWhenBusy: !explicit && a.Config.MetricsAddrDefault()},
		server.Deps{Registry: c.metrics.Registry, Logger: a.Logger, Checks: c.checks()})
}

func cmdAPI(ctx context.Context, a *App, args []string) error {
	fs := newFlags("api", a.Stderr)
	migrate := fs.Bool("migrate", false, "apply pending migrations before starting")
	addr := fs.String("listen", a.Config.APIAddr, "address to serve on (api_addr)")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	c, err := a.components(ctx, "api", *migrate, brokerOptional)
	if err != nil {
		return err
	}
	deps := server.Deps{Registry: c.metrics.Registry, Logger: a.Logger, Checks: c.checks(), Scans: c.scans()}
	cfg := server.Config{Addr: *addr, APIToken: a.Config.Runtime.APIToken}
	if err := a.withAPI(c.store, *addr, &cfg, &deps); err != nil {
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

// jiraSyncEvery is how often the leading scheduler syncs the Jira tickets
// (monkey sync-jira does it at once).
const jiraSyncEvery = 15 * time.Minute

func (a *App) newScheduler(ctx context.Context, c *components, purge bool) (*scheduler.Scheduler, error) {
	svc, err := a.Notifier(ctx, c.store, c.metrics)
	if err != nil {
		return nil, err
	}
	var sy *jira.Syncer
	if a.Config.Notify.JiraSync != "" {
		if sy, err = a.jiraSyncer(ctx); err != nil {
			return nil, err
		}
	}
	var lastJira time.Time
	rt := a.Config.Runtime
	return scheduler.New(scheduler.Config{
		Technologies:  a.Technologies(),
		LeaseTTL:      rt.SchedulerLeaseTTL,
		Tick:          rt.SchedulerTick,
		AtFullHour:    a.Config.ScheduleAtFullHour,
		OnlyWatch:     a.Config.OnlyWatch,
		WatcherIgnore: a.Config.WatcherIgnore,
		PurgeAtStart:  purge,
		Now:           rt.SchedulerClock(),
		OnLead: func(ctx context.Context, now time.Time) error {
			_, err := svc.DailyAudit(ctx, now) // queued here, delivered by the workers
			if sy != nil && now.Sub(lastJira) >= jiraSyncEvery {
				lastJira = now
				if _, jerr := sy.Sync(ctx); jerr != nil {
					err = errors.Join(err, fmt.Errorf("jira sync: %w", jerr))
				}
			}
			return err
		},
	}, c.store, c.broker, a.Logger, c.metrics)
}

func cmdScheduler(ctx context.Context, a *App, args []string) error {
	fs := newFlags("scheduler", a.Stderr)
	migrate := fs.Bool("migrate", false, "apply pending migrations before starting")
	purge := fs.Bool("purge", false, "remove queued tasks when this scheduler first leads")
	addr := fs.String("metrics-addr", a.Config.MetricsAddr, "address of /healthz, /readyz and /metrics (metrics_addr)")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	c, err := a.components(ctx, "scheduler", *migrate, brokerShared)
	if err != nil {
		return err
	}
	s, err := a.newScheduler(ctx, c, *purge)
	if err != nil {
		return err
	}
	srv, err := a.metricsServer(c, *addr, visited(fs)["metrics-addr"])
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
func (a *App) newWorker(ctx context.Context, c *components, concurrency int) (func(context.Context) error, func(), error) {
	m := c.metrics
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
	svc, err := a.Notifier(ctx, c.store, m)
	if err != nil {
		stop()
		return nil, nil, err
	}
	rt := a.Config.Runtime
	w, err := worker.New(worker.Config{
		Concurrency:   concurrency,
		ShutdownGrace: rt.ShutdownGrace,
		RetryDelay:    rt.RetryBackoff,
		TaskLease:     rt.TaskLease,
	}, c.store, c.broker, run, svc, a.Logger, m)
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
	c, err := a.components(ctx, "worker", *migrate, brokerShared)
	if err != nil {
		return err
	}
	runWorker, stopCW, err := a.newWorker(ctx, c, *concurrency)
	if err != nil {
		return err
	}
	defer stopCW()
	srv, err := a.metricsServer(c, *addr, visited(fs)["metrics-addr"])
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
	c, err := a.components(ctx, "all", *migrate, brokerSharedOrEmbedded)
	if err != nil {
		return err
	}
	s, err := a.newScheduler(ctx, c, *purge)
	if err != nil {
		return err
	}
	runWorker, stopCW, err := a.newWorker(ctx, c, *concurrency)
	if err != nil {
		return err
	}
	defer stopCW()
	cfg := server.Config{Addr: *addr, APIToken: a.Config.Runtime.APIToken}
	deps := server.Deps{Registry: c.metrics.Registry, Logger: a.Logger, Checks: c.checks(), Scans: c.scans()}
	if err := a.withAPI(c.store, *addr, &cfg, &deps); err != nil {
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
	c, err := a.components(ctx, "enqueue", false, brokerShared)
	if err != nil {
		return err
	}
	resp, err := c.scans()(ctx, server.ScanRequest{Accounts: accountNames, Technologies: techNames})
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

func cmdStatus(ctx context.Context, a *App, args []string) error {
	fs := newFlags("status", a.Stderr)
	asJSON := fs.Bool("json", false, "print the status as JSON")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	st := status.Gather(ctx, a.statusSources(ctx))
	if *asJSON {
		enc := json.NewEncoder(a.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(st); err != nil {
			return err
		}
	} else {
		printStatus(a, st)
	}
	if !st.Healthy() {
		return errors.New("not healthy: database " + st.Database + ", broker " + st.Broker)
	}
	return nil
}

// liveStatusSources are the status sources of a running process: its own
// store and broker (the in-process one of monkey all too), or those of
// statusSources.
func (a *App) liveStatusSources(ctx context.Context) status.Sources {
	c := a.comp
	if c == nil {
		return a.statusSources(ctx)
	}
	src := status.Sources{Store: c.store, Embedded: c.embedded,
		Notifications: func(ctx context.Context) (*status.Notifications, error) { return notificationStatus(ctx, c.store) }}
	if c.broker != nil {
		src.Broker = c.broker
	}
	return src
}

// statusSources opens what the status reads; failures are reported in
// the status (an unreachable database or broker is what it is for).
func (a *App) statusSources(ctx context.Context) status.Sources {
	var src status.Sources
	db, err := a.Store(ctx, false)
	if err != nil {
		src.StoreErr = err
	} else {
		src.Store = db
		src.Notifications = func(ctx context.Context) (*status.Notifications, error) { return notificationStatus(ctx, db) }
	}
	if a.Config.BrokerURL.Reveal() == "" {
		src.Embedded = true
		return src
	}
	b, err := broker.New(a.brokerConfig(), a.Logger)
	if err != nil {
		src.BrokerErr = err
		return src
	}
	a.onClose(func() { _ = b.Close() })
	src.Broker = b
	return src
}

func printStatus(a *App, st status.Status) {
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
