package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Action is one recorded write (the action log): who did what to which
// target, when and from where, with the values before and after where they
// apply (JSON text).
type Action struct {
	ID     int64
	At     time.Time
	UserID int64  // 0 = the command line or the system
	User   string // e-mail, or "cli" for the command line
	Source string // client address, or "cli"
	Action string // e.g. "issue.justify", "user.create"
	Target string // e.g. "issue 42"
	Before *string
	After  *string
}

// RecordAction appends to the action log (At = now when zero).
func (s *Store) RecordAction(ctx context.Context, a Action) error {
	if a.At.IsZero() {
		a.At = s.clock()
	}
	if a.Action == "" {
		return fmt.Errorf("record action: no action")
	}
	if _, err := s.write().exec(ctx, `INSERT INTO action_log (at, user_id, user_email, source, action, target, before_value,
		after_value) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, a.At.UTC(), nullID(a.UserID), a.User, a.Source, a.Action, a.Target,
		ptrNull(a.Before), ptrNull(a.After)); err != nil {
		return fmt.Errorf("record action %s: %w", a.Action, err)
	}
	return nil
}

// ActionQuery filters the action log: empty fields mean all.
type ActionQuery struct {
	Users   []string // e-mails
	Actions []string
	Page    int
	Count   int
}

// ListActions returns one page of the action log, newest first, and the
// number of matching entries.
func (s *Store) ListActions(ctx context.Context, q ActionQuery) ([]Action, int, error) {
	cond := " WHERE 1 = 1"
	var args []any
	if len(q.Users) > 0 {
		cond += " AND user_email IN (" + inList(len(q.Users)) + ")"
		for _, u := range q.Users {
			args = append(args, u)
		}
	}
	if len(q.Actions) > 0 {
		cond += " AND action IN (" + inList(len(q.Actions)) + ")"
		for _, a := range q.Actions {
			args = append(args, a)
		}
	}
	var total int
	if err := s.read().queryRow(ctx, "SELECT COUNT(*) FROM action_log"+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count action log: %w", err)
	}
	limit, offset := pageOf(q.Page, q.Count)
	rows, err := s.read().query(ctx, `SELECT id, at, COALESCE(user_id, 0), user_email, source, action, target, before_value,
		after_value FROM action_log`+cond+" ORDER BY id DESC LIMIT ? OFFSET ?", append(args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("list action log: %w", err)
	}
	defer rows.Close()
	out := []Action{}
	for rows.Next() {
		var a Action
		var before, after sql.NullString
		if err := rows.Scan(&a.ID, &a.At, &a.UserID, &a.User, &a.Source, &a.Action, &a.Target, &before, &after); err != nil {
			return nil, 0, fmt.Errorf("list action log: %w", err)
		}
		a.At = a.At.UTC()
		a.Before, a.After = strPtr(before), strPtr(after)
		out = append(out, a)
	}
	return out, total, rows.Err()
}
