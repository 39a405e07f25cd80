package store

import (
	"context"
	"fmt"
	"time"
)

// insertCounts adds the rows the store inserts to the counts of migration
// 0007 on engines whose triggers would do it one row at a time (dialect
// countInserts: SQLite has row triggers only, an upsert per inserted row;
// migration 0010, decision 124). It sums a transaction's inserted items
// and issues by count key and writes them with one upsert per table.
// Postgres's statement triggers count the same inserts there.
type insertCounts struct {
	items  map[itemCountKey]int64
	issues map[issueCountKey]issueCount
	raised map[raisedCountKey]int64
}

type itemCountKey struct {
	account    int64
	technology string
	region     string
	active     bool
}

// issueCountKey is the key of issue_counts (an inserted issue is neither
// fixed nor justified).
type issueCountKey struct {
	account    int64
	technology string
	region     string
	itemActive bool
	setting    int64
}

type issueCount struct{ issues, score int64 }

type raisedCountKey struct {
	account int64
	setting int64
	raised  time.Time
}

func newInsertCounts() *insertCounts {
	return &insertCounts{items: map[itemCountKey]int64{}, issues: map[issueCountKey]issueCount{},
		raised: map[raisedCountKey]int64{}}
}

// item counts one inserted active item.
func (n *insertCounts) item(account int64, technology, region string) {
	n.items[itemCountKey{account, technology, region, true}]++
}

// issue counts one inserted issue (unfixed, unjustified) raised at raised
// on an item of the given key.
func (n *insertCounts) issue(k issueCountKey, score int64, raised time.Time) {
	c := n.issues[k]
	c.issues++
	c.score += score
	n.issues[k] = c
	if k.itemActive {
		n.raised[raisedCountKey{k.account, k.setting, raised}]++
	}
}

// countRows is the most count rows one upsert writes.
const countRows = 500

// write adds the counts to their tables in c's transaction.
func (n *insertCounts) write(ctx context.Context, c conn) error {
	items := make([][]any, 0, len(n.items))
	for k, v := range n.items {
		items = append(items, []any{k.account, k.technology, k.region, k.active, v})
	}
	issues := make([][]any, 0, len(n.issues))
	for k, v := range n.issues {
		issues = append(issues, []any{k.account, k.technology, k.region, k.itemActive, false, k.setting, v.issues, v.score})
	}
	raised := make([][]any, 0, len(n.raised))
	for k, v := range n.raised {
		raised = append(raised, []any{k.account, k.setting, k.raised, v})
	}
	for _, t := range []struct {
		table, head, tuple, conflict string
		rows                         [][]any
	}{
		{"item_counts", itemCountsUpsert, "(?,?,?,?,?)", itemCountsConflict, items},
		{"issue_counts", issueCountsUpsert, "(?,?,?,?,?,?,?,?)", issueCountsConflict, issues},
		{"issue_raised_counts", raisedCountsUpsert, "(?,?,?,?)", raisedCountsConflict, raised},
	} {
		for _, part := range chunks(t.rows, countRows) {
			args := make([]any, 0, len(part)*len(part[0]))
			for _, r := range part {
				args = append(args, r...)
			}
			if _, err := c.exec(ctx, t.head+placeholders(len(part), t.tuple)+t.conflict, args...); err != nil {
				return fmt.Errorf("count inserted rows in %s: %w", t.table, err)
			}
		}
	}
	return nil
}

const (
	itemCountsUpsert   = "INSERT INTO item_counts (account_id, technology, region, active, items) VALUES "
	itemCountsConflict = " ON CONFLICT (account_id, technology, region, active) DO UPDATE SET items = items + excluded.items"
	issueCountsUpsert  = "INSERT INTO issue_counts (account_id, technology, region, item_active, justified," +
		" auditor_setting_id, issues, score) VALUES "
	issueCountsConflict = " ON CONFLICT (account_id, technology, region, item_active, justified, auditor_setting_id)" +
		" DO UPDATE SET issues = issues + excluded.issues, score = score + excluded.score"
	raisedCountsUpsert   = "INSERT INTO issue_raised_counts (account_id, auditor_setting_id, raised, issues) VALUES "
	raisedCountsConflict = " ON CONFLICT (account_id, auditor_setting_id, raised) DO UPDATE SET issues = issues + excluded.issues"
)
