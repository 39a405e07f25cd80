package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/secmonkey/monkey/internal/monkey"
)

func validateUser(u monkey.User) error {
	if strings.TrimSpace(u.Email) == "" {
		return monkey.Errorf(monkey.EINVALID, "user: email required")
	}
	switch u.Role {
	case "View", "Comment", "Justify", "Admin":
	default:
		return monkey.Errorf(monkey.EINVALID, "user %s: role must be View, Comment, Justify or Admin, not %q", u.Email, u.Role)
	}
	switch u.ChangeReports {
	case "ALL", "ISSUES", "NONE":
	default:
		return monkey.Errorf(monkey.EINVALID, "user %s: change reports must be ALL, ISSUES or NONE, not %q", u.Email, u.ChangeReports)
	}
	return nil
}

func defaultUser(u *monkey.User) {
	if u.Role == "" {
		u.Role = "View"
	}
	if u.ChangeReports == "" {
		u.ChangeReports = "NONE"
	}
}

// CreateUser inserts a user and sets its ID (empty role = View, empty
// change reports = NONE).
func (s *Store) CreateUser(ctx context.Context, u *monkey.User) error {
	defaultUser(u)
	if err := validateUser(*u); err != nil {
		return err
	}
	err := s.write().queryRow(ctx, `INSERT INTO users (email, password_hash, active, role, change_reports, daily_audit_email)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
		u.Email, u.PasswordHash, u.Active, u.Role, u.ChangeReports, u.DailyAudit).Scan(&u.ID)
	if err != nil {
		return fmt.Errorf("create user %s: %w", u.Email, conflict(err, "a user with email %q already exists", u.Email))
	}
	return nil
}

const userColumns = "id, email, active, role, password_hash, change_reports, daily_audit_email"

func scanUser(sc interface{ Scan(...any) error }) (monkey.User, error) {
	var u monkey.User
	err := sc.Scan(&u.ID, &u.Email, &u.Active, &u.Role, &u.PasswordHash, &u.ChangeReports, &u.DailyAudit)
	return u, err
}

// UserByEmail returns the user with that e-mail.
func (s *Store) UserByEmail(ctx context.Context, email string) (monkey.User, error) {
	u, err := scanUser(s.read().queryRow(ctx, "SELECT "+userColumns+" FROM users WHERE email = ?", email))
	if errors.Is(err, sql.ErrNoRows) {
		return monkey.User{}, notFound("user %s", email)
	}
	if err != nil {
		return monkey.User{}, fmt.Errorf("read user %s: %w", email, err)
	}
	return u, nil
}

// User returns the user id.
func (s *Store) User(ctx context.Context, id int64) (monkey.User, error) {
	u, err := scanUser(s.read().queryRow(ctx, "SELECT "+userColumns+" FROM users WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return monkey.User{}, notFound("user %d", id)
	}
	if err != nil {
		return monkey.User{}, fmt.Errorf("read user %d: %w", id, err)
	}
	return u, nil
}

// ListUsers returns every user by e-mail.
func (s *Store) ListUsers(ctx context.Context) ([]monkey.User, error) {
	rows, err := s.read().query(ctx, "SELECT "+userColumns+" FROM users ORDER BY email")
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	out := []monkey.User{}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("list users: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// UpdateUser updates every field of user u.ID.
func (s *Store) UpdateUser(ctx context.Context, u monkey.User) error {
	defaultUser(&u)
	if err := validateUser(u); err != nil {
		return err
	}
	res, err := s.write().exec(ctx, `UPDATE users SET email = ?, password_hash = ?, active = ?, role = ?, change_reports = ?,
		daily_audit_email = ? WHERE id = ?`, u.Email, u.PasswordHash, u.Active, u.Role, u.ChangeReports, u.DailyAudit, u.ID)
	if err != nil {
		return fmt.Errorf("update user %d: %w", u.ID, conflict(err, "a user with email %q already exists", u.Email))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("user %d", u.ID)
	}
	return nil
}

// DeleteUser deletes a user.
func (s *Store) DeleteUser(ctx context.Context, id int64) error {
	return s.deleteByID(ctx, "users", "user", id)
}

// RecordLogin updates the login tracking fields of a user.
func (s *Store) RecordLogin(ctx context.Context, id int64, ip string) error {
	res, err := s.write().exec(ctx, `UPDATE users SET last_login_at = current_login_at, last_login_ip = current_login_ip,
		current_login_at = ?, current_login_ip = ?, login_count = login_count + 1 WHERE id = ?`, s.clock(), ip, id)
	if err != nil {
		return fmt.Errorf("record login of user %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("user %d", id)
	}
	return nil
}

// UserAccounts returns the ids of the accounts a user is subscribed to.
func (s *Store) UserAccounts(ctx context.Context, userID int64) ([]int64, error) {
	rows, err := s.read().query(ctx, "SELECT account_id FROM user_accounts WHERE user_id = ? ORDER BY account_id", userID)
	if err != nil {
		return nil, fmt.Errorf("user %d accounts: %w", userID, err)
	}
	defer rows.Close()
	out := []int64{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("user %d accounts: %w", userID, err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// SetUserAccounts replaces the accounts a user is subscribed to.
func (s *Store) SetUserAccounts(ctx context.Context, userID int64, accountIDs []int64) error {
	return s.inTx(ctx, func(c conn) error {
		if _, err := c.exec(ctx, "DELETE FROM user_accounts WHERE user_id = ?", userID); err != nil {
			return fmt.Errorf("set user %d accounts: %w", userID, err)
		}
		if len(accountIDs) == 0 {
			return nil
		}
		args := make([]any, 0, 2*len(accountIDs))
		for _, a := range accountIDs {
			args = append(args, userID, a)
		}
		if _, err := c.exec(ctx, "INSERT INTO user_accounts (user_id, account_id) VALUES "+placeholders(len(accountIDs), "(?,?)")+
			" ON CONFLICT (user_id, account_id) DO NOTHING", args...); err != nil {
			return fmt.Errorf("set user %d accounts: %w", userID, err)
		}
		return nil
	})
}
