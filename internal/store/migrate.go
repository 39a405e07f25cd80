package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/secmonkey/monkey/internal/monkey"
)

//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrationFS embed.FS

// migrationLockKey is the Postgres advisory lock held while migrating.
const migrationLockKey = 7351_2026_0001

type migration struct {
	version int
	name    string
	sql     string
}

func (s *Store) migrations() ([]migration, error) {
	dir := "migrations/" + s.d.name
	entries, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, fmt.Errorf("read embedded migrations %s: %w", dir, err)
	}
	var out []migration
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".sql") {
			continue
		}
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s/%s: name must be NNNN_description.sql", dir, name)
		}
		b, err := fs.ReadFile(migrationFS, path.Join(dir, name))
		if err != nil {
			return nil, fmt.Errorf("read migration %s/%s: %w", dir, name, err)
		}
		out = append(out, migration{version: v, name: strings.TrimSuffix(name, ".sql"), sql: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	for i := 1; i < len(out); i++ {
		if out[i].version == out[i-1].version {
			return nil, fmt.Errorf("migrations %s: duplicate version %d", dir, out[i].version)
		}
	}
	return out, nil
}

const createMigrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
)`

// Migrate applies the pending migrations, one transaction each, and returns
// how many were applied. On Postgres an advisory lock serialises concurrent
// migrators.
func (s *Store) Migrate(ctx context.Context) (int, error) {
	n, err := s.migrateTo(ctx, 0)
	if err != nil {
		return n, err
	}
	s.warnUnindexedSearch(ctx)
	return n, nil
}

// warnUnindexedSearch logs a warning when the trigram indexes of the
// config searches are missing on Postgres (migration 0009 skips them where
// pg_trgm cannot be created): searches then scan every latest config.
func (s *Store) warnUnindexedSearch(ctx context.Context) {
	if s.d.name != EnginePostgres {
		return
	}
	var n int
	if err := s.read().queryRow(ctx, `SELECT COUNT(*) FROM pg_indexes
		WHERE indexname IN ('latest_configs_trgm', 'issues_open_search_trgm')`).Scan(&n); err != nil {
		s.logger.Warn("check config search indexes", "err", err)
		return
	}
	if n < 2 {
		s.logger.Warn("pg_trgm is unavailable: searchconfig scans every latest config and open issue; " +
			"install the Postgres contrib package, then create the extension and the indexes of migration 0009_config_search")
	}
}

// migrateTo applies the pending migrations up to version upTo (0: all).
func (s *Store) migrateTo(ctx context.Context, upTo int) (int, error) {
	if s.tx != nil {
		return 0, errors.New("migrate: not allowed inside WithTx")
	}
	ms, err := s.migrations()
	if err != nil {
		return 0, err
	}
	c, err := s.w.Conn(ctx)
	if err != nil {
		return 0, fmt.Errorf("migrate %s database %s: %w", s.d.name, s.where, err)
	}
	defer func() { _ = c.Close() }()
	q := conn{s: s, q: c}
	if s.d.lockMigrations != "" {
		if _, err := q.exec(ctx, s.d.lockMigrations, int64(migrationLockKey)); err != nil {
			return 0, fmt.Errorf("migrate: take migration lock: %w", err)
		}
		defer func() {
			_, _ = q.exec(context.WithoutCancel(ctx), s.d.unlockMigrations, int64(migrationLockKey))
		}()
	}
	if _, err := q.exec(ctx, createMigrationsTable); err != nil {
		return 0, fmt.Errorf("migrate: create schema_migrations: %w", err)
	}
	done, err := appliedVersions(ctx, q)
	if err != nil {
		return 0, err
	}
	applied := 0
	for _, m := range ms {
		if done[m.version] || (upTo > 0 && m.version > upTo) {
			continue
		}
		ok, err := s.applyMigration(ctx, c, m)
		if err != nil {
			return applied, err
		}
		if ok {
			applied++
			s.logger.Info("applied migration", "engine", s.d.name, "migration", m.name)
		}
	}
	return applied, nil
}

// applyMigration applies m in its own transaction unless another process
// applied it meanwhile (SQLite has no advisory lock, but its write
// transaction is exclusive, so the check inside it is enough).
func (s *Store) applyMigration(ctx context.Context, c *sql.Conn, m migration) (bool, error) {
	tx, err := c.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("migration %s: begin: %w", m.name, err)
	}
	q := conn{s: s, q: tx}
	var n int
	if err := q.queryRow(ctx, "SELECT COUNT(*) FROM schema_migrations WHERE version = ?", m.version).Scan(&n); err != nil {
		_ = tx.Rollback()
		return false, fmt.Errorf("migration %s: check: %w", m.name, err)
	}
	if n > 0 {
		return false, tx.Rollback()
	}
	if _, err := q.exec(ctx, m.sql); err != nil {
		_ = tx.Rollback()
		return false, fmt.Errorf("migration %s on %s: %w", m.name, s.d.name, err)
	}
	if _, err := q.exec(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
		m.version, m.name, s.clock().Format("2006-01-02 15:04:05.000000")); err != nil {
		_ = tx.Rollback()
		return false, fmt.Errorf("migration %s: record: %w", m.name, err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("migration %s: commit: %w", m.name, err)
	}
	return true, nil
}

func appliedVersions(ctx context.Context, q conn) (map[int]bool, error) {
	rows, err := q.query(ctx, "SELECT version FROM schema_migrations")
	if err != nil {
		return nil, fmt.Errorf("read schema_migrations: %w", err)
	}
	defer rows.Close()
	done := map[int]bool{}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("read schema_migrations: %w", err)
		}
		done[v] = true
	}
	return done, rows.Err()
}

// SchemaCurrent returns nil when every embedded migration is applied and the
// database has none the binary does not know.
func (s *Store) SchemaCurrent(ctx context.Context) error {
	ms, err := s.migrations()
	if err != nil {
		return err
	}
	var exists bool
	if err := s.read().queryRow(ctx, s.d.migrationsTableExists).Scan(&exists); err != nil {
		return fmt.Errorf("check schema of %s database %s: %w", s.d.name, s.where, err)
	}
	if !exists {
		return monkey.Errorf(monkey.EINVALID, "database schema is not current: run `monkey migrate`")
	}
	done, err := appliedVersions(ctx, s.read())
	if err != nil {
		return err
	}
	known := map[int]bool{}
	for _, m := range ms {
		known[m.version] = true
		if !done[m.version] {
			return monkey.Errorf(monkey.EINVALID, "database schema is not current: run `monkey migrate`")
		}
	}
	for v := range done {
		if !known[v] {
			return monkey.Errorf(monkey.EINVALID,
				"database schema version %d is newer than this binary knows (latest %d): upgrade monkey", v, ms[len(ms)-1].version)
		}
	}
	return nil
}
