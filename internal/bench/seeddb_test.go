package bench

import (
	"context"
	"database/sql"
	"errors"

	"log/slog"
	"net/url"
	"os"
	"regexp"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/secmonkey/monkey/internal/store"
	"github.com/secmonkey/monkey/internal/store/storetest"
)

// seededAPI is the database BenchmarkAPI and BenchmarkUI read: a store
// seeded by seedAPI, its URL, and the ids the benchmarks request.
type seededAPI struct {
	st       *store.Store
	url      string
	hundred  int64
	bigRevs  [2]int64
	seedTime time.Duration // 0 when a kept database was reused
}

// seedNote says how the database was seeded, for the benchmark's report.
func (s seededAPI) seedNote() string {
	if s.seedTime == 0 {
		return "kept database reused"
	}
	return "seeded in " + s.seedTime.Round(time.Second).String()
}

// keepDBName is the database MONKEY_BENCH_KEEP_DB names: the API and UI
// benchmarks seed it once, keep it, and reuse it on later runs (seeding
// 1,000,000 items takes 7–16 minutes). Empty: a scratch database dropped
// after the run.
func keepDBName(b *testing.B) string {
	name := os.Getenv("MONKEY_BENCH_KEEP_DB")
	if name != "" && !regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`).MatchString(name) {
		b.Fatalf("MONKEY_BENCH_KEEP_DB=%q: want a lowercase database name ([a-z_][a-z0-9_]*)", name)
	}
	return name
}

// benchRequests is the filter MONKEY_BENCH_REQUESTS sets on the requests
// the API and UI benchmarks time (a regular expression matched against
// their names; empty: every request), for iterating on a few of them.
func benchRequests(b *testing.B) func(name string) bool {
	re, err := regexp.Compile(os.Getenv("MONKEY_BENCH_REQUESTS"))
	if err != nil {
		b.Fatalf("MONKEY_BENCH_REQUESTS: %v", err)
	}
	return re.MatchString
}

// openSeeded returns a store seeded with n items. With MONKEY_BENCH_KEEP_DB
// it reuses that database when it holds a finished seed of n items (after
// applying any newer migration, so a migration's backfill runs on it), and
// otherwise (re)creates and seeds it and keeps it.
func openSeeded(b *testing.B, n int) seededAPI {
	b.Helper()
	storetest.PostgresAvailable(b)
	name := keepDBName(b)
	if name == "" {
		st, dbURL := storetest.NewWithURL(b, store.EnginePostgres)
		start := time.Now()
		hundred, _, bigRevs := seedAPI(b, st, n)
		return seededAPI{st: st, url: dbURL, hundred: hundred, bigRevs: bigRevs, seedTime: time.Since(start)}
	}
	ctx := context.Background()
	u, err := url.Parse(storetest.PostgresURL())
	if err != nil {
		b.Fatalf("parse postgres url: %v", err)
	}
	u.Path = "/" + name
	dbURL := u.String()
	if s, ok := reuseSeeded(b, dbURL, n); ok {
		return s
	}
	admin := openPG(b, storetest.PostgresURL())
	defer admin.Close()
	if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
		b.Fatalf("drop %s: %v", name, err)
	}
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		b.Fatalf("create %s: %v", name, err)
	}
	st := openMigrated(b, dbURL)
	start := time.Now()
	hundred, _, bigRevs := seedAPI(b, st, n)
	seedTime := time.Since(start)
	db := openPG(b, dbURL)
	defer db.Close()
	if _, err := db.ExecContext(ctx, `CREATE TABLE bench_seed (items BIGINT NOT NULL, hundred BIGINT NOT NULL,
		big_old BIGINT NOT NULL, big_new BIGINT NOT NULL)`); err != nil {
		b.Fatalf("record seed: %v", err)
	}
	if _, err := db.ExecContext(ctx, "INSERT INTO bench_seed VALUES ($1, $2, $3, $4)", n, hundred, bigRevs[0], bigRevs[1]); err != nil {
		b.Fatalf("record seed: %v", err)
	}
	b.Logf("seeded %d items into kept database %s in %s", n, name, seedTime.Round(time.Second))
	return seededAPI{st: st, url: dbURL, hundred: hundred, bigRevs: bigRevs, seedTime: seedTime}
}

// reuseSeeded opens the kept database when it holds a finished seed of n
// items.
func reuseSeeded(b *testing.B, dbURL string, n int) (seededAPI, bool) {
	b.Helper()
	db := openPG(b, dbURL)
	defer db.Close()
	var items, hundred, bigOld, bigNew int64
	err := db.QueryRowContext(context.Background(), "SELECT items, hundred, big_old, big_new FROM bench_seed").
		Scan(&items, &hundred, &bigOld, &bigNew)
	if err != nil || items != int64(n) {
		var pgErr interface{ SQLState() string }
		if err != nil && !errors.As(err, &pgErr) && !errors.Is(err, sql.ErrNoRows) {
			b.Logf("kept database not reused: %v", err)
		}
		return seededAPI{}, false
	}
	b.Logf("reusing the kept database (%d items)", n)
	return seededAPI{st: openMigrated(b, dbURL), url: dbURL, hundred: hundred, bigRevs: [2]int64{bigOld, bigNew}}, true
}

func openMigrated(b *testing.B, dbURL string) *store.Store {
	b.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dbURL, slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatalf("open bench database: %v", err)
	}
	b.Cleanup(func() { _ = st.Close() })
	start := time.Now()
	applied, err := st.Migrate(ctx)
	if err != nil {
		b.Fatalf("migrate bench database: %v", err)
	}
	if applied > 0 {
		b.Logf("%d migrations applied in %s", applied, time.Since(start).Round(time.Millisecond))
	}
	return st
}

func openPG(b *testing.B, raw string) *sql.DB {
	b.Helper()
	cfg, err := pgx.ParseConfig(raw)
	if err != nil {
		b.Fatalf("parse postgres url: %v", err)
	}
	cfg.ConnectTimeout = 3 * time.Second
	return stdlib.OpenDB(*cfg)
}
