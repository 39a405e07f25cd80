package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
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

// userColumnsOf lists the columns scanUser reads, qualified by alias ("u."
// or "").
func userColumnsOf(a string) string {
	return a + "id, " + a + "email, " + a + "active, " + a + "role, " + a + "password_hash, " + a + "change_reports, " +
		a + "daily_audit_email, " + a + "confirmed_at, " + a + "last_login_at, " + a + "current_login_at, " +
		a + "login_count, COALESCE(" + a + "last_login_ip, ''), COALESCE(" + a + "current_login_ip, '')"
}

var userColumns = userColumnsOf("")

func scanUser(sc interface{ Scan(...any) error }) (monkey.User, error) {
	var u monkey.User
	var confirmed, last, current sql.NullTime
	err := sc.Scan(&u.ID, &u.Email, &u.Active, &u.Role, &u.PasswordHash, &u.ChangeReports, &u.DailyAudit, &confirmed,
		&last, &current, &u.LoginCount, &u.LastLoginIP, &u.CurrentLoginIP)
	u.ConfirmedAt, u.LastLoginAt, u.CurrentLoginAt = timePtr(confirmed), timePtr(last), timePtr(current)
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

// UpdateUser updates the e-mail, password hash, active flag, role and
// notification settings of user u.ID. When the user is disabled or the
// password hash changes, every session of the user ends in the same
// transaction.
func (s *Store) UpdateUser(ctx context.Context, u monkey.User) error {
	defaultUser(&u)
	if err := validateUser(u); err != nil {
		return err
	}
	return s.inTx(ctx, func(c conn) error {
		var oldHash string
		var oldActive bool
		err := c.queryRow(ctx, "SELECT password_hash, active FROM users WHERE id = ?", u.ID).Scan(&oldHash, &oldActive)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("user %d", u.ID)
		}
		if err != nil {
			return fmt.Errorf("update user %d: %w", u.ID, err)
		}
		if _, err := c.exec(ctx, `UPDATE users SET email = ?, password_hash = ?, active = ?, role = ?, change_reports = ?,
			daily_audit_email = ? WHERE id = ?`, u.Email, u.PasswordHash, u.Active, u.Role, u.ChangeReports, u.DailyAudit, u.ID); err != nil {
			return fmt.Errorf("update user %d: %w", u.ID, conflict(err, "a user with email %q already exists", u.Email))
		}
		if (oldActive && !u.Active) || oldHash != u.PasswordHash {
			if _, err := c.exec(ctx, "DELETE FROM sessions WHERE user_id = ?", u.ID); err != nil {
				return fmt.Errorf("end sessions of user %d: %w", u.ID, err)
			}
		}
		return nil
	})
}

// DeleteUser deletes a user (its sessions and tokens go with it).
func (s *Store) DeleteUser(ctx context.Context, id int64) error {
	return s.deleteByID(ctx, "users", "user", id)
}

// UserQuery pages and orders the user list (api.md §2.7).
type UserQuery struct {
	Page, Count int
	// OrderBy is a user column (not password); "" = id.
	OrderBy string
	Desc    bool
}

// userOrderColumns are the columns users may be ordered by.
var userOrderColumns = map[string]string{
	"id": "id", "email": "email", "active": "active", "role": "role", "confirmed_at": "confirmed_at",
	"daily_audit_email": "daily_audit_email", "change_reports": "change_reports", "last_login_at": "last_login_at",
	"current_login_at": "current_login_at", "login_count": "login_count", "last_login_ip": "last_login_ip",
	"current_login_ip": "current_login_ip",
}

// UserOrderColumns returns the names ListUsersPage accepts in OrderBy.
func UserOrderColumns() []string {
	out := make([]string, 0, len(userOrderColumns))
	for k := range userOrderColumns {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// ListUsersPage returns one page of users and the number of users.
func (s *Store) ListUsersPage(ctx context.Context, q UserQuery) ([]monkey.User, int, error) {
	col := "id"
	if q.OrderBy != "" {
		c, ok := userOrderColumns[q.OrderBy]
		if !ok {
			return nil, 0, monkey.FieldErrorf("order_by", "cannot order users by %q", q.OrderBy)
		}
		col = c
	}
	dir := " ASC"
	if q.Desc {
		dir = " DESC"
	}
	var total int
	if err := s.read().queryRow(ctx, "SELECT COUNT(*) FROM users").Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count users: %w", err)
	}
	limit, offset := pageOf(q.Page, q.Count)
	rows, err := s.read().query(ctx, "SELECT "+userColumns+" FROM users ORDER BY "+col+dir+", id"+dir+" LIMIT ? OFFSET ?", limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	out := []monkey.User{}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("list users: %w", err)
		}
		out = append(out, u)
	}
	return out, total, rows.Err()
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
