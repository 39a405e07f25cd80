package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/secmonkey/monkey/internal/monkey"
)

// Notification statuses.
const (
	NotificationPending = "pending"
	NotificationSent    = "sent"
	NotificationFailed  = "failed"
)

// Notification is one message to one recipient on one channel, in the
// notification outbox.
type Notification struct {
	ID int64
	// Key is the idempotency key: a second notification with the same key
	// is not stored.
	Key       string
	Kind      string // "change", "audit", "test"
	Channel   string // "email", "slack", "webhook"
	Recipient string // e-mail address; "" for channels with one destination
	Account   string
	Subject   string
	Payload   []byte // the rendered message (JSON)
	Status    string
	Attempts  int
	NextTry   time.Time
	LastError string
	Created   time.Time
	SentAt    *time.Time
	// Claim is the token of the claim that returned the row (ClaimNotifications).
	Claim string
}

// EnqueueNotifications stores the notifications whose key is new, due at
// their NextTry (zero: now), and returns how many were stored.
func (s *Store) EnqueueNotifications(ctx context.Context, ns []Notification) (int, error) {
	now := s.clock()
	stored := 0
	err := s.inTx(ctx, func(c conn) error {
		for _, n := range ns {
			due := n.NextTry
			if due.IsZero() {
				due = now
			}
			if n.Key == "" || n.Channel == "" {
				return monkey.Errorf(monkey.EINVALID, "notification: key and channel required")
			}
			res, err := c.exec(ctx, `INSERT INTO notifications (dedupe_key, kind, channel, recipient, account, subject, payload,
				status, next_attempt, created) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?) ON CONFLICT (dedupe_key) DO NOTHING`,
				n.Key, n.Kind, n.Channel, n.Recipient, n.Account, n.Subject, string(n.Payload), due.UTC(), now)
			if err != nil {
				return fmt.Errorf("enqueue notification %s: %w", n.Key, err)
			}
			k, err := res.RowsAffected()
			if err != nil {
				return fmt.Errorf("enqueue notification %s: %w", n.Key, err)
			}
			stored += int(k)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return stored, nil
}

const notificationColumns = `id, dedupe_key, kind, channel, recipient, account, subject, payload, status, attempts,
	next_attempt, last_error, created, sent_at, claimed_by`

func scanNotification(sc interface{ Scan(...any) error }) (Notification, error) {
	var n Notification
	var payload string
	var sent sql.NullTime
	err := sc.Scan(&n.ID, &n.Key, &n.Kind, &n.Channel, &n.Recipient, &n.Account, &n.Subject, &payload, &n.Status,
		&n.Attempts, &n.NextTry, &n.LastError, &n.Created, &sent, &n.Claim)
	n.Payload = []byte(payload)
	n.NextTry, n.Created, n.SentAt = n.NextTry.UTC(), n.Created.UTC(), timePtr(sent)
	return n, err
}

// ClaimNotifications claims up to limit pending notifications due by dueBy
// and not claimed by a live claim, for lease. Each returned row carries the
// claim token that NotificationSent and NotificationFailed need: a claim
// that expired (its holder died) lets another holder send the row.
func (s *Store) ClaimNotifications(ctx context.Context, holder string, dueBy time.Time, lease time.Duration, limit int) ([]Notification, error) {
	if limit <= 0 {
		limit = 10
	}
	var b [8]byte
	_, _ = rand.Read(b[:])
	token := holder + "#" + hex.EncodeToString(b[:])
	now := s.clock()
	free := `status = 'pending' AND next_attempt <= ? AND (claimed_until IS NULL OR claimed_until < ?)`
	if _, err := s.write().exec(ctx, `UPDATE notifications SET claimed_by = ?, claimed_until = ? WHERE `+free+
		` AND id IN (SELECT id FROM notifications WHERE `+free+` ORDER BY next_attempt, id LIMIT ?)`,
		token, now.Add(lease), dueBy.UTC(), now, dueBy.UTC(), now, limit); err != nil {
		return nil, fmt.Errorf("claim notifications: %w", err)
	}
	rows, err := s.read().query(ctx, "SELECT "+notificationColumns+
		" FROM notifications WHERE claimed_by = ? AND status = 'pending' ORDER BY id", token)
	if err != nil {
		return nil, fmt.Errorf("claim notifications: %w", err)
	}
	defer rows.Close()
	var out []Notification
	for rows.Next() {
		n, err := scanNotification(rows)
		if err != nil {
			return nil, fmt.Errorf("claim notifications: %w", err)
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// NotificationSent records the delivery of a claimed notification. It
// returns monkey.ErrNotFound-coded error when the claim was lost.
func (s *Store) NotificationSent(ctx context.Context, id int64, claim string) error {
	now := s.clock()
	res, err := s.write().exec(ctx, `UPDATE notifications SET status = 'sent', sent_at = ?, attempts = attempts + 1,
		last_error = '', claimed_until = NULL WHERE id = ? AND claimed_by = ? AND status = 'pending'`, now, id, claim)
	return claimResult(res, err, "record notification %d sent", id)
}

// NotificationFailed records a failed delivery of a claimed notification:
// with a zero next it failed for good, else it is tried again at next.
func (s *Store) NotificationFailed(ctx context.Context, id int64, claim, errText string, next time.Time) error {
	status := NotificationPending
	if next.IsZero() {
		status, next = NotificationFailed, s.clock()
	}
	res, err := s.write().exec(ctx, `UPDATE notifications SET status = ?, attempts = attempts + 1, last_error = ?,
		next_attempt = ?, claimed_until = NULL WHERE id = ? AND claimed_by = ? AND status = 'pending'`,
		status, errText, next.UTC(), id, claim)
	return claimResult(res, err, "record notification %d failure", id)
}

func claimResult(res sql.Result, err error, format string, id int64) error {
	if err != nil {
		return fmt.Errorf(format+": %w", id, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf(format+": %w", id, err)
	}
	if n == 0 {
		return notFound("claim of notification %d", id)
	}
	return nil
}

// NotificationQuery filters ListNotifications.
type NotificationQuery struct {
	Status string // "" = any
	Kind   string // "" = any
	Limit  int    // default 100
}

// ListNotifications returns notifications newest first.
func (s *Store) ListNotifications(ctx context.Context, q NotificationQuery) ([]Notification, error) {
	if q.Limit <= 0 {
		q.Limit = 100
	}
	rows, err := s.read().query(ctx, "SELECT "+notificationColumns+` FROM notifications
		WHERE (? = '' OR status = ?) AND (? = '' OR kind = ?) ORDER BY id DESC LIMIT ?`,
		q.Status, q.Status, q.Kind, q.Kind, q.Limit)
	if err != nil {
		return nil, fmt.Errorf("list notifications: %w", err)
	}
	defer rows.Close()
	out := []Notification{}
	for rows.Next() {
		n, err := scanNotification(rows)
		if err != nil {
			return nil, fmt.Errorf("list notifications: %w", err)
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// NotificationCounts counts the notifications per status.
func (s *Store) NotificationCounts(ctx context.Context) (map[string]int, error) {
	rows, err := s.read().query(ctx, "SELECT status, COUNT(*) FROM notifications GROUP BY status")
	if err != nil {
		return nil, fmt.Errorf("count notifications: %w", err)
	}
	defer rows.Close()
	out := map[string]int{NotificationPending: 0, NotificationSent: 0, NotificationFailed: 0}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, fmt.Errorf("count notifications: %w", err)
		}
		out[st] = n
	}
	return out, rows.Err()
}

// AccountFollowers returns the active users who follow an account (the
// "Notify" accounts of their settings), by e-mail.
func (s *Store) AccountFollowers(ctx context.Context, accountID int64) ([]monkey.User, error) {
	rows, err := s.read().query(ctx, "SELECT "+userColumnsOf("u.")+` FROM users u
		JOIN user_accounts ua ON ua.user_id = u.id WHERE ua.account_id = ? AND u.active = TRUE ORDER BY u.email`, accountID)
	if err != nil {
		return nil, fmt.Errorf("followers of account %d: %w", accountID, err)
	}
	defer rows.Close()
	out := []monkey.User{}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("followers of account %d: %w", accountID, err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// LatestRevisions returns up to n revisions of an item with their configs,
// newest first.
func (s *Store) LatestRevisions(ctx context.Context, itemID int64, n int) ([]monkey.Revision, error) {
	rows, err := s.read().query(ctx, `SELECT id, item_id, active, config, created, date_last_ephemeral_change
		FROM revisions WHERE item_id = ? ORDER BY created DESC, id DESC LIMIT ?`, itemID, n)
	if err != nil {
		return nil, fmt.Errorf("latest revisions of item %d: %w", itemID, err)
	}
	defer rows.Close()
	out := []monkey.Revision{}
	for rows.Next() {
		var r monkey.Revision
		var cfg string
		var eph sql.NullTime
		if err := rows.Scan(&r.ID, &r.ItemID, &r.Active, &cfg, &r.CreatedAt, &eph); err != nil {
			return nil, fmt.Errorf("latest revisions of item %d: %w", itemID, err)
		}
		r.Config, r.CreatedAt, r.DateLastEphemeralChange = []byte(cfg), r.CreatedAt.UTC(), timePtr(eph)
		out = append(out, r)
	}
	return out, rows.Err()
}

// JiraTicket is the Jira ticket of one auditor setting.
type JiraTicket struct {
	SettingID int64
	Key       string // e.g. SEC-12
	Count     int    // unjustified open issues it last showed
	Closed    bool
	Updated   time.Time
}

// JiraTickets returns the stored tickets by auditor setting id.
func (s *Store) JiraTickets(ctx context.Context) (map[int64]JiraTicket, error) {
	rows, err := s.read().query(ctx, "SELECT auditor_setting_id, ticket_key, issue_count, closed, updated FROM jira_tickets")
	if err != nil {
		return nil, fmt.Errorf("list jira tickets: %w", err)
	}
	defer rows.Close()
	out := map[int64]JiraTicket{}
	for rows.Next() {
		var t JiraTicket
		if err := rows.Scan(&t.SettingID, &t.Key, &t.Count, &t.Closed, &t.Updated); err != nil {
			return nil, fmt.Errorf("list jira tickets: %w", err)
		}
		t.Updated = t.Updated.UTC()
		out[t.SettingID] = t
	}
	return out, rows.Err()
}

// SaveJiraTicket stores the ticket of an auditor setting.
func (s *Store) SaveJiraTicket(ctx context.Context, t JiraTicket) error {
	if t.SettingID == 0 || t.Key == "" {
		return errors.New("save jira ticket: setting and key required")
	}
	if _, err := s.write().exec(ctx, `INSERT INTO jira_tickets (auditor_setting_id, ticket_key, issue_count, closed, updated)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (auditor_setting_id) DO UPDATE SET ticket_key = excluded.ticket_key,
		issue_count = excluded.issue_count, closed = excluded.closed, updated = excluded.updated`,
		t.SettingID, t.Key, t.Count, t.Closed, s.clock()); err != nil {
		return fmt.Errorf("save jira ticket %s: %w", t.Key, err)
	}
	return nil
}

// OpenIssueCounts returns every auditor setting (issue text × technology
// × account) with Count = its open (unfixed) unjustified issues on active
// items: what Jira tickets show.
func (s *Store) OpenIssueCounts(ctx context.Context) ([]AuditorSetting, error) {
	rows, err := s.read().query(ctx, `SELECT st.id, st.technology, st.account_id, a.name, st.issue_text, st.auditor_class,
		st.disabled, (SELECT COUNT(*) FROM issues x WHERE x.auditor_setting_id = st.id AND x.fixed = FALSE
			AND x.justified = FALSE AND x.item_active = TRUE)
		FROM auditor_settings st JOIN accounts a ON a.id = st.account_id
		ORDER BY st.technology, a.name, st.issue_text`)
	if err != nil {
		return nil, fmt.Errorf("count open issues per auditor setting: %w", err)
	}
	defer rows.Close()
	out := []AuditorSetting{}
	for rows.Next() {
		var a AuditorSetting
		if err := rows.Scan(&a.ID, &a.Technology, &a.AccountID, &a.Account, &a.IssueText, &a.AuditorClass,
			&a.Disabled, &a.Count); err != nil {
			return nil, fmt.Errorf("count open issues per auditor setting: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
