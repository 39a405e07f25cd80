package store

import (
	"context"
	"fmt"
	"time"

	"github.com/secmonkey/monkey/internal/monkey"
)

// DefaultExceptionTTL is how long an exception is kept when it has no TTL.
const DefaultExceptionTTL = 10 * 24 * time.Hour

// LogException stores one collection or audit failure. Zero Occurred is
// now; zero TTL is Occurred + DefaultExceptionTTL.
func (s *Store) LogException(ctx context.Context, e monkey.Exception) error {
	if e.Occurred.IsZero() {
		e.Occurred = s.clock()
	}
	if e.TTL.IsZero() {
		e.TTL = e.Occurred.Add(DefaultExceptionTTL)
	}
	if _, err := s.write().exec(ctx, `INSERT INTO exceptions (source, occurred, ttl, exception_type, message, stacktrace,
		technology, account, region, item_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Source, e.Occurred.UTC(), e.TTL.UTC(), e.Type, e.Message, e.Stacktrace, e.Technology, e.Account, e.Region, e.ItemName); err != nil {
		return fmt.Errorf("log exception: %w", err)
	}
	return nil
}

// ListExceptions returns the newest exceptions first (limit <= 0: 100).
func (s *Store) ListExceptions(ctx context.Context, limit int) ([]monkey.Exception, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := s.read().query(ctx, `SELECT id, source, occurred, ttl, exception_type, message, stacktrace, technology,
		account, region, item_name FROM exceptions ORDER BY occurred DESC, id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("list exceptions: %w", err)
	}
	defer rows.Close()
	out := []monkey.Exception{}
	for rows.Next() {
		var e monkey.Exception
		if err := rows.Scan(&e.ID, &e.Source, &e.Occurred, &e.TTL, &e.Type, &e.Message, &e.Stacktrace, &e.Technology,
			&e.Account, &e.Region, &e.ItemName); err != nil {
			return nil, fmt.Errorf("list exceptions: %w", err)
		}
		e.Occurred, e.TTL = e.Occurred.UTC(), e.TTL.UTC()
		out = append(out, e)
	}
	return out, rows.Err()
}

// PurgeExpiredExceptions deletes exceptions whose TTL is before now.
func (s *Store) PurgeExpiredExceptions(ctx context.Context, now time.Time) (int, error) {
	res, err := s.write().exec(ctx, "DELETE FROM exceptions WHERE ttl < ?", now.UTC())
	if err != nil {
		return 0, fmt.Errorf("purge exceptions: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}
