package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sort"

	"github.com/secmonkey/monkey/internal/monkey"
)

const issueColumns = `iss.id, iss.item_id, COALESCE(st.auditor_class, ''), iss.score, iss.issue_text, iss.notes,
	iss.action_instructions, iss.fixed, iss.justified, COALESCE(u.email, ''), iss.justification, iss.justified_date,
	COALESCE(st.disabled, TRUE)`

const issueFrom = ` FROM issues iss LEFT JOIN auditor_settings st ON st.id = iss.auditor_setting_id
	LEFT JOIN users u ON u.id = iss.justified_user_id`

func scanIssue(sc interface{ Scan(...any) error }) (monkey.Issue, error) {
	var is monkey.Issue
	var notes, action sql.NullString
	var jd sql.NullTime
	err := sc.Scan(&is.ID, &is.ItemID, &is.AuditorClass, &is.Score, &is.Text, &notes, &action, &is.Fixed,
		&is.Justified, &is.JustifiedUser, &is.Justification, &jd, &is.Disabled)
	is.Notes, is.ActionInstructions, is.JustifiedDate = strPtr(notes), strPtr(action), timePtr(jd)
	return is, err
}

// issuesOf returns the issues (with links) of the given items, by item.
func (s *Store) issuesOf(ctx context.Context, c conn, itemIDs []int64) (map[int64][]monkey.Issue, error) {
	out := map[int64][]monkey.Issue{}
	for _, ch := range chunks(itemIDs, inChunk) {
		m, err := s.issuesWhere(ctx, c, "iss.item_id IN ("+inList(len(ch))+")", int64Args(ch)...)
		if err != nil {
			return nil, err
		}
		for k, v := range m {
			out[k] = v
		}
	}
	return out, nil
}

// issuesWhere reads issues matching cond (over alias iss) and their links.
func (s *Store) issuesWhere(ctx context.Context, c conn, cond string, args ...any) (map[int64][]monkey.Issue, error) {
	rows, err := c.query(ctx, "SELECT "+issueColumns+issueFrom+" WHERE "+cond+" ORDER BY iss.id", args...)
	if err != nil {
		return nil, fmt.Errorf("read issues: %w", err)
	}
	type ref struct {
		item int64
		idx  int
	}
	out := map[int64][]monkey.Issue{}
	pos := map[int64]ref{}
	for rows.Next() {
		is, err := scanIssue(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("read issues: %w", err)
		}
		pos[is.ID] = ref{is.ItemID, len(out[is.ItemID])}
		out[is.ItemID] = append(out[is.ItemID], is)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read issues: %w", err)
	}
	if len(pos) == 0 {
		return out, nil
	}
	rows, err = c.query(ctx, "SELECT l.issue_id, l.item_id FROM issue_links l WHERE l.issue_id IN (SELECT iss.id FROM issues iss WHERE "+
		cond+") ORDER BY l.issue_id, l.item_id", args...)
	if err != nil {
		return nil, fmt.Errorf("read issue links: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var issueID, itemID int64
		if err := rows.Scan(&issueID, &itemID); err != nil {
			return nil, fmt.Errorf("read issue links: %w", err)
		}
		if r, ok := pos[issueID]; ok {
			is := &out[r.item][r.idx]
			is.LinkedItemIDs = append(is.LinkedItemIDs, itemID)
		}
	}
	return out, rows.Err()
}

// SaveIssues applies issue reconciliations for one account and technology:
// creates issues (and their auditor-settings rows on first sight), fixes and
// reopens issues, replaces links, stores audit hashes, and recomputes the
// scores of the items touched. Each transaction (500 writes) first checks
// the fence, then re-reads the current issues of its items and applies the
// reconciliation to them, so that a reconciliation computed from an older
// read never duplicates an issue: an issue to create that is open already is
// kept (its links updated), one that exists fixed is reopened; a reopen of an
// identity open already, or a fix of an issue fixed already, does nothing.
// The schema allows one open issue per identity (item, text, notes, score).
func (s *Store) SaveIssues(ctx context.Context, f Fence, accountID int64, technology string, writes []IssueWrite) error {
	for _, b := range chunks(writes, 500) {
		if err := s.inTx(ctx, func(c conn) error {
			if err := s.checkFence(ctx, c, f, accountID, technology); err != nil {
				return err
			}
			return s.saveIssues(ctx, c, accountID, technology, b)
		}); err != nil {
			return fmt.Errorf("save issues %d/%s: %w", accountID, technology, err)
		}
	}
	return nil
}

type settingKey struct{ text, class string }

// issueKey is the identity of an issue on an item (auditors.md §2.8; the
// auditor class follows from the text through the item's settings row).
type issueKey struct {
	item  int64
	text  string
	notes sql.NullString
	score int
}

func newIssueKey(item int64, text string, notes sql.NullString, score int) issueKey {
	return issueKey{item, text, notes, score}
}

// issueRows is the current state of the issues of some items, by identity.
type issueRows struct {
	key   map[int64]issueKey // issue id → identity
	open  map[issueKey]int64 // identity → its open issue
	fixed map[issueKey][]int64
}

func readIssueRows(ctx context.Context, c conn, items []int64) (issueRows, error) {
	r := issueRows{key: map[int64]issueKey{}, open: map[issueKey]int64{}, fixed: map[issueKey][]int64{}}
	for _, ch := range chunks(items, inChunk) {
		rows, err := c.query(ctx, "SELECT id, item_id, issue_text, notes, score, fixed FROM issues WHERE item_id IN ("+
			inList(len(ch))+") ORDER BY id", int64Args(ch)...)
		if err != nil {
			return r, fmt.Errorf("read current issues: %w", err)
		}
		for rows.Next() {
			var id, item int64
			var text string
			var notes sql.NullString
			var score int
			var fixed bool
			if err := rows.Scan(&id, &item, &text, &notes, &score, &fixed); err != nil {
				rows.Close()
				return r, fmt.Errorf("read current issues: %w", err)
			}
			k := newIssueKey(item, text, notes, score)
			r.key[id] = k
			switch {
			case fixed:
				r.fixed[k] = append(r.fixed[k], id)
			case r.open[k] == 0:
				r.open[k] = id
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return r, fmt.Errorf("read current issues: %w", err)
		}
	}
	return r, nil
}

func (s *Store) saveIssues(ctx context.Context, c conn, accountID int64, technology string, writes []IssueWrite) error {
	// 0. the current issues of the items, read in this transaction.
	var items []int64
	seenItem := map[int64]bool{}
	for _, w := range writes {
		if !seenItem[w.ItemID] {
			seenItem[w.ItemID] = true
			items = append(items, w.ItemID)
		}
	}
	cur, err := readIssueRows(ctx, c, items)
	if err != nil {
		return err
	}
	links := map[int64][]int64{} // issue id → linked items (replace)
	for _, w := range writes {
		for id, l := range w.Links {
			links[id] = l
		}
	}

	// 1. fixes and reopens, against the current rows.
	var fix, reopen []int64
	for _, w := range writes {
		for _, id := range w.Fix {
			k, ok := cur.key[id]
			if !ok || cur.open[k] != id {
				continue // gone, or fixed already
			}
			fix = append(fix, id)
			delete(cur.open, k)
			cur.fixed[k] = append(cur.fixed[k], id)
		}
	}
	reopenOne := func(k issueKey, id int64) {
		reopen = append(reopen, id)
		cur.open[k] = id
		cur.fixed[k] = slices.DeleteFunc(cur.fixed[k], func(x int64) bool { return x == id })
	}
	for _, w := range writes {
		for _, id := range w.Reopen {
			k, ok := cur.key[id]
			if !ok || cur.open[k] != 0 || !slices.Contains(cur.fixed[k], id) {
				continue // gone, open already, or its identity is open
			}
			reopenOne(k, id)
		}
	}

	// 2. issues to create: those whose identity is neither open nor fixed.
	type created struct {
		key   issueKey
		class string
		is    monkey.Issue
	}
	var toCreate []created
	for _, w := range writes {
		for _, is := range w.Create {
			k := newIssueKey(w.ItemID, is.Text, ptrNull(is.Notes), is.Score)
			if id := cur.open[k]; id != 0 {
				if id > 0 {
					links[id] = append([]int64{}, is.LinkedItemIDs...)
				}
				continue
			}
			if fx := cur.fixed[k]; len(fx) > 0 {
				id := fx[0]
				reopenOne(k, id)
				links[id] = append([]int64{}, is.LinkedItemIDs...)
				continue
			}
			cur.open[k] = -1 // created below
			toCreate = append(toCreate, created{k, w.Class, is})
		}
	}

	for _, ch := range chunks(fix, inChunk) {
		if _, err := c.exec(ctx, "UPDATE issues SET fixed = TRUE WHERE id IN ("+inList(len(ch))+")", int64Args(ch)...); err != nil {
			return fmt.Errorf("fix issues: %w", err)
		}
	}
	for _, ch := range chunks(reopen, inChunk) {
		if _, err := c.exec(ctx, "UPDATE issues SET fixed = FALSE WHERE id IN ("+inList(len(ch))+")", int64Args(ch)...); err != nil {
			return fmt.Errorf("reopen issues: %w", interpret(err))
		}
	}

	// 3. auditor settings rows for every created issue text.
	settings := map[string]int64{} // issue text → setting id
	var keys []settingKey
	seen := map[string]bool{}
	for _, cr := range toCreate {
		if !seen[cr.is.Text] {
			seen[cr.is.Text] = true
			keys = append(keys, settingKey{cr.is.Text, cr.class})
		}
	}
	if len(keys) > 0 {
		sort.Slice(keys, func(i, j int) bool { return keys[i].text < keys[j].text })
		args := make([]any, 0, 4*len(keys))
		for _, k := range keys {
			args = append(args, technology, accountID, k.text, k.class)
		}
		if _, err := c.exec(ctx, `INSERT INTO auditor_settings (technology, account_id, issue_text, auditor_class)
			VALUES `+placeholders(len(keys), "(?,?,?,?)")+`
			ON CONFLICT (account_id, issue_text, technology) DO UPDATE SET auditor_class = excluded.auditor_class
			WHERE auditor_settings.auditor_class = ''`, args...); err != nil {
			return fmt.Errorf("create auditor settings: %w", err)
		}
		args = append(args[:0], accountID, technology)
		for _, k := range keys {
			args = append(args, k.text)
		}
		rows, err := c.query(ctx, `SELECT id, issue_text FROM auditor_settings WHERE account_id = ? AND technology = ?
			AND issue_text IN (`+inList(len(keys))+`)`, args...)
		if err != nil {
			return fmt.Errorf("read auditor settings: %w", err)
		}
		for rows.Next() {
			var id int64
			var text string
			if err := rows.Scan(&id, &text); err != nil {
				rows.Close()
				return fmt.Errorf("read auditor settings: %w", err)
			}
			settings[text] = id
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("read auditor settings: %w", err)
		}
	}

	// 4. new issues. An identity another transaction created meanwhile
	// (possible only without the scan lock, on Postgres) is skipped by the
	// unique index and kept as it is.
	raisedAt := s.clock()
	counts := newInsertCounts()
	for _, part := range chunks(toCreate, 1000) {
		args := make([]any, 0, 7*len(part))
		for _, cr := range part {
			args = append(args, cr.key.item, settings[cr.is.Text], cr.is.Score, cr.is.Text, cr.key.notes, ptrNull(cr.is.ActionInstructions),
				raisedAt)
		}
		rows, err := c.query(ctx, s.d.insertIssues(len(part)), args...)
		if err != nil {
			return fmt.Errorf("create issues: %w", err)
		}
		// RETURNING order is not guaranteed: match rows by identity.
		ids := map[issueKey]int64{}
		for rows.Next() {
			var id, item int64
			var text string
			var notes sql.NullString
			var score int
			var ck issueCountKey
			var setting sql.NullInt64
			if err := rows.Scan(&id, &item, &text, &notes, &score, &ck.account, &ck.technology, &ck.region, &ck.itemActive,
				&setting); err != nil {
				rows.Close()
				return fmt.Errorf("create issues: %w", err)
			}
			ids[newIssueKey(item, text, notes, score)] = id
			ck.setting = setting.Int64
			counts.issue(ck, int64(score), raisedAt)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("create issues: %w", err)
		}
		for _, cr := range part {
			if id, ok := ids[cr.key]; ok && len(cr.is.LinkedItemIDs) > 0 {
				links[id] = cr.is.LinkedItemIDs
			}
		}
	}
	if s.d.countInserts {
		if err := counts.write(ctx, c); err != nil {
			return err
		}
	}

	// 5. links.
	if err := replaceLinks(ctx, c, links); err != nil {
		return err
	}

	// 6. audit hashes and scores, in one statement per chunk.
	hashes := map[int64]string{}
	for _, w := range writes {
		if _, ok := hashes[w.ItemID]; !ok {
			hashes[w.ItemID] = ""
		}
		if w.AuditHash != "" {
			hashes[w.ItemID] = w.AuditHash
		}
	}
	return recomputeScores(ctx, c, items, hashes)
}

func replaceLinks(ctx context.Context, c conn, links map[int64][]int64) error {
	if len(links) == 0 {
		return nil
	}
	issues := make([]int64, 0, len(links))
	for id := range links {
		issues = append(issues, id)
	}
	sort.Slice(issues, func(i, j int) bool { return issues[i] < issues[j] })
	for _, ch := range chunks(issues, inChunk) {
		if _, err := c.exec(ctx, "DELETE FROM issue_links WHERE issue_id IN ("+inList(len(ch))+")", int64Args(ch)...); err != nil {
			return fmt.Errorf("replace issue links: %w", err)
		}
	}
	var args []any
	flush := func() error {
		if len(args) == 0 {
			return nil
		}
		_, err := c.exec(ctx, "INSERT INTO issue_links (issue_id, item_id) VALUES "+placeholders(len(args)/2, "(?,?)")+
			" ON CONFLICT (issue_id, item_id) DO NOTHING", args...)
		args = args[:0]
		if err != nil {
			return fmt.Errorf("insert issue links: %w", err)
		}
		return nil
	}
	for _, id := range issues {
		for _, item := range links[id] {
			args = append(args, id, item)
			if len(args) >= 2*5000 {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}
	return flush()
}

func setAuditHashes(ctx context.Context, c conn, hashes map[int64]string) error {
	if len(hashes) == 0 {
		return nil
	}
	ids := make([]int64, 0, len(hashes))
	for id := range hashes {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, ch := range chunks(ids, batchRows) {
		args := make([]any, 0, 2*len(ch))
		for _, id := range ch {
			args = append(args, id, hashes[id])
		}
		idVals := ch
		args = append(args, int64Args(idVals)...)
		if _, err := c.exec(ctx, `UPDATE items SET audit_hash = v.column2
			FROM (VALUES `+placeholders(len(ch), "(CAST(? AS BIGINT),CAST(? AS TEXT))")+`) AS v
			WHERE items.id = v.column1`+idIn("items.id", len(idVals)), args...); err != nil {
			return fmt.Errorf("set audit hashes: %w", err)
		}
	}
	return nil
}

// recomputeScores recomputes score, unjustified_score and issue_count of
// the items (auditors.md §2.10: unfixed issues with an enabled settings
// row) and stores their non-empty audit hashes.
func recomputeScores(ctx context.Context, c conn, items []int64, hashes map[int64]string) error {
	for _, ch := range chunks(items, batchRows) {
		args := make([]any, 0, 2*len(ch))
		for _, id := range ch {
			args = append(args, id, nullString(hashes[id]))
		}
		idVals := ch
		args = append(args, int64Args(idVals)...)
		_, err := c.exec(ctx, `UPDATE items SET score = agg.score, unjustified_score = agg.unjustified,
			issue_count = agg.n, audit_hash = COALESCE(agg.hash, items.audit_hash)
			FROM (SELECT v.column1 AS id, v.column2 AS hash,
				COALESCE(SUM(CASE WHEN st.id IS NOT NULL THEN x.score ELSE 0 END), 0) AS score,
				COALESCE(SUM(CASE WHEN st.id IS NOT NULL AND x.justified = FALSE THEN x.score ELSE 0 END), 0) AS unjustified,
				COUNT(st.id) AS n
				FROM (VALUES `+placeholders(len(ch), "(CAST(? AS BIGINT),CAST(? AS TEXT))")+`) AS v
				LEFT JOIN issues x ON x.item_id = v.column1 AND x.fixed = FALSE
				LEFT JOIN auditor_settings st ON st.id = x.auditor_setting_id AND st.disabled = FALSE
				GROUP BY v.column1, v.column2) AS agg
			WHERE items.id = agg.id`+idIn("items.id", len(idVals)), args...)
		if err != nil {
			return fmt.Errorf("recompute item scores: %w", err)
		}
	}
	return nil
}

const openIssue = `FROM issues x JOIN auditor_settings st ON st.id = x.auditor_setting_id
	WHERE x.item_id = items.id AND x.fixed = FALSE AND st.disabled = FALSE`

func recomputeWhere(ctx context.Context, c conn, cond string, args ...any) error {
	_, err := c.exec(ctx, `UPDATE items SET
		score = (SELECT COALESCE(SUM(x.score), 0) `+openIssue+`),
		unjustified_score = (SELECT COALESCE(SUM(x.score), 0) `+openIssue+` AND x.justified = FALSE),
		issue_count = (SELECT COUNT(*) `+openIssue+`)
		WHERE `+cond, args...)
	if err != nil {
		return fmt.Errorf("recompute item scores: %w", err)
	}
	return nil
}

// SetAuditHashes stores audit hashes of items of one account and technology
// re-audited with no issue change, after checking the fence.
func (s *Store) SetAuditHashes(ctx context.Context, f Fence, accountID int64, technology string, hashes map[int64]string) error {
	if len(hashes) == 0 {
		return nil
	}
	return s.inTx(ctx, func(c conn) error {
		if err := s.checkFence(ctx, c, f, accountID, technology); err != nil {
			return err
		}
		return setAuditHashes(ctx, c, hashes)
	})
}

// TopIssues returns open, unjustified issues of enabled settings, by score
// descending.
func (s *Store) TopIssues(ctx context.Context, limit int) ([]IssueView, error) {
	if limit <= 0 {
		limit = 10
	}
	rows, err := s.read().query(ctx, "SELECT "+issueColumns+`, i.technology, a.name, i.region, i.name, t.name, a.identifier,
		COALESCE(i.arn, '')`+issueFrom+`
		JOIN items i ON i.id = iss.item_id JOIN accounts a ON a.id = i.account_id
		JOIN account_types t ON t.id = a.account_type_id
		WHERE iss.fixed = FALSE AND iss.justified = FALSE AND st.disabled = FALSE AND i.latest_active = TRUE
		ORDER BY iss.score DESC, iss.id LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("top issues: %w", err)
	}
	out, err := scanIssueViews(rows)
	if err != nil {
		return nil, fmt.Errorf("top issues: %w", err)
	}
	if err := s.fillLinks(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

// JustifyIssue marks an issue justified by userID now, and recomputes the
// item's scores.
func (s *Store) JustifyIssue(ctx context.Context, issueID, userID int64, text string) error {
	now := s.clock()
	return s.inTx(ctx, func(c conn) error {
		var user sql.NullInt64
		if userID != 0 {
			user = sql.NullInt64{Int64: userID, Valid: true}
		}
		res, err := c.exec(ctx, `UPDATE issues SET justified = TRUE, justified_user_id = ?, justification = ?, justified_date = ?
			WHERE id = ?`, user, text, now, issueID)
		if err != nil {
			return fmt.Errorf("justify issue %d: %w", issueID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("issue %d", issueID)
		}
		return recomputeWhere(ctx, c, "id = (SELECT item_id FROM issues WHERE id = ?)", issueID)
	})
}

// UnjustifyIssue clears the justification of an issue and recomputes the
// item's scores.
func (s *Store) UnjustifyIssue(ctx context.Context, issueID int64) error {
	return s.inTx(ctx, func(c conn) error {
		res, err := c.exec(ctx, `UPDATE issues SET justified = FALSE, justified_user_id = NULL, justification = '',
			justified_date = NULL WHERE id = ?`, issueID)
		if err != nil {
			return fmt.Errorf("unjustify issue %d: %w", issueID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("issue %d", issueID)
		}
		return recomputeWhere(ctx, c, "id = (SELECT item_id FROM issues WHERE id = ?)", issueID)
	})
}

// ListAuditorSettings returns every auditor-settings row with its issue
// count, by technology, account and issue text.
func (s *Store) ListAuditorSettings(ctx context.Context) ([]AuditorSetting, error) {
	rows, err := s.read().query(ctx, `SELECT st.id, st.technology, st.account_id, a.name, st.issue_text, st.auditor_class,
		st.disabled, (SELECT COUNT(*) FROM issues x WHERE x.auditor_setting_id = st.id)
		FROM auditor_settings st JOIN accounts a ON a.id = st.account_id
		ORDER BY st.technology, a.name, st.issue_text`)
	if err != nil {
		return nil, fmt.Errorf("list auditor settings: %w", err)
	}
	defer rows.Close()
	out := []AuditorSetting{}
	for rows.Next() {
		var a AuditorSetting
		if err := rows.Scan(&a.ID, &a.Technology, &a.AccountID, &a.Account, &a.IssueText, &a.AuditorClass,
			&a.Disabled, &a.Count); err != nil {
			return nil, fmt.Errorf("list auditor settings: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// SetAuditorSettingDisabled enables or disables an auditor-settings row and
// recomputes the scores of the items with issues attached to it.
func (s *Store) SetAuditorSettingDisabled(ctx context.Context, id int64, disabled bool) error {
	return s.inTx(ctx, func(c conn) error {
		res, err := c.exec(ctx, "UPDATE auditor_settings SET disabled = ? WHERE id = ?", disabled, id)
		if err != nil {
			return fmt.Errorf("set auditor setting %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("auditor setting %d", id)
		}
		return recomputeWhere(ctx, c, "id IN (SELECT item_id FROM issues WHERE auditor_setting_id = ?)", id)
	})
}

// DeleteAccountIssues deletes the issues of an account's items of the
// given technologies (auditors that no longer apply after the account
// changed type) and recomputes those items' scores; it returns how many.
func (s *Store) DeleteAccountIssues(ctx context.Context, accountID int64, technologies []string) (int, error) {
	if len(technologies) == 0 {
		return 0, nil
	}
	var n int64
	err := s.inTx(ctx, func(c conn) error {
		args := append([]any{accountID}, make([]any, 0, len(technologies))...)
		for _, t := range technologies {
			args = append(args, t)
		}
		items := "SELECT id FROM items WHERE account_id = ? AND technology IN (" + inList(len(technologies)) + ")"
		res, err := c.exec(ctx, "DELETE FROM issues WHERE item_id IN ("+items+")", args...)
		if err != nil {
			return fmt.Errorf("delete issues of account %d: %w", accountID, err)
		}
		n, _ = res.RowsAffected()
		return recomputeWhere(ctx, c, "id IN ("+items+")", args...)
	})
	return int(n), err
}
