package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/secmonkey/monkey/internal/monkey"
)

// AcquireLease takes the lease name for holder for ttl when it is free,
// expired or already held by holder (extending it). It reports whether
// holder holds the lease.
func (s *Store) AcquireLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	if name == "" || holder == "" {
		return false, monkey.Errorf(monkey.EINVALID, "lease: name and holder required")
	}
	q, args := s.d.acquireLease(name, holder, ttl, s.clock())
	var got string
	err := s.write().queryRow(ctx, q, args...).Scan(&got)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("acquire lease %s for %s: %w", name, holder, err)
	}
	return got == holder, nil
}

// ReleaseLease gives the lease up if holder holds it.
func (s *Store) ReleaseLease(ctx context.Context, name, holder string) error {
	if _, err := s.write().exec(ctx, "DELETE FROM leases WHERE name = ? AND holder = ?", name, holder); err != nil {
		return fmt.Errorf("release lease %s for %s: %w", name, holder, err)
	}
	return nil
}

// Lease returns the holder and expiry of a lease (possibly expired).
func (s *Store) Lease(ctx context.Context, name string) (string, time.Time, error) {
	var holder string
	var exp time.Time
	err := s.read().queryRow(ctx, "SELECT holder, expires_at FROM leases WHERE name = ?", name).Scan(&holder, &exp)
	if errors.Is(err, sql.ErrNoRows) {
		return "", time.Time{}, notFound("lease %s", name)
	}
	if err != nil {
		return "", time.Time{}, fmt.Errorf("read lease %s: %w", name, err)
	}
	return holder, exp.UTC(), nil
}

// ScanStarted records the start of a scan of one account and technology.
func (s *Store) ScanStarted(ctx context.Context, accountID int64, technology string, at time.Time) error {
	if _, err := s.write().exec(ctx, `INSERT INTO scans (account_id, technology, last_start, outcome) VALUES (?, ?, ?, 'running')
		ON CONFLICT (account_id, technology) DO UPDATE SET last_start = excluded.last_start, outcome = 'running'`,
		accountID, technology, at.UTC()); err != nil {
		return fmt.Errorf("record scan start %d/%s: %w", accountID, technology, err)
	}
	return nil
}

// ScanFinished records the end of a scan.
func (s *Store) ScanFinished(ctx context.Context, accountID int64, technology string, at time.Time, outcome string, items int, errText string) error {
	if _, err := s.write().exec(ctx, `INSERT INTO scans (account_id, technology, last_end, outcome, items, error) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (account_id, technology) DO UPDATE SET last_end = excluded.last_end, outcome = excluded.outcome,
		items = excluded.items, error = excluded.error`,
		accountID, technology, at.UTC(), outcome, items, errText); err != nil {
		return fmt.Errorf("record scan end %d/%s: %w", accountID, technology, err)
	}
	return nil
}

// ListScans returns the last scan of every (account, technology), by
// account name and technology.
func (s *Store) ListScans(ctx context.Context) ([]monkey.ScanStatus, error) {
	rows, err := s.read().query(ctx, `SELECT sc.account_id, a.name, sc.technology, sc.last_start, sc.last_end, sc.outcome,
		sc.items, sc.error FROM scans sc JOIN accounts a ON a.id = sc.account_id ORDER BY a.name, sc.technology`)
	if err != nil {
		return nil, fmt.Errorf("list scans: %w", err)
	}
	defer rows.Close()
	out := []monkey.ScanStatus{}
	for rows.Next() {
		var st monkey.ScanStatus
		var start, end sql.NullTime
		if err := rows.Scan(&st.AccountID, &st.Account, &st.Technology, &start, &end, &st.Outcome, &st.Items, &st.Error); err != nil {
			return nil, fmt.Errorf("list scans: %w", err)
		}
		st.LastStart, st.LastEnd = timePtr(start), timePtr(end)
		out = append(out, st)
	}
	return out, rows.Err()
}

// Heartbeat inserts or refreshes a process row; seen_at = now.
func (s *Store) Heartbeat(ctx context.Context, p monkey.Process) error {
	if p.ID == "" || p.Kind == "" {
		return monkey.Errorf(monkey.EINVALID, "process: id and kind required")
	}
	now := s.clock()
	if p.StartedAt.IsZero() {
		p.StartedAt = now
	}
	if _, err := s.write().exec(ctx, `INSERT INTO processes (id, kind, host, pid, started_at, seen_at, info) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, host = excluded.host, pid = excluded.pid,
		seen_at = excluded.seen_at, info = excluded.info`,
		p.ID, p.Kind, p.Host, p.PID, p.StartedAt.UTC(), now, p.Info); err != nil {
		return fmt.Errorf("heartbeat %s: %w", p.ID, err)
	}
	return nil
}

// ListProcesses returns processes of a kind ("" = all) seen since since.
func (s *Store) ListProcesses(ctx context.Context, kind string, since time.Time) ([]monkey.Process, error) {
	q := "SELECT id, kind, host, pid, started_at, seen_at, info FROM processes WHERE seen_at >= ?"
	args := []any{since.UTC()}
	if kind != "" {
		q += " AND kind = ?"
		args = append(args, kind)
	}
	rows, err := s.read().query(ctx, q+" ORDER BY kind, id", args...)
	if err != nil {
		return nil, fmt.Errorf("list processes: %w", err)
	}
	defer rows.Close()
	out := []monkey.Process{}
	for rows.Next() {
		var p monkey.Process
		if err := rows.Scan(&p.ID, &p.Kind, &p.Host, &p.PID, &p.StartedAt, &p.SeenAt, &p.Info); err != nil {
			return nil, fmt.Errorf("list processes: %w", err)
		}
		p.StartedAt, p.SeenAt = p.StartedAt.UTC(), p.SeenAt.UTC()
		out = append(out, p)
	}
	return out, rows.Err()
}

// RemoveProcess deletes a process row (no error when absent).
func (s *Store) RemoveProcess(ctx context.Context, id string) error {
	if _, err := s.write().exec(ctx, "DELETE FROM processes WHERE id = ?", id); err != nil {
		return fmt.Errorf("remove process %s: %w", id, err)
	}
	return nil
}
