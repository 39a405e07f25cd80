// Package store keeps accounts, items, revisions, issues and settings in
// SQLite (embedded default) or Postgres, with one set of portable SQL.
//
// SQL is written once with "?" placeholders; the dialect hook rebinds them
// for Postgres. Engine differences live in dialect.go and in the two
// migration folders only.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/secmonkey/monkey/internal/monkey"
)

// Engine names returned by Store.Engine.
const (
	EngineSQLite   = "sqlite"
	EnginePostgres = "postgres"
)

// Store is the database: a writer pool and a reader pool (the same pool on
// Postgres; on SQLite one writer connection and a small read pool).
type Store struct {
	w       *sql.DB // writes and transactions
	r       *sql.DB // plain reads
	d       dialect
	logger  *slog.Logger
	where   string // redacted location, for error messages
	now     func() time.Time
	stmts   *atomic.Int64
	closeFn func() error
	tx      *sql.Tx // set on the Store handed to a WithTx callback
}

// Option configures a Store.
type Option func(*Store)

// WithClock sets the clock used where the store stamps times.
func WithClock(now func() time.Time) Option { return func(s *Store) { s.now = now } }

// Open opens the database at rawURL: postgres:// or postgresql:// is
// Postgres; anything else is a SQLite file path (sqlite://path and
// file:path accepted).
func Open(ctx context.Context, rawURL string, logger *slog.Logger, opts ...Option) (*Store, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	s := &Store{logger: logger, now: time.Now, stmts: new(atomic.Int64)}
	for _, o := range opts {
		o(s)
	}
	kind, url, err := ParseDatabaseURL(rawURL)
	switch {
	case err != nil:
	case kind == "postgres":
		err = s.openPostgres(ctx, url)
	default:
		err = s.openSQLite(ctx, url)
	}
	if err != nil {
		return nil, err
	}
	return s, nil
}

// postgresSchemes are the URL schemes taken as Postgres: libpq's and
// SQLAlchemy's (Security Monkey's SQLALCHEMY_DATABASE_URI is
// postgresql+psycopg2://…).
var postgresSchemes = map[string]bool{"postgres": true, "postgresql": true, "postgres+psycopg2": true,
	"postgresql+psycopg2": true, "postgresql+psycopg": true, "postgresql+pg8000": true}

// ParseDatabaseURL tells a Postgres URL (any scheme of postgresSchemes,
// returned as postgres://…) from a SQLite one (a file path, sqlite:…,
// file:…). Any other scheme is an error that names only the scheme (a
// URL may hold a password).
func ParseDatabaseURL(raw string) (kind, url string, err error) {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok || strings.ContainsAny(scheme, "/\\") {
		return "sqlite", raw, nil // a path (sqlite:x.db and file:x.db included)
	}
	switch s := strings.ToLower(scheme); {
	case postgresSchemes[s]:
		return "postgres", "postgres://" + rest, nil
	case s == "sqlite", s == "file":
		return "sqlite", raw, nil
	}
	return "", "", fmt.Errorf("database url: unsupported scheme %q: use postgres://user:password@host:5432/db (postgresql:// and SQLAlchemy's postgresql+psycopg2:// too) or a SQLite file path", printableScheme(scheme))
}

func printableScheme(s string) string {
	if len(s) > 32 {
		s = s[:32] + "…"
	}
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return '?'
		}
		return r
	}, s)
}

// DefaultConnectTimeout bounds opening a Postgres connection when the URL
// sets no connect_timeout: a server that accepts and never answers must
// not hang a command.
const DefaultConnectTimeout = 10 * time.Second

func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "postgres database (unparsable url)"
	}
	return u.Redacted()
}

func (s *Store) openPostgres(ctx context.Context, rawURL string) error {
	s.where = redactURL(rawURL)
	cfg, err := pgx.ParseConfig(rawURL)
	if err != nil {
		// pgx errors may quote the connection string: do not wrap its text.
		return fmt.Errorf("open postgres database %s: invalid connection url", s.where)
	}
	if cfg.ConnectTimeout <= 0 {
		cfg.ConnectTimeout = DefaultConnectTimeout
	}
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(16)
	db.SetMaxIdleConns(8)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		_ = db.Close()
		return fmt.Errorf("open postgres database %s: %w", s.where, redactErr(err, cfg.Password))
	}
	s.w, s.r, s.d = db, db, postgresDialect()
	s.closeFn = db.Close
	return nil
}

func redactErr(err error, password string) error {
	if password == "" || !strings.Contains(err.Error(), password) {
		return err
	}
	return errors.New(strings.ReplaceAll(err.Error(), password, "xxxxx"))
}

func (s *Store) openSQLite(ctx context.Context, raw string) error {
	path := raw
	switch {
	case strings.HasPrefix(path, "sqlite://"):
		path = strings.TrimPrefix(path, "sqlite://")
	case strings.HasPrefix(path, "sqlite:"):
		path = strings.TrimPrefix(path, "sqlite:")
	case strings.HasPrefix(path, "file:"):
		path = strings.TrimPrefix(path, "file:")
	}
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	if path == "" {
		return fmt.Errorf("open sqlite database: empty path")
	}
	s.where = path
	const params = "_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_time_format=sqlite"
	memory := path == ":memory:"
	dsn := "file:" + path + "?" + params
	if memory {
		dsn = "file::memory:?" + params
	}
	w, err := sql.Open("sqlite", dsn+"&_txlock=immediate")
	if err != nil {
		return fmt.Errorf("open sqlite database %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	if err := w.PingContext(ctx); err != nil {
		_ = w.Close()
		return fmt.Errorf("open sqlite database %s: %w", path, err)
	}
	if !memory {
		if err := walMode(ctx, w); err != nil {
			_ = w.Close()
			return fmt.Errorf("open sqlite database %s: %w", path, err)
		}
	}
	r := w
	if !memory {
		r, err = sql.Open("sqlite", dsn+"&_pragma=query_only(1)")
		if err != nil {
			_ = w.Close()
			return fmt.Errorf("open sqlite database %s: %w", path, err)
		}
		r.SetMaxOpenConns(4)
		r.SetMaxIdleConns(4)
	}
	s.w, s.r, s.d = w, r, sqliteDialect()
	s.closeFn = func() error {
		var errs []error
		if r != w {
			errs = append(errs, r.Close())
		}
		errs = append(errs, w.Close())
		return errors.Join(errs...)
	}
	return nil
}

// walMode switches the database to write-ahead logging. Two processes (or
// connections) opening a new database at once both hold a shared lock and
// both want the exclusive lock the switch needs: SQLite answers one of them
// SQLITE_BUSY at once, without the busy timeout (waiting could deadlock).
// The switch is persistent and quick, so a busy answer is retried for up to
// the busy timeout.
func walMode(ctx context.Context, db *sql.DB) error {
	deadline := time.Now().Add(10 * time.Second)
	for delay := time.Millisecond; ; delay = min(2*delay, 100*time.Millisecond) {
		var mode string
		err := db.QueryRowContext(ctx, "PRAGMA journal_mode=WAL").Scan(&mode)
		if err == nil {
			return nil
		}
		var se *sqlite.Error
		if !errors.As(err, &se) || se.Code()&0xff != sqlite3.SQLITE_BUSY || time.Now().After(deadline) {
			return fmt.Errorf("set write-ahead logging: %w", err)
		}
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// SetClock sets the clock used where the store stamps times.
func (s *Store) SetClock(now func() time.Time) { s.now = now }

func (s *Store) clock() time.Time { return s.now().UTC() }

// Engine is "sqlite" or "postgres".
func (s *Store) Engine() string { return s.d.name }

// Close closes the database.
func (s *Store) Close() error {
	if s.closeFn == nil {
		return nil
	}
	return s.closeFn()
}

// Ping checks the database is reachable.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.w.PingContext(ctx); err != nil {
		return fmt.Errorf("ping %s database %s: %w", s.d.name, s.where, err)
	}
	return nil
}

// Statements is the number of SQL statements run so far (Exec, Query and
// QueryRow; not BEGIN/COMMIT).
func (s *Store) Statements() int64 { return s.stmts.Load() }

// querier is what *sql.DB, *sql.Conn and *sql.Tx have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// conn counts and rebinds every statement.
type conn struct {
	s *Store
	q querier
}

func (c conn) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	c.s.stmts.Add(1)
	return c.q.ExecContext(ctx, c.s.d.rebind(query), args...)
}

func (c conn) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	c.s.stmts.Add(1)
	return c.q.QueryContext(ctx, c.s.d.rebind(query), args...)
}

func (c conn) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	c.s.stmts.Add(1)
	return c.q.QueryRowContext(ctx, c.s.d.rebind(query), args...)
}

// read is for plain reads (inside WithTx: in the transaction).
func (s *Store) read() conn {
	if s.tx != nil {
		return conn{s: s, q: s.tx}
	}
	return conn{s: s, q: s.r}
}

// write is for single-statement writes (inside WithTx: in the transaction).
func (s *Store) write() conn {
	if s.tx != nil {
		return conn{s: s, q: s.tx}
	}
	return conn{s: s, q: s.w}
}

// WithTx runs fn with a Store whose every method runs in one transaction,
// committed when fn returns nil and rolled back otherwise. Inside fn use
// only the Store passed in: on SQLite the transaction holds the single
// writer connection, so writes through the outer Store would wait for it.
// Nested calls join the outer transaction.
func (s *Store) WithTx(ctx context.Context, fn func(tx *Store) error) error {
	if s.tx != nil {
		return fn(s)
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	ts := &Store{w: s.w, r: s.r, d: s.d, logger: s.logger, where: s.where, now: s.now, stmts: s.stmts, tx: tx}
	if err := fn(ts); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit transaction: %w", interpret(err))
	}
	return nil
}

// inTx runs fn in a transaction on the writer (or in the WithTx one).
func (s *Store) inTx(ctx context.Context, fn func(c conn) error) error {
	if s.tx != nil {
		return fn(conn{s: s, q: s.tx})
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	if err := fn(conn{s: s, q: tx}); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit transaction: %w", interpret(err))
	}
	return nil
}

// interpret maps driver errors to domain errors: no rows → ErrNotFound,
// unique violation → ECONFLICT.
func interpret(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return monkey.ErrNotFound
	}
	if isUnique(err) {
		return &monkey.Error{Code: monkey.ECONFLICT, Message: "already exists: " + uniqueDetail(err)}
	}
	return err
}

func isUnique(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "23505"
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == 2067 || se.Code() == 1555 // SQLITE_CONSTRAINT_UNIQUE, _PRIMARYKEY
	}
	return false
}

func uniqueDetail(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		if pe.Detail != "" {
			return pe.Detail
		}
		return pe.ConstraintName
	}
	msg := err.Error()
	if i := strings.Index(msg, "UNIQUE constraint failed: "); i >= 0 {
		return strings.TrimSuffix(msg[i+len("UNIQUE constraint failed: "):], ")")
	}
	return msg
}

// conflict wraps a unique violation with a friendly message.
func conflict(err error, format string, args ...any) error {
	if isUnique(err) {
		return monkey.Errorf(monkey.ECONFLICT, format, args...)
	}
	return err
}

// notFound returns a not-found error naming what is missing.
func notFound(format string, args ...any) error {
	return fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), monkey.ErrNotFound)
}

func nullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

func timePtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

func strPtr(s sql.NullString) *string {
	if !s.Valid {
		return nil
	}
	v := s.String
	return &v
}

func ptrNull(p *string) sql.NullString {
	if p == nil {
		return sql.NullString{}
	}
	return sql.NullString{String: *p, Valid: true}
}
