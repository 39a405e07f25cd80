package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// The dashboard's figures. Every query reads open issues (unfixed, of
// active items, whose auditor setting is not disabled) or active items,
// optionally of some accounts (ids; empty = all).

// TechScore is the open, unjustified issues of one technology.
type TechScore struct {
	Technology string
	Issues     int
	Score      int // sum of their scores
}

// openIssuesWhere is the condition on alias iss for the open, unjustified
// issues of active items in the accounts.
func openIssuesWhere(accountIDs []int64) (string, []any) {
	cond := `iss.fixed = FALSE AND iss.justified = FALSE AND iss.item_active = TRUE AND
		(iss.auditor_setting_id IS NULL OR iss.auditor_setting_id NOT IN (SELECT id FROM auditor_settings WHERE disabled = TRUE))`
	if len(accountIDs) == 0 {
		return cond, nil
	}
	return cond + " AND iss.account_id IN (" + inList(len(accountIDs)) + ")", int64Args(accountIDs)
}

// openCountsWhere is openIssuesWhere over the issue counts (alias c,
// migration 0007; auditor setting 0 = none): with justified = FALSE, the
// condition on issue_counts; without, on issue_raised_counts, which counts
// only unjustified issues of active items.
func openCountsWhere(accountIDs []int64, justified bool) (string, []any) {
	cond := `(c.auditor_setting_id = 0 OR c.auditor_setting_id NOT IN (SELECT id FROM auditor_settings WHERE disabled = TRUE))`
	if justified {
		cond = "c.justified = FALSE AND c.item_active = TRUE AND " + cond
	}
	if len(accountIDs) == 0 {
		return cond, nil
	}
	return cond + " AND c.account_id IN (" + inList(len(accountIDs)) + ")", int64Args(accountIDs)
}

// TechScores sums the open, unjustified issue scores per technology,
// highest first, from the issue counts the writers keep.
func (s *Store) TechScores(ctx context.Context, accountIDs []int64) ([]TechScore, error) {
	cond, args := openCountsWhere(accountIDs, true)
	rows, err := s.read().query(ctx, `SELECT c.technology, CAST(SUM(c.issues) AS BIGINT), CAST(SUM(c.score) AS BIGINT)
		FROM issue_counts c WHERE `+cond+` GROUP BY c.technology HAVING SUM(c.issues) > 0 ORDER BY 3 DESC, 1`, args...)
	if err != nil {
		return nil, fmt.Errorf("technology scores: %w", err)
	}
	defer rows.Close()
	var out []TechScore
	for rows.Next() {
		var t TechScore
		if err := rows.Scan(&t.Technology, &t.Issues, &t.Score); err != nil {
			return nil, fmt.Errorf("technology scores: %w", err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("technology scores: %w", err)
	}
	return out, nil
}

// TopItems returns the active items with the highest unjustified score
// (above zero).
func (s *Store) TopItems(ctx context.Context, accountIDs []int64, limit int) ([]ItemRow, error) {
	q := ItemQuery{Count: limit, Summary: true}
	type top struct {
		id    int64
		score int
	}
	var tops []top
	// One query per chosen account (index items_top_account), merged.
	for _, acct := range perAccount(accountIDs) {
		where, args := "i.latest_active = TRUE AND i.unjustified_score > 0", []any{}
		if acct != 0 {
			where += " AND i.account_id = ?"
			args = append(args, acct)
		}
		rows, err := s.read().query(ctx, "SELECT i.id, i.unjustified_score FROM items i WHERE "+where+
			" ORDER BY i.unjustified_score DESC, i.id LIMIT ?", append(args, limit)...)
		if err != nil {
			return nil, fmt.Errorf("top items: %w", err)
		}
		for rows.Next() {
			var t top
			if err := rows.Scan(&t.id, &t.score); err != nil {
				rows.Close()
				return nil, fmt.Errorf("top items: %w", err)
			}
			tops = append(tops, t)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("top items: %w", err)
		}
	}
	sort.Slice(tops, func(i, j int) bool {
		if tops[i].score != tops[j].score {
			return tops[i].score > tops[j].score
		}
		return tops[i].id < tops[j].id
	})
	var ids []int64
	for i := 0; i < len(tops) && i < limit; i++ {
		ids = append(ids, tops[i].id)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	q.IDs = ids
	list, _, err := s.ListItems(ctx, q)
	if err != nil {
		return nil, err
	}
	pos := map[int64]int{}
	for i, id := range ids {
		pos[id] = i
	}
	out := make([]ItemRow, len(ids))
	n := 0
	for _, it := range list {
		if p, ok := pos[it.ID]; ok {
			out[p] = it
			n++
		}
	}
	res := out[:0]
	for _, it := range out {
		if it.ID != 0 {
			res = append(res, it)
		}
	}
	return res, nil
}

// perAccount is the accounts to read one at a time ({0}: all at once).
func perAccount(accountIDs []int64) []int64 {
	if len(accountIDs) == 0 {
		return []int64{0}
	}
	return accountIDs
}

// OldestIssues returns the open, unjustified issues raised first (aging
// issues).
func (s *Store) OldestIssues(ctx context.Context, accountIDs []int64, limit int) ([]IssueView, error) {
	// One query per chosen account (index issues_aging_account), merged.
	var ids []int64
	for _, acct := range perAccount(accountIDs) {
		var one []int64
		if acct != 0 {
			one = []int64{acct}
		}
		cond, args := openIssuesWhere(one)
		rows, err := s.read().query(ctx, "SELECT iss.id FROM issues iss WHERE "+cond+" ORDER BY iss.id LIMIT ?",
			append(args, limit)...)
		if err != nil {
			return nil, fmt.Errorf("oldest issues: %w", err)
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, fmt.Errorf("oldest issues: %w", err)
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("oldest issues: %w", err)
		}
	}
	slices.Sort(ids)
	if len(ids) > limit {
		ids = ids[:limit]
	}
	out := make([]IssueView, 0, len(ids))
	for _, id := range ids {
		v, err := s.Issue(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// IssueTrend is the number of open, unjustified issues at the end of each
// of days days up to now (oldest first), and how many of today's were
// raised in the last 24 hours. Issues are counted from the day they were
// raised; an issue fixed meanwhile no longer counts on any day (fix dates
// are not kept).
func (s *Store) IssueTrend(ctx context.Context, accountIDs []int64, now time.Time, days int) (points []int, last24h int, err error) {
	// Both from the counts the writers keep (migration 0007): the open
	// issues now, and those raised after each day's end by time raised.
	cond, args := openCountsWhere(accountIDs, true)
	var total int
	if err := s.read().queryRow(ctx, "SELECT CAST(COALESCE(SUM(c.issues), 0) AS BIGINT) FROM issue_counts c WHERE "+cond,
		args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("issue trend: %w", err)
	}
	cond, args = openCountsWhere(accountIDs, false)
	since := now.Add(-time.Duration(days) * 24 * time.Hour)
	cols := make([]string, 0, days+1)
	qargs := []any{}
	for d := range days {
		end := now.Add(-time.Duration(days-1-d) * 24 * time.Hour)
		cols = append(cols, "CAST(COALESCE(SUM(CASE WHEN c.raised > ? THEN c.issues ELSE 0 END), 0) AS BIGINT)")
		qargs = append(qargs, end)
	}
	cols = append(cols, "CAST(COALESCE(SUM(CASE WHEN c.raised > ? THEN c.issues ELSE 0 END), 0) AS BIGINT)")
	qargs = append(qargs, now.Add(-24*time.Hour))
	qargs = append(qargs, args...)
	qargs = append(qargs, since)
	after := make([]sql.NullInt64, days+1)
	dest := make([]any, days+1)
	for i := range after {
		dest[i] = &after[i]
	}
	if err := s.read().queryRow(ctx, "SELECT "+strings.Join(cols, ", ")+" FROM issue_raised_counts c WHERE "+cond+
		" AND c.raised > ?", qargs...).Scan(dest...); err != nil {
		return nil, 0, fmt.Errorf("issue trend: %w", err)
	}
	points = make([]int, days)
	for d := range days {
		points[d] = total - int(after[d].Int64)
	}
	return points, int(after[days].Int64), nil
}
