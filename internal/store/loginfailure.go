package store

import (
	"context"
	"fmt"
	"time"
)

// RecordLoginFailure records a failed sign-in for throttling.
func (s *Store) RecordLoginFailure(ctx context.Context, email, ip string, at time.Time) error {
	if _, err := s.write().exec(ctx, "INSERT INTO login_failures (at, email, ip) VALUES (?, ?, ?)", at.UTC(), email, ip); err != nil {
		return fmt.Errorf("record login failure: %w", err)
	}
	return nil
}

// LoginFailures counts the failures since a time for one e-mail and for
// one client address, with the oldest of each (zero when none).
type LoginFailures struct {
	Email, IP             int
	OldestEmail, OldestIP time.Time
}

// CountLoginFailures returns the failures after since.
func (s *Store) CountLoginFailures(ctx context.Context, email, ip string, since time.Time) (LoginFailures, error) {
	var f LoginFailures
	var oe, oi scanTime
	err := s.read().queryRow(ctx, `SELECT
		(SELECT COUNT(*) FROM login_failures WHERE email = ? AND at > ?),
		(SELECT MIN(at) FROM login_failures WHERE email = ? AND at > ?),
		(SELECT COUNT(*) FROM login_failures WHERE ip = ? AND at > ?),
		(SELECT MIN(at) FROM login_failures WHERE ip = ? AND at > ?)`,
		email, since.UTC(), email, since.UTC(), ip, since.UTC(), ip, since.UTC()).Scan(&f.Email, &oe, &f.IP, &oi)
	if err != nil {
		return LoginFailures{}, fmt.Errorf("count login failures: %w", err)
	}
	f.OldestEmail, f.OldestIP = oe.Time, oi.Time
	return f, nil
}

// ClearLoginFailures forgets the failures of an e-mail (after a successful
// sign-in); the client address keeps its count.
func (s *Store) ClearLoginFailures(ctx context.Context, email string) error {
	if _, err := s.write().exec(ctx, "DELETE FROM login_failures WHERE email = ?", email); err != nil {
		return fmt.Errorf("clear login failures: %w", err)
	}
	return nil
}

// PurgeLoginFailures deletes failures older than before.
func (s *Store) PurgeLoginFailures(ctx context.Context, before time.Time) error {
	if _, err := s.write().exec(ctx, "DELETE FROM login_failures WHERE at < ?", before.UTC()); err != nil {
		return fmt.Errorf("purge login failures: %w", err)
	}
	return nil
}
