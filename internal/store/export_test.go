package store

import (
	"context"
	"sort"
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
