package store

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"
)

// ExecForTest runs a raw statement (tests only).
func (s *Store) ExecForTest(ctx context.Context, q string, args ...any) error {
	_, err := s.write().exec(ctx, q, args...)
	return err
}

// MigrateToForTest applies the migrations up to version upTo.
func (s *Store) MigrateToForTest(ctx context.Context, upTo int) (int, error) {
	return s.migrateTo(ctx, upTo)
}

// QueryIntsForTest runs a query returning one integer column.
func (s *Store) QueryIntsForTest(ctx context.Context, q string, args ...any) ([]int64, error) {
	rows, err := s.read().query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// SchemaForTest returns table → sorted column names.
func (s *Store) SchemaForTest(ctx context.Context) (map[string][]string, error) {
	q := `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'`
	if s.d.name == EngineSQLite {
		q = `SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p
			WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'`
	}
	rows, err := s.read().query(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var t, c string
		if err := rows.Scan(&t, &c); err != nil {
			return nil, err
		}
		out[t] = append(out[t], c)
	}
	for _, cols := range out {
		sort.Strings(cols)
	}
	return out, rows.Err()
}

// ItemScoresForTest returns the stored score, unjustified score and issue
// count of an item.
func (s *Store) ItemScoresForTest(ctx context.Context, id int64) ([3]int, error) {
	var r [3]int
	err := s.read().queryRow(ctx, "SELECT score, unjustified_score, issue_count FROM items WHERE id = ?", id).Scan(&r[0], &r[1], &r[2])
	return r, err
}

// CountsForTest returns the rows of the counts tables the writers keep
// (migration 0007), rows at zero left out (but for issue_raised_counts,
// where none may be left), and the same counts recounted
// from the items and issues (the issues' item columns taken from their
// items), each row as one "table key… = values" line.
func (s *Store) CountsForTest(ctx context.Context) (kept, recounted []string, err error) {
	read := func(q string) ([]string, error) {
		rows, err := s.read().query(ctx, q)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		cols, err := rows.Columns()
		if err != nil {
			return nil, err
		}
		var out []string
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				return nil, err
			}
			line := ""
			for i, v := range vals {
				switch x := v.(type) {
				case []byte:
					v = string(x)
				case time.Time:
					v = x.UTC().Format(time.RFC3339Nano)
				case string:
					var st scanTime
					if cols[i] == "raised" && st.Scan(x) == nil {
						v = st.Time.Format(time.RFC3339Nano)
					}
				case int64:
					if strings.HasPrefix(cols[i], "b_") {
						v = x != 0
					}
				}
				line += fmt.Sprintf("%v ", v)
			}
			out = append(out, line)
		}
		return out, rows.Err()
	}
	// Booleans are returned as b_ columns (SQLite has them as integers).
	for _, q := range []string{
		`SELECT 'item' AS t, account_id, technology, region, active AS b_active, items FROM item_counts WHERE items <> 0`,
		`SELECT 'issue' AS t, account_id, technology, region, item_active AS b_active, justified AS b_justified, auditor_setting_id,
			issues, score FROM issue_counts WHERE issues <> 0 OR score <> 0`,
		// (rows at zero are deleted there: listed if left)
		`SELECT 'raised' AS t, account_id, auditor_setting_id, raised, issues FROM issue_raised_counts`,
	} {
		lines, err := read(q)
		if err != nil {
			return nil, nil, fmt.Errorf("read counts: %w", err)
		}
		kept = append(kept, lines...)
	}
	for _, q := range []string{
		`SELECT 'item' AS t, account_id, technology, region, latest_active AS b_active, COUNT(*) FROM items
			WHERE latest_revision_id IS NOT NULL GROUP BY account_id, technology, region, latest_active`,
		`SELECT 'issue' AS t, i.account_id, i.technology, i.region, i.latest_active AS b_active, x.justified AS b_justified,
			COALESCE(x.auditor_setting_id, 0), COUNT(*), SUM(x.score) FROM issues x JOIN items i ON i.id = x.item_id
			WHERE x.fixed = FALSE GROUP BY i.account_id, i.technology, i.region, i.latest_active, x.justified, x.auditor_setting_id`,
		`SELECT 'raised' AS t, i.account_id, COALESCE(x.auditor_setting_id, 0), x.created AS raised, COUNT(*) FROM issues x
			JOIN items i ON i.id = x.item_id WHERE x.fixed = FALSE AND x.justified = FALSE AND i.latest_active = TRUE
			AND x.created IS NOT NULL GROUP BY i.account_id, x.auditor_setting_id, x.created`,
	} {
		lines, err := read(q)
		if err != nil {
			return nil, nil, fmt.Errorf("recount: %w", err)
		}
		recounted = append(recounted, lines...)
	}
	sort.Strings(kept)
	sort.Strings(recounted)
	return kept, recounted, nil
}
