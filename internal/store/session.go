package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/secmonkey/monkey/internal/monkey"
)

// Session is a signed-in browser session. IDHash is the SHA-256 (hex) of
// the token in the cookie; the token itself is never stored.
type Session struct {
	IDHash          string
	UserID          int64
	CSRFToken       string
	Created         time.Time
	LastSeen        time.Time
	IdleExpires     time.Time
	AbsoluteExpires time.Time
	IP              string
	UserAgent       string
}

// CreateSession stores a new session.
func (s *Store) CreateSession(ctx context.Context, se Session) error {
	if _, err := s.write().exec(ctx, `INSERT INTO sessions (id_hash, user_id, csrf_token, created, last_seen, idle_expires,
		absolute_expires, ip, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		se.IDHash, se.UserID, se.CSRFToken, se.Created.UTC(), se.LastSeen.UTC(), se.IdleExpires.UTC(),
		se.AbsoluteExpires.UTC(), se.IP, se.UserAgent); err != nil {
		return fmt.Errorf("create session of user %d: %w", se.UserID, err)
	}
	return nil
}

// SessionUser returns the session with that id hash and its user.
func (s *Store) SessionUser(ctx context.Context, idHash string) (Session, monkey.User, error) {
	var se Session
	row := s.read().queryRow(ctx, `SELECT s.id_hash, s.user_id, s.csrf_token, s.created, s.last_seen, s.idle_expires,
		s.absolute_expires, s.ip, s.user_agent, `+userColumnsOf("u.")+`
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?`, idHash)
	var u monkey.User
	var confirmed, last, current sql.NullTime
	err := row.Scan(&se.IDHash, &se.UserID, &se.CSRFToken, &se.Created, &se.LastSeen, &se.IdleExpires, &se.AbsoluteExpires,
		&se.IP, &se.UserAgent, &u.ID, &u.Email, &u.Active, &u.Role, &u.PasswordHash, &u.ChangeReports, &u.DailyAudit,
		&confirmed, &last, &current, &u.LoginCount, &u.LastLoginIP, &u.CurrentLoginIP)
	if errors.Is(err, sql.ErrNoRows) {
		return Session{}, monkey.User{}, notFound("session")
	}
	if err != nil {
		return Session{}, monkey.User{}, fmt.Errorf("read session: %w", err)
	}
	u.ConfirmedAt, u.LastLoginAt, u.CurrentLoginAt = timePtr(confirmed), timePtr(last), timePtr(current)
	se.Created, se.LastSeen = se.Created.UTC(), se.LastSeen.UTC()
	se.IdleExpires, se.AbsoluteExpires = se.IdleExpires.UTC(), se.AbsoluteExpires.UTC()
	return se, u, nil
}

// TouchSession records activity: the session's idle expiry moves to
// idleExpires.
func (s *Store) TouchSession(ctx context.Context, idHash string, seen, idleExpires time.Time) error {
	if _, err := s.write().exec(ctx, "UPDATE sessions SET last_seen = ?, idle_expires = ? WHERE id_hash = ?",
		seen.UTC(), idleExpires.UTC(), idHash); err != nil {
		return fmt.Errorf("touch session: %w", err)
	}
	return nil
}

// DeleteSession ends one session (no error when it is already gone).
func (s *Store) DeleteSession(ctx context.Context, idHash string) error {
	if _, err := s.write().exec(ctx, "DELETE FROM sessions WHERE id_hash = ?", idHash); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteUserSessions ends every session of a user.
func (s *Store) DeleteUserSessions(ctx context.Context, userID int64) error {
	if _, err := s.write().exec(ctx, "DELETE FROM sessions WHERE user_id = ?", userID); err != nil {
		return fmt.Errorf("end sessions of user %d: %w", userID, err)
	}
	return nil
}

// PurgeSessions deletes the sessions expired at now and returns how many.
func (s *Store) PurgeSessions(ctx context.Context, now time.Time) (int, error) {
	res, err := s.write().exec(ctx, "DELETE FROM sessions WHERE idle_expires < ? OR absolute_expires < ?", now.UTC(), now.UTC())
	if err != nil {
		return 0, fmt.Errorf("purge sessions: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}
