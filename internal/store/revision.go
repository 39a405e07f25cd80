package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/secmonkey/monkey/internal/monkey"
)

// RevisionQuery filters the revision listing (api.md §2.1 /revisions).
// Active is the revision's own active flag; SearchConfig matches each
// revision's config.
type RevisionQuery struct {
	Regions      []string
	Accounts     []string
	AccountTypes []string
	Technologies []string
	Names        []string
	ARNs         []string
	Active       *bool
	SearchConfig string
	Page, Count  int
}

// RevisionRow is one revision of the listing with its item's identity.
type RevisionRow struct {
	Revision    monkey.Revision // without Config
	ItemName    string
	Region      string
	Technology  string
	Account     string
	AccountType string
}

// ListRevisions returns one page of revisions, newest first, and the total
// number of matches.
func (s *Store) ListRevisions(ctx context.Context, q RevisionQuery) ([]RevisionRow, int, error) {
	iq := ItemQuery{Regions: q.Regions, Accounts: q.Accounts, AccountTypes: q.AccountTypes, Technologies: q.Technologies,
		Names: q.Names, ARNs: q.ARNs}
	cond, args := iq.where()
	if q.Active != nil {
		cond += " AND r.active = ?"
		args = append(args, *q.Active)
	}
	if q.SearchConfig != "" {
		cond += " AND LOWER(r.config) LIKE ? ESCAPE '\\'"
		args = append(args, likeContains(q.SearchConfig))
	}
	from := " FROM revisions r JOIN items i ON i.id = r.item_id WHERE 1 = 1" + cond
	var total int
	if err := s.read().queryRow(ctx, "SELECT COUNT(*)"+from, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count revisions: %w", err)
	}
	limit, offset := pageOf(q.Page, q.Count)
	rows, err := s.read().query(ctx, `SELECT r.id, r.item_id, r.active, r.created, r.date_last_ephemeral_change,
		i.name, i.region, i.technology, a.name, t.name
		FROM revisions r JOIN items i ON i.id = r.item_id JOIN accounts a ON a.id = i.account_id
		JOIN account_types t ON t.id = a.account_type_id
		WHERE r.id IN (SELECT r.id`+from+` ORDER BY r.id DESC LIMIT ? OFFSET ?) ORDER BY r.id DESC`,
		append(args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("list revisions: %w", err)
	}
	defer rows.Close()
	out := []RevisionRow{}
	for rows.Next() {
		var v RevisionRow
		var eph sql.NullTime
		r := &v.Revision
		if err := rows.Scan(&r.ID, &r.ItemID, &r.Active, &r.CreatedAt, &eph, &v.ItemName, &v.Region, &v.Technology,
			&v.Account, &v.AccountType); err != nil {
			return nil, 0, fmt.Errorf("list revisions: %w", err)
		}
		r.CreatedAt = r.CreatedAt.UTC()
		r.DateLastEphemeralChange = timePtr(eph)
		out = append(out, v)
	}
	return out, total, rows.Err()
}

// RevisionHistory returns the revisions of an item newest first, without
// their configs (the item page lists them; configs are read one at a time).
func (s *Store) RevisionHistory(ctx context.Context, itemID int64) ([]monkey.Revision, error) {
	rows, err := s.read().query(ctx, `SELECT id, item_id, active, created, date_last_ephemeral_change
		FROM revisions WHERE item_id = ? ORDER BY created DESC, id DESC`, itemID)
	if err != nil {
		return nil, fmt.Errorf("revision history of item %d: %w", itemID, err)
	}
	defer rows.Close()
	out := []monkey.Revision{}
	for rows.Next() {
		var r monkey.Revision
		var eph sql.NullTime
		if err := rows.Scan(&r.ID, &r.ItemID, &r.Active, &r.CreatedAt, &eph); err != nil {
			return nil, fmt.Errorf("revision history of item %d: %w", itemID, err)
		}
		r.CreatedAt = r.CreatedAt.UTC()
		r.DateLastEphemeralChange = timePtr(eph)
		out = append(out, r)
	}
	return out, rows.Err()
}

// ItemSummary is an item's identity, for the item page header and links.
type ItemSummary struct {
	ID          int64
	AccountID   int64
	Account     string
	AccountType string
	Identifier  string // account identifier
	Technology  string
	Region      string
	Name        string
	ARN         string
	Active      bool
	FirstSeen   time.Time
	LastSeen    time.Time
}

// ItemSummaries returns the identity of the given items (missing ids are
// left out), in id order.
func (s *Store) ItemSummaries(ctx context.Context, ids []int64) ([]ItemSummary, error) {
	out := []ItemSummary{}
	for _, ch := range chunks(ids, inChunk) {
		rows, err := s.read().query(ctx, `SELECT i.id, i.account_id, a.name, t.name, a.identifier, i.technology, i.region,
			i.name, COALESCE(i.arn, ''), i.latest_active
			FROM items i JOIN accounts a ON a.id = i.account_id JOIN account_types t ON t.id = a.account_type_id
			WHERE i.id IN (`+inList(len(ch))+`) ORDER BY i.id`, int64Args(ch)...)
		if err != nil {
			return nil, fmt.Errorf("item summaries: %w", err)
		}
		for rows.Next() {
			var v ItemSummary
			if err := rows.Scan(&v.ID, &v.AccountID, &v.Account, &v.AccountType, &v.Identifier, &v.Technology, &v.Region,
				&v.Name, &v.ARN, &v.Active); err != nil {
				rows.Close()
				return nil, fmt.Errorf("item summaries: %w", err)
			}
			out = append(out, v)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("item summaries: %w", err)
		}
	}
	return out, nil
}

// ItemSummary returns one item's identity with its first and last
// revision dates.
func (s *Store) ItemSummary(ctx context.Context, id int64) (ItemSummary, error) {
	list, err := s.ItemSummaries(ctx, []int64{id})
	if err != nil {
		return ItemSummary{}, err
	}
	if len(list) == 0 {
		return ItemSummary{}, notFound("item %d", id)
	}
	v := list[0]
	var first, last scanTime
	if err := s.read().queryRow(ctx, "SELECT MIN(created), MAX(created) FROM revisions WHERE item_id = ?", id).
		Scan(&first, &last); err != nil {
		return ItemSummary{}, fmt.Errorf("read item %d: %w", id, err)
	}
	v.FirstSeen, v.LastSeen = first.Time, last.Time
	return v, nil
}

// ItemConfig is an item's identity with its latest config.
type ItemConfig struct {
	ItemSummary
	Config []byte
}

// LatestConfigs returns up to limit items with id > afterID, in id order,
// with their latest configs (keyset pagination for exports). Empty filters
// of q apply; its paging is ignored.
func (s *Store) LatestConfigs(ctx context.Context, q ItemQuery, afterID int64, limit int) ([]ItemConfig, error) {
	cond, args := q.where()
	rows, err := s.read().query(ctx, `SELECT i.id, i.account_id, a.name, t.name, a.identifier, i.technology, i.region,
		i.name, COALESCE(i.arn, ''), i.latest_active, r.config
		FROM items i JOIN accounts a ON a.id = i.account_id JOIN account_types t ON t.id = a.account_type_id
		JOIN revisions r ON r.id = i.latest_revision_id
		WHERE i.id > ?`+cond+` ORDER BY i.id LIMIT ?`, append(append([]any{afterID}, args...), limit)...)
	if err != nil {
		return nil, fmt.Errorf("latest configs: %w", err)
	}
	defer rows.Close()
	out := []ItemConfig{}
	for rows.Next() {
		var v ItemConfig
		var cfg string
		if err := rows.Scan(&v.ID, &v.AccountID, &v.Account, &v.AccountType, &v.Identifier, &v.Technology, &v.Region,
			&v.Name, &v.ARN, &v.Active, &cfg); err != nil {
			return nil, fmt.Errorf("latest configs: %w", err)
		}
		v.Config = []byte(cfg)
		out = append(out, v)
	}
	return out, rows.Err()
}
