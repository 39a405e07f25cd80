package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/secmonkey/monkey/internal/monkey"
)

// ListAuditScores returns every score override with its account patterns in
// stored order, by technology and method (one query).
func (s *Store) ListAuditScores(ctx context.Context) ([]monkey.AuditScore, error) {
	rows, err := s.read().query(ctx, `SELECT sc.id, sc.technology, sc.method, sc.score, sc.disabled,
		p.id, p.account_type, p.account_field, p.account_pattern, p.score
		FROM item_audit_scores sc LEFT JOIN account_pattern_audit_scores p ON p.item_audit_score_id = sc.id
		ORDER BY sc.technology, sc.method, sc.id, p.position, p.id`)
	if err != nil {
		return nil, fmt.Errorf("list audit scores: %w", err)
	}
	defer rows.Close()
	out := []monkey.AuditScore{}
	for rows.Next() {
		var a monkey.AuditScore
		var pid, pscore sql.NullInt64
		var ptype, pfield, ppattern sql.NullString
		if err := rows.Scan(&a.ID, &a.Technology, &a.Method, &a.Score, &a.Disabled,
			&pid, &ptype, &pfield, &ppattern, &pscore); err != nil {
			return nil, fmt.Errorf("list audit scores: %w", err)
		}
		if n := len(out); n == 0 || out[n-1].ID != a.ID {
			out = append(out, a)
		}
		if pid.Valid {
			last := &out[len(out)-1]
			last.Patterns = append(last.Patterns, monkey.AccountPatternScore{ID: pid.Int64, AccountType: ptype.String,
				AccountField: pfield.String, AccountPattern: ppattern.String, Score: int(pscore.Int64)})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list audit scores: %w", err)
	}
	return out, nil
}

func validateAuditScore(a monkey.AuditScore) error {
	if a.Technology == "" || a.Method == "" {
		return monkey.Errorf(monkey.EINVALID, "audit score: technology and method required")
	}
	for _, p := range a.Patterns {
		if p.AccountField == "" || p.AccountPattern == "" {
			return monkey.Errorf(monkey.EINVALID, "account pattern score: account field and pattern required")
		}
	}
	return nil
}

// CreateAuditScore inserts a score override with its patterns (in order)
// and sets the IDs.
func (s *Store) CreateAuditScore(ctx context.Context, a *monkey.AuditScore) error {
	if err := validateAuditScore(*a); err != nil {
		return err
	}
	return s.inTx(ctx, func(c conn) error {
		err := c.queryRow(ctx, `INSERT INTO item_audit_scores (technology, method, score, disabled) VALUES (?, ?, ?, ?) RETURNING id`,
			a.Technology, a.Method, a.Score, a.Disabled).Scan(&a.ID)
		if err != nil {
			return fmt.Errorf("create audit score: %w",
				conflict(err, "an audit score for %s %q already exists", a.Technology, a.Method))
		}
		return insertPatterns(ctx, c, a.ID, a.Patterns)
	})
}

func insertPatterns(ctx context.Context, c conn, owner int64, ps []monkey.AccountPatternScore) error {
	for i := range ps {
		p := &ps[i]
		if err := c.queryRow(ctx, `INSERT INTO account_pattern_audit_scores
			(item_audit_score_id, account_type, account_field, account_pattern, score, position)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
			owner, p.AccountType, p.AccountField, p.AccountPattern, p.Score, i).Scan(&p.ID); err != nil {
			return fmt.Errorf("insert account pattern score: %w", err)
		}
	}
	return nil
}

// UpdateAuditScore updates a score override and replaces its patterns.
func (s *Store) UpdateAuditScore(ctx context.Context, a monkey.AuditScore) error {
	if err := validateAuditScore(a); err != nil {
		return err
	}
	return s.inTx(ctx, func(c conn) error {
		res, err := c.exec(ctx, "UPDATE item_audit_scores SET technology = ?, method = ?, score = ?, disabled = ? WHERE id = ?",
			a.Technology, a.Method, a.Score, a.Disabled, a.ID)
		if err != nil {
			return fmt.Errorf("update audit score %d: %w", a.ID,
				conflict(err, "an audit score for %s %q already exists", a.Technology, a.Method))
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("audit score %d", a.ID)
		}
		if _, err := c.exec(ctx, "DELETE FROM account_pattern_audit_scores WHERE item_audit_score_id = ?", a.ID); err != nil {
			return fmt.Errorf("update audit score %d: %w", a.ID, err)
		}
		return insertPatterns(ctx, c, a.ID, a.Patterns)
	})
}

// DeleteAuditScore deletes a score override and its patterns.
func (s *Store) DeleteAuditScore(ctx context.Context, id int64) error {
	return s.deleteByID(ctx, "item_audit_scores", "audit score", id)
}

func (s *Store) deleteByID(ctx context.Context, table, what string, id int64) error {
	res, err := s.write().exec(ctx, "DELETE FROM "+table+" WHERE id = ?", id)
	if err != nil {
		return fmt.Errorf("delete %s %d: %w", what, id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("%s %d", what, id)
	}
	return nil
}

// ListWhitelist returns the network whitelist by id.
func (s *Store) ListWhitelist(ctx context.Context) ([]monkey.NetworkWhitelist, error) {
	rows, err := s.read().query(ctx, "SELECT id, name, cidr, notes FROM network_whitelist ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("list network whitelist: %w", err)
	}
	defer rows.Close()
	out := []monkey.NetworkWhitelist{}
	for rows.Next() {
		var w monkey.NetworkWhitelist
		if err := rows.Scan(&w.ID, &w.Name, &w.CIDR, &w.Notes); err != nil {
			return nil, fmt.Errorf("list network whitelist: %w", err)
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// CreateWhitelist inserts a whitelist entry and sets its ID.
func (s *Store) CreateWhitelist(ctx context.Context, w *monkey.NetworkWhitelist) error {
	if strings.TrimSpace(w.Name) == "" || strings.TrimSpace(w.CIDR) == "" {
		return monkey.Errorf(monkey.EINVALID, "whitelist entry: name and cidr required")
	}
	if err := s.write().queryRow(ctx, "INSERT INTO network_whitelist (name, cidr, notes) VALUES (?, ?, ?) RETURNING id",
		w.Name, w.CIDR, w.Notes).Scan(&w.ID); err != nil {
		return fmt.Errorf("create whitelist entry %q: %w", w.Name, err)
	}
	return nil
}

// UpdateWhitelist updates a whitelist entry.
func (s *Store) UpdateWhitelist(ctx context.Context, w monkey.NetworkWhitelist) error {
	if strings.TrimSpace(w.Name) == "" || strings.TrimSpace(w.CIDR) == "" {
		return monkey.Errorf(monkey.EINVALID, "whitelist entry: name and cidr required")
	}
	res, err := s.write().exec(ctx, "UPDATE network_whitelist SET name = ?, cidr = ?, notes = ? WHERE id = ?",
		w.Name, w.CIDR, w.Notes, w.ID)
	if err != nil {
		return fmt.Errorf("update whitelist entry %d: %w", w.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("whitelist entry %d", w.ID)
	}
	return nil
}

// DeleteWhitelist deletes a whitelist entry.
func (s *Store) DeleteWhitelist(ctx context.Context, id int64) error {
	return s.deleteByID(ctx, "network_whitelist", "whitelist entry", id)
}

// ListIgnore returns the ignore list of a technology ("" = all), by id.
func (s *Store) ListIgnore(ctx context.Context, technology string) ([]monkey.IgnoreEntry, error) {
	q := "SELECT id, technology, prefix, notes FROM ignore_list"
	var args []any
	if technology != "" {
		q += " WHERE technology = ?"
		args = append(args, technology)
	}
	rows, err := s.read().query(ctx, q+" ORDER BY id", args...)
	if err != nil {
		return nil, fmt.Errorf("list ignore entries: %w", err)
	}
	defer rows.Close()
	out := []monkey.IgnoreEntry{}
	for rows.Next() {
		var e monkey.IgnoreEntry
		if err := rows.Scan(&e.ID, &e.Technology, &e.Prefix, &e.Notes); err != nil {
			return nil, fmt.Errorf("list ignore entries: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// CreateIgnore inserts an ignore-list entry and sets its ID.
func (s *Store) CreateIgnore(ctx context.Context, e *monkey.IgnoreEntry) error {
	if e.Technology == "" || e.Prefix == "" {
		return monkey.Errorf(monkey.EINVALID, "ignore entry: technology and prefix required")
	}
	if err := s.write().queryRow(ctx, "INSERT INTO ignore_list (technology, prefix, notes) VALUES (?, ?, ?) RETURNING id",
		e.Technology, e.Prefix, e.Notes).Scan(&e.ID); err != nil {
		return fmt.Errorf("create ignore entry %q: %w", e.Prefix, err)
	}
	return nil
}

// UpdateIgnore updates an ignore-list entry.
func (s *Store) UpdateIgnore(ctx context.Context, e monkey.IgnoreEntry) error {
	if e.Technology == "" || e.Prefix == "" {
		return monkey.Errorf(monkey.EINVALID, "ignore entry: technology and prefix required")
	}
	res, err := s.write().exec(ctx, "UPDATE ignore_list SET technology = ?, prefix = ?, notes = ? WHERE id = ?",
		e.Technology, e.Prefix, e.Notes, e.ID)
	if err != nil {
		return fmt.Errorf("update ignore entry %d: %w", e.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("ignore entry %d", e.ID)
	}
	return nil
}

// DeleteIgnore deletes an ignore-list entry.
func (s *Store) DeleteIgnore(ctx context.Context, id int64) error {
	return s.deleteByID(ctx, "ignore_list", "ignore entry", id)
}

// ListWatcherConfigs returns the stored watcher configurations by index.
func (s *Store) ListWatcherConfigs(ctx context.Context) ([]monkey.WatcherConfig, error) {
	rows, err := s.read().query(ctx, "SELECT id, tech_index, interval_minutes, active FROM watcher_config ORDER BY tech_index")
	if err != nil {
		return nil, fmt.Errorf("list watcher configs: %w", err)
	}
	defer rows.Close()
	out := []monkey.WatcherConfig{}
	for rows.Next() {
		var w monkey.WatcherConfig
		if err := rows.Scan(&w.ID, &w.Index, &w.Interval, &w.Active); err != nil {
			return nil, fmt.Errorf("list watcher configs: %w", err)
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// SetWatcherConfig inserts or updates the configuration of w.Index.
func (s *Store) SetWatcherConfig(ctx context.Context, w monkey.WatcherConfig) error {
	if w.Index == "" {
		return monkey.Errorf(monkey.EINVALID, "watcher config: index required")
	}
	if w.Interval < 0 {
		return monkey.Errorf(monkey.EINVALID, "watcher config %s: interval must not be negative", w.Index)
	}
	if _, err := s.write().exec(ctx, `INSERT INTO watcher_config (tech_index, interval_minutes, active) VALUES (?, ?, ?)
		ON CONFLICT (tech_index) DO UPDATE SET interval_minutes = excluded.interval_minutes, active = excluded.active`,
		w.Index, w.Interval, w.Active); err != nil {
		return fmt.Errorf("set watcher config %s: %w", w.Index, err)
	}
	return nil
}

// Whitelist returns one network whitelist entry.
func (s *Store) Whitelist(ctx context.Context, id int64) (monkey.NetworkWhitelist, error) {
	var w monkey.NetworkWhitelist
	err := s.read().queryRow(ctx, "SELECT id, name, cidr, notes FROM network_whitelist WHERE id = ?", id).
		Scan(&w.ID, &w.Name, &w.CIDR, &w.Notes)
	if err != nil {
		if err == sql.ErrNoRows {
			return w, notFound("whitelist entry %d", id)
		}
		return w, fmt.Errorf("read whitelist entry %d: %w", id, err)
	}
	return w, nil
}

// Ignore returns one ignore-list entry.
func (s *Store) Ignore(ctx context.Context, id int64) (monkey.IgnoreEntry, error) {
	var e monkey.IgnoreEntry
	err := s.read().queryRow(ctx, "SELECT id, technology, prefix, notes FROM ignore_list WHERE id = ?", id).
		Scan(&e.ID, &e.Technology, &e.Prefix, &e.Notes)
	if err != nil {
		if err == sql.ErrNoRows {
			return e, notFound("ignore entry %d", id)
		}
		return e, fmt.Errorf("read ignore entry %d: %w", id, err)
	}
	return e, nil
}

// AuditScore returns one score override with its patterns.
func (s *Store) AuditScore(ctx context.Context, id int64) (monkey.AuditScore, error) {
	all, err := s.ListAuditScores(ctx)
	if err != nil {
		return monkey.AuditScore{}, err
	}
	for _, a := range all {
		if a.ID == id {
			return a, nil
		}
	}
	return monkey.AuditScore{}, notFound("audit score %d", id)
}

// UpsertAuditScore creates the override of (technology, method) or updates
// its score and disabled flag, keeping its patterns; it sets a.ID.
func (s *Store) UpsertAuditScore(ctx context.Context, a *monkey.AuditScore) error {
	if err := validateAuditScore(*a); err != nil {
		return err
	}
	err := s.write().queryRow(ctx, `INSERT INTO item_audit_scores (technology, method, score, disabled) VALUES (?, ?, ?, ?)
		ON CONFLICT (technology, method) DO UPDATE SET score = excluded.score, disabled = excluded.disabled RETURNING id`,
		a.Technology, a.Method, a.Score, a.Disabled).Scan(&a.ID)
	if err != nil {
		return fmt.Errorf("upsert audit score %s %q: %w", a.Technology, a.Method, err)
	}
	return nil
}

// SetAuditScoreFields updates the technology, method, score and disabled
// flag of an override, keeping its patterns.
func (s *Store) SetAuditScoreFields(ctx context.Context, a monkey.AuditScore) error {
	if err := validateAuditScore(a); err != nil {
		return err
	}
	res, err := s.write().exec(ctx, "UPDATE item_audit_scores SET technology = ?, method = ?, score = ?, disabled = ? WHERE id = ?",
		a.Technology, a.Method, a.Score, a.Disabled, a.ID)
	if err != nil {
		return fmt.Errorf("update audit score %d: %w", a.ID,
			conflict(err, "an audit score for %s %q already exists", a.Technology, a.Method))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("audit score %d", a.ID)
	}
	return nil
}

// AccountPatternScore returns one account pattern score and the id of its
// override.
func (s *Store) AccountPatternScore(ctx context.Context, id int64) (monkey.AccountPatternScore, int64, error) {
	var p monkey.AccountPatternScore
	var owner int64
	err := s.read().queryRow(ctx, `SELECT id, item_audit_score_id, account_type, account_field, account_pattern, score
		FROM account_pattern_audit_scores WHERE id = ?`, id).
		Scan(&p.ID, &owner, &p.AccountType, &p.AccountField, &p.AccountPattern, &p.Score)
	if err != nil {
		if err == sql.ErrNoRows {
			return p, 0, notFound("account pattern score %d", id)
		}
		return p, 0, fmt.Errorf("read account pattern score %d: %w", id, err)
	}
	return p, owner, nil
}

// UpsertAccountPatternScore adds a pattern to override owner, or updates the
// score of the pattern with the same type, field and pattern; it sets p.ID.
func (s *Store) UpsertAccountPatternScore(ctx context.Context, owner int64, p *monkey.AccountPatternScore) error {
	if p.AccountField == "" || p.AccountPattern == "" {
		return monkey.Errorf(monkey.EINVALID, "account pattern score: account field and pattern required")
	}
	return s.inTx(ctx, func(c conn) error {
		var n int
		if err := c.queryRow(ctx, "SELECT COUNT(*) FROM item_audit_scores WHERE id = ?", owner).Scan(&n); err != nil {
			return fmt.Errorf("upsert account pattern score: %w", err)
		}
		if n == 0 {
			return notFound("audit score %d", owner)
		}
		err := c.queryRow(ctx, `SELECT id FROM account_pattern_audit_scores WHERE item_audit_score_id = ? AND account_type = ?
			AND account_field = ? AND account_pattern = ?`, owner, p.AccountType, p.AccountField, p.AccountPattern).Scan(&p.ID)
		switch {
		case err == nil:
			if _, err := c.exec(ctx, "UPDATE account_pattern_audit_scores SET score = ? WHERE id = ?", p.Score, p.ID); err != nil {
				return fmt.Errorf("update account pattern score %d: %w", p.ID, err)
			}
			return nil
		case err != sql.ErrNoRows:
			return fmt.Errorf("upsert account pattern score: %w", err)
		}
		return c.queryRow(ctx, `INSERT INTO account_pattern_audit_scores
			(item_audit_score_id, account_type, account_field, account_pattern, score, position)
			VALUES (?, ?, ?, ?, ?, (SELECT COALESCE(MAX(position), -1) + 1 FROM account_pattern_audit_scores
				WHERE item_audit_score_id = ?)) RETURNING id`,
			owner, p.AccountType, p.AccountField, p.AccountPattern, p.Score, owner).Scan(&p.ID)
	})
}

// UpdateAccountPatternScore updates one pattern.
func (s *Store) UpdateAccountPatternScore(ctx context.Context, p monkey.AccountPatternScore) error {
	if p.AccountField == "" || p.AccountPattern == "" {
		return monkey.Errorf(monkey.EINVALID, "account pattern score: account field and pattern required")
	}
	res, err := s.write().exec(ctx, `UPDATE account_pattern_audit_scores SET account_type = ?, account_field = ?,
		account_pattern = ?, score = ? WHERE id = ?`, p.AccountType, p.AccountField, p.AccountPattern, p.Score, p.ID)
	if err != nil {
		return fmt.Errorf("update account pattern score %d: %w", p.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("account pattern score %d", p.ID)
	}
	return nil
}

// DeleteAccountPatternScore deletes one pattern.
func (s *Store) DeleteAccountPatternScore(ctx context.Context, id int64) error {
	return s.deleteByID(ctx, "account_pattern_audit_scores", "account pattern score", id)
}

// WatcherConfigByID returns a stored watcher configuration.
func (s *Store) WatcherConfigByID(ctx context.Context, id int64) (monkey.WatcherConfig, error) {
	var w monkey.WatcherConfig
	err := s.read().queryRow(ctx, "SELECT id, tech_index, interval_minutes, active FROM watcher_config WHERE id = ?", id).
		Scan(&w.ID, &w.Index, &w.Interval, &w.Active)
	if err != nil {
		if err == sql.ErrNoRows {
			return w, notFound("watcher config %d", id)
		}
		return w, fmt.Errorf("read watcher config %d: %w", id, err)
	}
	return w, nil
}
