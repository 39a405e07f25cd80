package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/secmonkey/monkey/internal/monkey"
)

// Token is an API token. Hash is the SHA-256 (hex) of the secret; the
// secret itself is shown once at creation and never stored. Prefix is the
// start of the secret, shown in lists to recognise a token.
type Token struct {
	ID       int64
	UserID   int64
	User     string // owner e-mail
	Name     string
	Hash     string
	Prefix   string
	Created  time.Time
	Expires  *time.Time
	LastUsed *time.Time
	Revoked  *time.Time
}

// CreateToken stores a token and sets its ID.
func (s *Store) CreateToken(ctx context.Context, t *Token) error {
	var exp sql.NullTime
	if t.Expires != nil {
		exp = sql.NullTime{Time: t.Expires.UTC(), Valid: true}
	}
	if strings.TrimSpace(t.Hash) == "" {
		return monkey.Errorf(monkey.EINVALID, "token: hash required")
	}
	err := s.write().queryRow(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, prefix, created, expires)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, t.UserID, t.Name, t.Hash, t.Prefix, t.Created.UTC(), exp).Scan(&t.ID)
	if err != nil {
		return fmt.Errorf("create token for user %d: %w", t.UserID, interpret(err))
	}
	return nil
}

const tokenColumns = `k.id, k.user_id, u.email, k.name, k.token_hash, k.prefix, k.created, k.expires, k.last_used, k.revoked`

func scanToken(sc interface{ Scan(...any) error }) (Token, error) {
	var t Token
	var exp, used, rev sql.NullTime
	err := sc.Scan(&t.ID, &t.UserID, &t.User, &t.Name, &t.Hash, &t.Prefix, &t.Created, &exp, &used, &rev)
	t.Created = t.Created.UTC()
	t.Expires, t.LastUsed, t.Revoked = timePtr(exp), timePtr(used), timePtr(rev)
	return t, err
}

// TokenUser returns the token with that hash and its owner.
func (s *Store) TokenUser(ctx context.Context, hash string) (Token, monkey.User, error) {
	row := s.read().queryRow(ctx, "SELECT "+tokenColumns+", "+userColumnsOf("u.")+
		" FROM api_tokens k JOIN users u ON u.id = k.user_id WHERE k.token_hash = ?", hash)
	var t Token
	var u monkey.User
	var exp, used, rev, confirmed, last, current sql.NullTime
	err := row.Scan(&t.ID, &t.UserID, &t.User, &t.Name, &t.Hash, &t.Prefix, &t.Created, &exp, &used, &rev,
		&u.ID, &u.Email, &u.Active, &u.Role, &u.PasswordHash, &u.ChangeReports, &u.DailyAudit,
		&confirmed, &last, &current, &u.LoginCount, &u.LastLoginIP, &u.CurrentLoginIP)
	if errors.Is(err, sql.ErrNoRows) {
		return Token{}, monkey.User{}, notFound("token")
	}
	if err != nil {
		return Token{}, monkey.User{}, fmt.Errorf("read token: %w", err)
	}
	t.Created = t.Created.UTC()
	t.Expires, t.LastUsed, t.Revoked = timePtr(exp), timePtr(used), timePtr(rev)
	u.ConfirmedAt, u.LastLoginAt, u.CurrentLoginAt = timePtr(confirmed), timePtr(last), timePtr(current)
	return t, u, nil
}

// TouchToken records the use of a token.
func (s *Store) TouchToken(ctx context.Context, id int64, at time.Time) error {
	if _, err := s.write().exec(ctx, "UPDATE api_tokens SET last_used = ? WHERE id = ?", at.UTC(), id); err != nil {
		return fmt.Errorf("touch token %d: %w", id, err)
	}
	return nil
}

// ListTokens returns the tokens of a user (0 = every user's), newest
// first.
func (s *Store) ListTokens(ctx context.Context, userID int64) ([]Token, error) {
	q := "SELECT " + tokenColumns + " FROM api_tokens k JOIN users u ON u.id = k.user_id"
	var args []any
	if userID != 0 {
		q += " WHERE k.user_id = ?"
		args = append(args, userID)
	}
	rows, err := s.read().query(ctx, q+" ORDER BY k.id DESC", args...)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	defer rows.Close()
	out := []Token{}
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, fmt.Errorf("list tokens: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// Token returns one token.
func (s *Store) Token(ctx context.Context, id int64) (Token, error) {
	t, err := scanToken(s.read().queryRow(ctx, "SELECT "+tokenColumns+
		" FROM api_tokens k JOIN users u ON u.id = k.user_id WHERE k.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return Token{}, notFound("token %d", id)
	}
	if err != nil {
		return Token{}, fmt.Errorf("read token %d: %w", id, err)
	}
	return t, nil
}

// RevokeToken marks a token revoked at now (a revoked token stays listed).
// userID != 0 limits it to that user's tokens (others are not found).
func (s *Store) RevokeToken(ctx context.Context, id, userID int64, now time.Time) error {
	q := "UPDATE api_tokens SET revoked = COALESCE(revoked, ?) WHERE id = ?"
	args := []any{now.UTC(), id}
	if userID != 0 {
		q += " AND user_id = ?"
		args = append(args, userID)
	}
	res, err := s.write().exec(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("revoke token %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("token %d", id)
	}
	return nil
}
