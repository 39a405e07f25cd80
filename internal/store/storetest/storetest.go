// Package storetest gives tests of other packages a migrated store on each
// engine: SQLite in a temporary directory, Postgres in a scratch database
// created from MONKEY_TEST_POSTGRES_URL and dropped at cleanup.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/secmonkey/monkey/internal/store"
)

// DefaultPostgresURL is used when MONKEY_TEST_POSTGRES_URL is not set.
const DefaultPostgresURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// PostgresURL is the server tests create scratch databases on.
func PostgresURL() string {
	if u := os.Getenv("MONKEY_TEST_POSTGRES_URL"); u != "" {
		return u
	}
	return DefaultPostgresURL
}

func ci() bool { return os.Getenv("CI") == "true" }

// Engines returns the engines to test: "sqlite" always, "postgres" when the
// server is reachable or CI=true (where an unreachable server then fails the
// test in New).
func Engines(t testing.TB) []string {
	t.Helper()
	engines := []string{store.EngineSQLite}
	if ci() {
		return append(engines, store.EnginePostgres)
	}
	if err := ping(PostgresURL()); err != nil {
		t.Logf("postgres engine skipped: %s unreachable (%v); set MONKEY_TEST_POSTGRES_URL", redacted(PostgresURL()), err)
		return engines
	}
	return append(engines, store.EnginePostgres)
}

// PostgresAvailable skips t (or fails it when CI=true) when Postgres is
// unreachable.
func PostgresAvailable(t testing.TB) {
	t.Helper()
	if err := ping(PostgresURL()); err != nil {
		if ci() {
			t.Fatalf("postgres %s unreachable with CI=true: %v", redacted(PostgresURL()), err)
		}
		t.Skipf("postgres %s unreachable: %v (set MONKEY_TEST_POSTGRES_URL)", redacted(PostgresURL()), err)
	}
}

func redacted(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(invalid url)"
	}
	return u.Redacted()
}

func openAdmin(raw string) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(raw)
	if err != nil {
		return nil, fmt.Errorf("parse postgres url: %w", err)
	}
	cfg.ConnectTimeout = 3 * time.Second
	return stdlib.OpenDB(*cfg), nil
}

func ping(raw string) error {
	db, err := openAdmin(raw)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	return db.PingContext(ctx)
}

// New returns a migrated store on engine ("sqlite" or "postgres"), closed
// and removed at cleanup.
func New(t testing.TB, engine string) *store.Store {
	t.Helper()
	s, _ := NewWithURL(t, engine)
	return s
}

// NewWithURL is New that also returns the database URL (for tests that
// open a second store on the same database).
func NewWithURL(t testing.TB, engine string) (*store.Store, string) {
	t.Helper()
	ctx := context.Background()
	var dbURL string
	switch engine {
	case store.EngineSQLite:
		dbURL = filepath.Join(t.TempDir(), "monkey.db")
	case store.EnginePostgres:
		dbURL = ScratchPostgres(t)
	default:
		t.Fatalf("storetest: unknown engine %q", engine)
	}
	s, err := store.Open(ctx, dbURL, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("storetest: open %s: %v", engine, err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatalf("storetest: migrate %s: %v", engine, err)
	}
	return s, dbURL
}

// ScratchPostgres creates an empty database monkey_test_<random> on the test
// server and returns its URL; the database is dropped at cleanup. It skips
// (or fails with CI=true) when the server is unreachable.
func ScratchPostgres(t testing.TB) string {
	t.Helper()
	PostgresAvailable(t)
	base := PostgresURL()
	admin, err := openAdmin(base)
	if err != nil {
		t.Fatalf("storetest: %v", err)
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "monkey_test_" + hex.EncodeToString(b[:])
	ctx := context.Background()
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		_ = admin.Close()
		t.Fatalf("storetest: create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		defer admin.Close()
		if _, err := admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("storetest: drop database %s: %v", name, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("storetest: parse postgres url: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}
