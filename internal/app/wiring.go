package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/secmonkey/monkey/internal/config"
	"github.com/secmonkey/monkey/internal/store"
)

// App holds the process-wide wiring shared by the subcommands.
type App struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer

	Config config.Config
	Logger *slog.Logger

	store   *store.Store
	closers []func() // LIFO
}

func (a *App) init() error {
	cfg, err := config.FromEnv()
	if err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	a.Config = cfg
	a.Logger = newLogger(cfg, a.Stderr)
	for _, name := range cfg.IgnoredSettings() {
		if !config.NoEffect(name) {
			a.Logger.Warn("unknown setting ignored", "setting", name)
		}
	}
	return nil
}

func newLogger(cfg config.Config, stderr io.Writer) *slog.Logger {
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
	w := stderr
	if cfg.LogFile != "" {
		if f, err := os.OpenFile(cfg.LogFile, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o640); err == nil {
			w = f
		}
	}
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
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
	s, err := store.Open(ctx, a.Config.DatabaseURL.Reveal(), a.Logger)
	if err != nil {
		return nil, err
	}
	a.onClose(func() { s.Close() })
	if migrate || s.Engine() == "sqlite" {
		if _, err := s.Migrate(ctx); err != nil {
			return nil, err
		}
	} else if err := s.SchemaCurrent(ctx); err != nil {
		return nil, err
	}
	a.store = s
	return s, nil
}
