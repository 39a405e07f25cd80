package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/secmonkey/monkey/internal/monkey"
)

// Scan locks serialise the scans of one (account, technology) pair: whoever
// scans a pair (a worker task, find-changes, audit-changes) holds a lease row
// in scan_locks from change detection to the end of the audit, renews it
// while it works, and every write transaction of the scan checks inside the
// transaction that the lease is still its own (the fence). A holder that
// dies stops renewing; its lease expires and the pair is free again. See
// docs/decisions.md, "Overlapping scans".

// ErrLockLost is returned by a fenced write whose scan lock was taken over
// (after it expired) or released: the write is refused, nothing of it is
// stored.
var ErrLockLost = errors.New("scan lock lost")

// LockOwner describes who takes scan locks, for whoever has to wait.
type LockOwner struct {
	// Holder is the fencing token: unique per scan (one token may hold
	// many pairs).
	Holder string
	Owner  string // what holds it: "find-changes", "worker", …
	Host   string
	PID    int
}

// ScanLock is a held (or expired) scan lock.
type ScanLock struct {
	AccountID  int64
	Technology string
	LockOwner
	AcquiredAt time.Time
	ExpiresAt  time.Time
}

// String describes the holder: `find-changes on host h (pid 12) since 2026-…`.
func (l ScanLock) String() string {
	owner := l.Owner
	if owner == "" {
		owner = "a scan"
	}
	return fmt.Sprintf("%s on host %s (pid %d) since %s", owner, l.Host, l.PID, l.AcquiredAt.UTC().Format(time.RFC3339))
}

// Fence makes a write transaction check that its scan still holds the lock
// of the pair it writes. The zero Fence checks nothing (tools and tests
// that write outside any scan).
type Fence struct {
	Holder string
}

// nowExpr returns the SQL for "now" and its arguments: the database clock
// on Postgres (hosts with skewed clocks agree), the store clock on SQLite.
func (s *Store) nowExpr() (string, []any) {
	if s.d.dbNow != "" {
		return s.d.dbNow, nil
	}
	return "?", []any{s.clock()}
}

// laterExpr returns the SQL for now + ttl and its arguments.
func (s *Store) laterExpr(ttl time.Duration) (string, []any) {
	if s.d.dbNow != "" {
		return s.d.plusSeconds(s.d.dbNow), []any{ttl.Seconds()}
	}
	return "?", []any{s.clock().Add(ttl)}
}

// TryLockScans takes the scan locks of every technology of one account for
// owner, all or none, without waiting: a pair is free when it has no lock,
// when its lock expired, or when owner.Holder already holds it (renewed
// then). It returns ok and, when some pair is held by another scan, that
// lock.
func (s *Store) TryLockScans(ctx context.Context, accountID int64, technologies []string, owner LockOwner, ttl time.Duration) (bool, ScanLock, error) {
	if owner.Holder == "" || len(technologies) == 0 || ttl <= 0 {
		return false, ScanLock{}, monkey.Errorf(monkey.EINVALID, "scan lock: holder, technologies and a positive ttl required")
	}
	techs := slices.Clone(technologies)
	slices.Sort(techs) // one order for every taker: no deadlock between two upserts
	techs = slices.Compact(techs)
	where := fmt.Sprintf("lock scans of account %d (%s)", accountID, strings.Join(techs, ","))
	var got int
	err := s.inTx(ctx, func(c conn) error {
		nowSQL, nowArgs := s.nowExpr()
		laterSQL, laterArgs := s.laterExpr(ttl)
		args := make([]any, 0, len(techs)*(6+len(nowArgs)+len(laterArgs))+len(nowArgs))
		rows := make([]string, len(techs))
		for i, t := range techs {
			rows[i] = "(?, ?, ?, ?, ?, ?, " + nowSQL + ", " + laterSQL + ")"
			args = append(args, accountID, t, owner.Holder, owner.Owner, owner.Host, owner.PID)
			args = append(args, nowArgs...)
			args = append(args, laterArgs...)
		}
		args = append(args, nowArgs...)
		q := `INSERT INTO scan_locks (account_id, technology, holder, owner, host, pid, acquired_at, expires_at)
			VALUES ` + strings.Join(rows, ", ") + `
			ON CONFLICT (account_id, technology) DO UPDATE SET holder = excluded.holder, owner = excluded.owner,
				host = excluded.host, pid = excluded.pid, expires_at = excluded.expires_at,
				acquired_at = CASE WHEN scan_locks.holder = excluded.holder THEN scan_locks.acquired_at ELSE excluded.acquired_at END
			WHERE scan_locks.holder = excluded.holder OR scan_locks.expires_at < ` + nowSQL + `
			RETURNING technology`
		rs, err := c.query(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		for rs.Next() {
			got++
		}
		rs.Close()
		if err := rs.Err(); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		if got != len(techs) {
			return errBusy // roll back the pairs taken: all or none
		}
		return nil
	})
	switch {
	case err == nil:
		return true, ScanLock{}, nil
	case !errors.Is(err, errBusy):
		return false, ScanLock{}, err
	}
	locks, err := s.scanLocks(ctx, "account_id = ? AND holder <> ? AND technology IN ("+inList(len(techs))+")",
		append([]any{accountID, owner.Holder}, stringArgs(techs)...)...)
	if err != nil {
		return false, ScanLock{}, fmt.Errorf("%s: %w", where, err)
	}
	if len(locks) == 0 {
		// Released between the two statements: report it as held; the
		// caller tries again.
		return false, ScanLock{AccountID: accountID, Technology: techs[0]}, nil
	}
	return false, locks[0], nil
}

var errBusy = errors.New("scan lock busy")

func stringArgs(xs []string) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

// heldBy selects the lock rows of a holder, locked in (account,
// technology) order on Postgres: the order TryLockScans takes them in, so
// that a renewal or release never deadlocks with a taker.
func (s *Store) heldBy() string {
	return `(account_id, technology) IN (SELECT account_id, technology FROM scan_locks WHERE holder = ?
		ORDER BY account_id, technology` + s.d.forUpdate + `)`
}

// RenewScanLocks extends every lock holder still holds by ttl and returns
// how many it extended: fewer than the holder took means some were taken
// over by another scan (after they expired) or released. A lock that
// expired while its renewal waited (SQLite's one writer connection busy with
// other transactions of a large scan) but that nobody took is still the
// holder's, and is extended.
func (s *Store) RenewScanLocks(ctx context.Context, holder string, ttl time.Duration) (int, error) {
	laterSQL, laterArgs := s.laterExpr(ttl)
	args := append(append(laterArgs, holder), holder)
	res, err := s.write().exec(ctx, "UPDATE scan_locks SET expires_at = "+laterSQL+
		" WHERE holder = ? AND "+s.heldBy(), args...)
	if err != nil {
		return 0, fmt.Errorf("renew scan locks of %s: %w", holder, err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// ReleaseScanLocks gives up every lock of holder.
func (s *Store) ReleaseScanLocks(ctx context.Context, holder string) error {
	if _, err := s.write().exec(ctx, "DELETE FROM scan_locks WHERE holder = ? AND "+s.heldBy(), holder, holder); err != nil {
		return fmt.Errorf("release scan locks of %s: %w", holder, err)
	}
	return nil
}

// ScanLocks returns every scan lock row (expired ones too), by account and
// technology.
func (s *Store) ScanLocks(ctx context.Context) ([]ScanLock, error) {
	out, err := s.scanLocks(ctx, "1 = 1")
	if err != nil {
		return nil, fmt.Errorf("list scan locks: %w", err)
	}
	return out, nil
}

func (s *Store) scanLocks(ctx context.Context, where string, args ...any) ([]ScanLock, error) {
	rows, err := s.read().query(ctx, `SELECT account_id, technology, holder, owner, host, pid, acquired_at, expires_at
		FROM scan_locks WHERE `+where+` ORDER BY account_id, technology`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []ScanLock{}
	for rows.Next() {
		var l ScanLock
		var acq, exp scanTime
		if err := rows.Scan(&l.AccountID, &l.Technology, &l.Holder, &l.Owner, &l.Host, &l.PID, &acq, &exp); err != nil {
			return nil, err
		}
		l.AcquiredAt, l.ExpiresAt = acq.Time, exp.Time
		out = append(out, l)
	}
	return out, rows.Err()
}

// checkFence refuses the transaction unless f's holder still holds the
// lock of the pair: nobody took it over, nobody released it. Expiry only
// lets another scan take the pair; until one does, no other scan has
// written it, so the holder's write is safe (docs/decisions.md, decision
// 115). On Postgres the statement also locks the lease row
// until the transaction ends, so that no other scan can take the pair over
// while this transaction writes.
func (s *Store) checkFence(ctx context.Context, c conn, f Fence, accountID int64, technology string) error {
	if f.Holder == "" {
		return nil
	}
	res, err := c.exec(ctx, `UPDATE scan_locks SET expires_at = expires_at
		WHERE account_id = ? AND technology = ? AND holder = ?`, accountID, technology, f.Holder)
	if err != nil {
		return fmt.Errorf("check scan lock %d/%s: %w", accountID, technology, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("%w: the lock of %d/%s was taken over by another scan or released; nothing written", ErrLockLost, accountID, technology)
	}
	return nil
}
