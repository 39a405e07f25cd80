package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/secmonkey/monkey/internal/audit"
	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/config"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/pipeline"
	"github.com/secmonkey/monkey/internal/policy"
	"github.com/secmonkey/monkey/internal/store"
	"github.com/secmonkey/monkey/internal/tech"
	"github.com/secmonkey/monkey/internal/tech/all"
)

// App holds the process-wide wiring shared by the subcommands.
type App struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer

	Config config.Config
	Logger *slog.Logger

	// AWSBase replaces the default credential chain (the demo points it at
	// the in-process simulated AWS); AWSObserver receives API call events.
	AWSBase     *aws.Config
	AWSObserver awsclient.Observer

	command string // the subcommand being run
	store   *store.Store
	cloud   *awsclient.Client
	techs   *tech.Registry
	comp    *components // the runtime commands' shared parts
	closers []func()    // LIFO
}

// daemons are the long-running commands; they log at info by default, the
// one-shot commands at warn.
var daemons = map[string]bool{"api": true, "run_api_server": true, "scheduler": true, "worker": true, "all": true, "aws-sim": true}

func (a *App) init(cmd string) error {
	settings, err := tech.AllSettings(all.Plugins())
	if err != nil {
		return fmt.Errorf("technology plugins: %w", err)
	}
	cfg, err := config.FromEnv(settings...)
	if err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	if cfg.LogLevel == "" {
		cfg.LogLevel = "warn"
		if daemons[cmd] {
			cfg.LogLevel = "info"
		}
	}
	if _, _, err := store.ParseDatabaseURL(cfg.DatabaseURL.Reveal()); err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	known := map[string]bool{}
	for _, t := range a.Technologies() {
		known[t.Index] = true
	}
	for _, l := range []struct {
		name   string
		values []string
	}{{"security_monkey_only_watch (MONKEY_ONLY_WATCH)", cfg.OnlyWatch}, {"security_monkey_watcher_ignore (MONKEY_WATCHER_IGNORE)", cfg.WatcherIgnore}} {
		for _, v := range l.values {
			if !known[v] {
				return fmt.Errorf("configuration: %s: %q is not a technology index (monkey find-changes -h lists them)", l.name, v)
			}
		}
	}
	a.command = cmd
	a.Config = cfg
	if a.Logger, err = a.newLogger(cfg); err != nil {
		return err
	}
	for _, name := range cfg.IgnoredSettings() {
		if !config.NoEffect(name) {
			a.Logger.Warn("unknown setting ignored", "setting", name)
		}
	}
	return nil
}

func (a *App) newLogger(cfg config.Config) (*slog.Logger, error) {
	var level slog.Level
	switch cfg.LogLevel {
	case "debug":
		level = slog.LevelDebug
	case "warn", "warning":
		level = slog.LevelWarn
	case "error":
		level = slog.LevelError
	default:
		level = slog.LevelInfo
	}
	w := a.Stderr
	if cfg.LogFile != "" {
		f, err := os.OpenFile(cfg.LogFile, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o640)
		if err != nil {
			return nil, fmt.Errorf("configuration: log_file: %w", err)
		}
		a.onClose(func() { _ = f.Close() })
		w = f
	}
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return slog.New(slog.NewTextHandler(w, opts)), nil
}

// onClose registers a cleanup run at exit, in reverse order.
func (a *App) onClose(f func()) { a.closers = append(a.closers, f) }

// Close runs the registered cleanups.
func (a *App) Close() {
	for i := len(a.closers) - 1; i >= 0; i-- {
		a.closers[i]()
	}
	a.closers = nil
}

// Store opens the configured database once. With migrate, pending
// migrations are applied; otherwise a stale schema is an error, except for
// the embedded SQLite default which migrates on first start.
func (a *App) Store(ctx context.Context, migrate bool) (*store.Store, error) {
	if a.store != nil {
		return a.store, nil
	}
	s, err := a.openStore(ctx)
	if err != nil {
		return nil, err
	}
	if migrate || s.Engine() == "sqlite" {
		n, err := s.Migrate(ctx)
		if err != nil {
			return nil, err
		}
		if n > 0 {
			if err := a.loadAWSOwnedAccounts(ctx, s); err != nil {
				return nil, err
			}
		}
	} else if err := s.SchemaCurrent(ctx); err != nil {
		return nil, err
	}
	a.store = s
	return s, nil
}

// openStore opens the database without checking or applying migrations.
func (a *App) openStore(ctx context.Context) (*store.Store, error) {
	s, err := store.Open(ctx, a.Config.DatabaseURL.Reveal(), a.Logger)
	if err != nil {
		return nil, err
	}
	a.onClose(func() { _ = s.Close() })
	return s, nil
}

// loadAWSOwnedAccounts makes sure the AWS-owned accounts of
// spec/data/aws_accounts.json exist as inactive third-party accounts.
func (a *App) loadAWSOwnedAccounts(ctx context.Context, s *store.Store) error {
	accts, err := audit.AWSAccounts()
	if err != nil {
		return err
	}
	if err := s.UpsertThirdPartyAccounts(ctx, accts); err != nil {
		return fmt.Errorf("load AWS-owned accounts: %w", err)
	}
	return nil
}

// Techs builds the technology registry once: every plugin's watcher and
// auditor, built with the catalogue and the configured settings.
func (a *App) Techs() (*tech.Registry, error) {
	if a.techs != nil {
		return a.techs, nil
	}
	r, err := a.techRegistry(a.Config.Tech)
	if err != nil {
		return nil, err
	}
	a.techs = r
	return r, nil
}

// techRegistry builds a technology registry with the given settings.
func (a *App) techRegistry(settings map[string]string) (*tech.Registry, error) {
	cat, err := policy.LoadCatalogue()
	if err != nil {
		return nil, fmt.Errorf("load IAM action catalogue: %w", err)
	}
	r, err := tech.NewRegistry(all.Plugins(), tech.Deps{Catalogue: cat, Settings: tech.Settings(settings)})
	if err != nil {
		return nil, fmt.Errorf("technology registry: %w", err)
	}
	return r, nil
}

// Technologies returns the implemented technologies, sorted by index.
func (a *App) Technologies() []monkey.Technology {
	out := make([]monkey.Technology, 0)
	for _, p := range all.Plugins() {
		out = append(out, p.Technology)
	}
	return out
}

// Cloud returns the AWS client, built once. Its base configuration comes
// from the default credential chain unless a.AWSBase is set (demo).
func (a *App) Cloud(ctx context.Context) (*awsclient.Client, error) {
	if a.cloud != nil {
		return a.cloud, nil
	}
	c, err := awsclient.New(ctx, awsclient.Options{GovCloud: a.Config.AWSGovCloud, Logger: a.Logger,
		Base: a.AWSBase, Observer: a.AWSObserver})
	if err != nil {
		return nil, fmt.Errorf("aws: %w", err)
	}
	a.cloud = c
	return c, nil
}

// Pipeline builds the scan pipeline on the configured store and cloud.
func (a *App) Pipeline(ctx context.Context, obs pipeline.Observer) (*pipeline.Pipeline, error) {
	s, err := a.Store(ctx, false)
	if err != nil {
		return nil, err
	}
	techs, err := a.Techs()
	if err != nil {
		return nil, err
	}
	cloud, err := a.Cloud(ctx)
	if err != nil {
		return nil, err
	}
	return pipeline.New(pipeline.Options{
		Store: s, Technologies: techs, Settings: tech.Settings(a.Config.Tech),
		Sessions:          map[string]pipeline.OpenSession{monkey.CloudAWS: cloud.Open},
		RegionConcurrency: a.Config.RegionConcurrency, Observer: obs, Logger: a.Logger,
		Owner: "monkey " + a.command, LockTTL: a.Config.Runtime.TaskLease,
	})
}
