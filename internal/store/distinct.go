package store

import (
	"context"
	"fmt"
)

// distinctColumns maps the /distinct keys (api.md §2.2) to columns.
var distinctColumns = map[string]string{
	"tech": "i.technology", "account": "a.name", "accounttype": "t.name",
	"region": "i.region", "name": "i.name", "arn": "i.arn",
}

// DistinctKey reports whether key is a /distinct key.
func DistinctKey(key string) bool { _, ok := distinctColumns[key]; return ok }

// DistinctValue is one value of a /distinct listing with an item having it.
type DistinctValue struct {
	Value  string
	ItemID int64 // the smallest id of the items with this value
}

// DistinctQuery lists the values of one item attribute among the items
// matching Filter (pagination of Filter applies to the values).
type DistinctQuery struct {
	Key    string // tech, account, accounttype, region, name, arn
	Filter ItemQuery
	// Search keeps values containing it (case-insensitive); with the key
	// account, third-party accounts are left out (the select2 form).
	Search string
	Select bool // the select2 form: Search applies, third parties left out
}

// Distinct returns one page of the distinct values, sorted, and how many
// there are.
func (s *Store) Distinct(ctx context.Context, q DistinctQuery) ([]DistinctValue, int, error) {
	col, ok := distinctColumns[q.Key]
	if !ok {
		return nil, 0, fmt.Errorf("distinct %q: unknown key", q.Key)
	}
	cond, args := q.Filter.where()
	from := " FROM items i JOIN accounts a ON a.id = i.account_id JOIN account_types t ON t.id = a.account_type_id"
	from += " WHERE " + col + " IS NOT NULL" + cond
	if q.Select {
		if q.Search != "" {
			from += " AND LOWER(" + col + ") LIKE ? ESCAPE '\\'"
			args = append(args, likeContains(q.Search))
		}
		if q.Key == "account" {
			from += " AND a.third_party = FALSE"
		}
	}
	var total int
	if err := s.read().queryRow(ctx, "SELECT COUNT(DISTINCT "+col+")"+from, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count distinct %s: %w", q.Key, err)
	}
	limit, offset := q.Filter.page()
	rows, err := s.read().query(ctx, "SELECT "+col+", MIN(i.id)"+from+" GROUP BY "+col+" ORDER BY "+col+" LIMIT ? OFFSET ?",
		append(args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("distinct %s: %w", q.Key, err)
	}
	defer rows.Close()
	out := []DistinctValue{}
	for rows.Next() {
		var v DistinctValue
		if err := rows.Scan(&v.Value, &v.ItemID); err != nil {
			return nil, 0, fmt.Errorf("distinct %s: %w", q.Key, err)
		}
		out = append(out, v)
	}
	return out, total, rows.Err()
}
