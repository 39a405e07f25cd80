package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/secmonkey/monkey/internal/monkey"
)

// batchRows is the number of items written per statement and transaction.
const batchRows = 1000

// inChunk is the number of ids per IN list.
const inChunk = 1000

// ItemStates returns the latest state of every item (active or deleted) of
// one account and technology, in one query and without configs, by id (a
// stable order: audit fingerprints are built from it, and the planner's
// order changes with the indexes it picks).
func (s *Store) ItemStates(ctx context.Context, accountID int64, technology string) ([]ItemState, error) {
	rows, err := s.read().query(ctx, `SELECT id, COALESCE(latest_revision_id, 0), region, name, COALESCE(arn, ''),
		latest_active, complete_hash, durable_hash, audit_hash
		FROM items WHERE account_id = ? AND technology = ? ORDER BY id`, accountID, technology)
	if err != nil {
		return nil, fmt.Errorf("item states %d/%s: %w", accountID, technology, err)
	}
	defer rows.Close()
	out := []ItemState{}
	for rows.Next() {
		var st ItemState
		if err := rows.Scan(&st.ItemID, &st.RevisionID, &st.Region, &st.Name, &st.ARN, &st.Active,
			&st.CompleteHash, &st.DurableHash, &st.AuditHash); err != nil {
			return nil, fmt.Errorf("item states %d/%s: %w", accountID, technology, err)
		}
		out = append(out, st)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("item states %d/%s: %w", accountID, technology, err)
	}
	return out, nil
}

// ItemCount returns how many items (active or deleted) an account holds of
// a technology: the size of its ItemStates, without reading them.
func (s *Store) ItemCount(ctx context.Context, accountID int64, technology string) (int, error) {
	var n int
	if err := s.read().queryRow(ctx, `SELECT COUNT(*) FROM items WHERE account_id = ? AND technology = ?`,
		accountID, technology).Scan(&n); err != nil {
		return 0, fmt.Errorf("item count %d/%s: %w", accountID, technology, err)
	}
	return n, nil
}

// ApplyChanges writes a change set with multi-row statements, one
// transaction per batch of up to batchRows items. Each transaction first
// checks cs.Fence. A write based on a stale state is refused with ECONFLICT
// (its batch is rolled back): a new item whose location exists, a revision
// whose predecessor (RevisionWrite.RevisionID) already has a successor, an
// ephemeral rewrite of a revision that is no longer the latest.
func (s *Store) ApplyChanges(ctx context.Context, cs ChangeSet) error {
	now := cs.Now
	if now.IsZero() {
		now = s.clock()
	}
	now = now.UTC()
	where := fmt.Sprintf("apply changes %d/%s", cs.AccountID, cs.Technology)
	if len(cs.New) > 0 {
		if _, err := s.write().exec(ctx, "INSERT INTO technologies (name) VALUES (?) ON CONFLICT (name) DO NOTHING", cs.Technology); err != nil {
			return fmt.Errorf("%s: record technology: %w", where, err)
		}
	}
	for _, b := range chunks(cs.New, batchRows) {
		if err := s.inTx(ctx, func(c conn) error {
			if err := s.checkFence(ctx, c, cs.Fence, cs.AccountID, cs.Technology); err != nil {
				return err
			}
			return s.insertNew(ctx, c, cs, now, b)
		}); err != nil {
			return fmt.Errorf("%s: new items: %w", where, err)
		}
	}
	for _, b := range chunks(cs.Durable, batchRows) {
		if err := s.inTx(ctx, func(c conn) error {
			if err := s.checkFence(ctx, c, cs.Fence, cs.AccountID, cs.Technology); err != nil {
				return err
			}
			return s.writeRevisions(ctx, c, now, b, true)
		}); err != nil {
			return fmt.Errorf("%s: durable changes: %w", where, err)
		}
	}
	for _, b := range chunks(cs.Ephemeral, batchRows) {
		if err := s.inTx(ctx, func(c conn) error {
			if err := s.checkFence(ctx, c, cs.Fence, cs.AccountID, cs.Technology); err != nil {
				return err
			}
			return s.writeEphemeral(ctx, c, now, b)
		}); err != nil {
			return fmt.Errorf("%s: ephemeral changes: %w", where, err)
		}
	}
	for _, b := range chunks(cs.Deleted, batchRows) {
		if err := s.inTx(ctx, func(c conn) error {
			if err := s.checkFence(ctx, c, cs.Fence, cs.AccountID, cs.Technology); err != nil {
				return err
			}
			return s.writeRevisions(ctx, c, now, b, false)
		}); err != nil {
			return fmt.Errorf("%s: deletions: %w", where, err)
		}
	}
	return nil
}

// takeARNs releases the given ARNs from whichever items own them (ARN
// takeover, technologies.md §0.1).
func takeARNs(ctx context.Context, c conn, arns []string) error {
	if len(arns) == 0 {
		return nil
	}
	args := make([]any, len(arns))
	for i, a := range arns {
		args[i] = a
	}
	if _, err := c.exec(ctx, "UPDATE items SET arn = NULL WHERE arn IN ("+inList(len(arns))+")", args...); err != nil {
		return fmt.Errorf("release arns: %w", err)
	}
	return nil
}

// dedupeARNs returns the distinct non-empty ARNs and, per row, the ARN the
// row keeps ("" when a later row of the batch takes it over).
func dedupeARNs(arns []string) (distinct []string, keep []string) {
	last := map[string]int{}
	for i, a := range arns {
		if a != "" {
			last[a] = i
		}
	}
	keep = make([]string, len(arns))
	for i, a := range arns {
		if a != "" && last[a] == i {
			keep[i] = a
			distinct = append(distinct, a)
		}
	}
	return distinct, keep
}

func (s *Store) insertNew(ctx context.Context, c conn, cs ChangeSet, now time.Time, items []NewItem) error {
	arns := make([]string, len(items))
	for i, it := range items {
		arns[i] = it.ARN
	}
	distinct, keep := dedupeARNs(arns)
	if err := takeARNs(ctx, c, distinct); err != nil {
		return err
	}
	itemIDs, revIDs, err := newItemIDs(ctx, c, len(items))
	if err != nil {
		return err
	}
	// Each item is written with its latest revision: no second write of
	// the row and of its latest_revision_id indexes (decision 121).
	args := make([]any, 0, 9*len(items))
	writes := make([]RevisionWrite, len(items))
	for i, it := range items {
		args = append(args, itemIDs[i], cs.AccountID, cs.Technology, it.Region, it.Name, nullString(keep[i]),
			it.CompleteHash, it.DurableHash, revIDs[i])
		writes[i] = RevisionWrite{ItemID: itemIDs[i], Config: it.Config, Facts: it.Facts}
	}
	if _, err := c.exec(ctx, `INSERT INTO items (id, account_id, technology, region, name, arn, complete_hash, durable_hash,
		latest_revision_id, latest_active) VALUES `+placeholders(len(items), "(?,?,?,?,?,?,?,?,?,TRUE)"), args...); err != nil {
		return fmt.Errorf("insert items: %w", interpret(err))
	}
	if c.s.d.countInserts {
		n := newInsertCounts()
		for _, it := range items {
			n.item(cs.AccountID, cs.Technology, it.Region)
		}
		if err := n.write(ctx, c); err != nil {
			return err
		}
	}
	revs, err := insertRevisions(ctx, c, now, writes, revIDs, true)
	if err != nil {
		return err
	}
	if err := keepLatestConfigs(ctx, c, revs); err != nil {
		return err
	}
	return insertFacts(ctx, c, writes)
}

// newItemIDs reserves n item ids and n revision ids in the writing
// transaction (dialect newIDs).
func newItemIDs(ctx context.Context, c conn, n int) (items, revisions []int64, err error) {
	q, args := c.s.d.newIDs(n, "items", "revisions")
	rows, err := c.query(ctx, q, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("reserve item ids: %w", err)
	}
	defer rows.Close()
	items, revisions = make([]int64, 0, n), make([]int64, 0, n)
	for rows.Next() {
		var iid, rid int64
		if err := rows.Scan(&iid, &rid); err != nil {
			return nil, nil, fmt.Errorf("reserve item ids: %w", err)
		}
		items, revisions = append(items, iid), append(revisions, rid)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("reserve item ids: %w", err)
	}
	if len(items) != n {
		return nil, nil, fmt.Errorf("reserve item ids: %d rows for %d items", len(items), n)
	}
	return items, revisions, nil
}

// insertRevisions inserts one revision per write, following the write's
// RevisionID (none for a new item), with the given ids (nil: the
// database's), and returns item id → revision id. A second revision
// following the same one is refused by the schema: the write was computed
// from a state another scan has changed since.
func insertRevisions(ctx context.Context, c conn, now time.Time, ws []RevisionWrite, ids []int64, active bool) (map[int64]int64, error) {
	cols, tuple := "item_id, previous_id, config, active, created", "(?,?,?,?,?)"
	if ids != nil {
		cols, tuple = "id, "+cols, "(?,?,?,?,?,?)"
	}
	args := make([]any, 0, 6*len(ws))
	for i, w := range ws {
		cfg := string(w.Config)
		if cfg == "" {
			cfg = "{}"
		}
		prev := sql.NullInt64{Int64: w.RevisionID, Valid: w.RevisionID != 0}
		if ids != nil {
			args = append(args, ids[i])
		}
		args = append(args, w.ItemID, prev, cfg, active, now)
	}
	rows, err := c.query(ctx, "INSERT INTO revisions ("+cols+") VALUES "+
		placeholders(len(ws), tuple)+" RETURNING id, item_id", args...)
	if err != nil {
		if isUnique(err) {
			return nil, monkey.Errorf(monkey.ECONFLICT,
				"insert revisions: an item changed since its state was read (another scan wrote it): write refused")
		}
		return nil, fmt.Errorf("insert revisions: %w", err)
	}
	defer rows.Close()
	out := make(map[int64]int64, len(ws))
	for rows.Next() {
		var rid, iid int64
		if err := rows.Scan(&rid, &iid); err != nil {
			return nil, fmt.Errorf("insert revisions: %w", err)
		}
		out[iid] = rid
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("insert revisions: %w", err)
	}
	if len(out) != len(ws) {
		return nil, fmt.Errorf("insert revisions: %d rows for %d items (an item appears twice in one change set)", len(out), len(ws))
	}
	return out, nil
}

// keepLatestConfigs copies the given latest revisions' configs (item id →
// revision id), lowered, into latest_configs (migration 0009), which the
// config search reads: in the writing transaction, from the rows just
// written (the configs are not sent twice).
func keepLatestConfigs(ctx context.Context, c conn, revs map[int64]int64) error {
	if len(revs) == 0 {
		return nil
	}
	ids := make([]int64, 0, len(revs))
	for _, rid := range revs {
		ids = append(ids, rid)
	}
	if _, err := c.exec(ctx, `INSERT INTO latest_configs (item_id, config_lower)
		SELECT item_id, LOWER(config) FROM revisions WHERE id IN (`+inList(len(ids))+`)
		ON CONFLICT (item_id) DO UPDATE SET config_lower = excluded.config_lower`, int64Args(ids)...); err != nil {
		return fmt.Errorf("keep latest configs: %w", err)
	}
	return nil
}

// insertFacts inserts the facts of the writes (callers delete old ones).
func insertFacts(ctx context.Context, c conn, ws []RevisionWrite) error {
	var args []any
	flush := func() error {
		if len(args) == 0 {
			return nil
		}
		_, err := c.exec(ctx, "INSERT INTO item_facts (item_id, kind, value) VALUES "+placeholders(len(args)/3, "(?,?,?)"), args...)
		args = args[:0]
		if err != nil {
			return fmt.Errorf("insert facts: %w", err)
		}
		return nil
	}
	const maxRows = 5000
	for _, w := range ws {
		for _, f := range w.Facts {
			args = append(args, w.ItemID, f.Kind, f.Value)
			if len(args) >= 3*maxRows {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}
	return flush()
}

// writeRevisions stores durable changes (active) or deletions (inactive).
func (s *Store) writeRevisions(ctx context.Context, c conn, now time.Time, ws []RevisionWrite, active bool) error {
	keep := make([]string, len(ws))
	if active {
		arns := make([]string, len(ws))
		for i, w := range ws {
			arns[i] = w.ARN
		}
		var distinct []string
		distinct, keep = dedupeARNs(arns)
		if err := takeARNs(ctx, c, distinct); err != nil {
			return err
		}
	}
	revs, err := insertRevisions(ctx, c, now, ws, nil, active)
	if err != nil {
		return err
	}
	args := make([]any, 0, 5*len(ws))
	for i, w := range ws {
		args = append(args, w.ItemID, revs[w.ItemID], w.CompleteHash, w.DurableHash, nullString(keep[i]))
	}
	set := "arn = v.column5, latest_active = TRUE"
	if !active {
		set = "latest_active = FALSE"
	}
	idVals := writeIDs(ws)
	args = append(args, int64Args(idVals)...)
	_, err = c.exec(ctx, `UPDATE items SET latest_revision_id = v.column2, complete_hash = v.column3,
		durable_hash = v.column4, `+set+`
		FROM (VALUES `+placeholders(len(ws), "(CAST(? AS BIGINT),CAST(? AS BIGINT),CAST(? AS TEXT),CAST(? AS TEXT),CAST(? AS TEXT))")+`) AS v
		WHERE items.id = v.column1`+idIn("items.id", len(idVals)), args...)
	if err != nil {
		return fmt.Errorf("update items: %w", interpret(err))
	}
	if err := keepLatestConfigs(ctx, c, revs); err != nil {
		return err
	}
	if !active {
		return nil // deleted items keep their facts
	}
	return replaceFacts(ctx, c, ws)
}

func (s *Store) writeEphemeral(ctx context.Context, c conn, now time.Time, ws []RevisionWrite) error {
	// The latest revision of each item is rewritten, provided it is still
	// RevisionWrite.RevisionID (compare and swap).
	args := make([]any, 0, 4*len(ws)+1)
	args = append(args, now)
	for _, w := range ws {
		cfg := string(w.Config)
		if cfg == "" {
			cfg = "{}"
		}
		args = append(args, w.ItemID, cfg, w.RevisionID)
	}
	idVals := writeIDs(ws)
	args = append(args, int64Args(idVals)...)
	res, err := c.exec(ctx, `UPDATE revisions SET config = v.column2, date_last_ephemeral_change = ?
		FROM items, (VALUES `+placeholders(len(ws), "(CAST(? AS BIGINT),CAST(? AS TEXT),CAST(? AS BIGINT))")+`) AS v
		WHERE items.id = v.column1 AND revisions.id = items.latest_revision_id AND revisions.id = v.column3
		AND revisions.id IN (SELECT latest_revision_id FROM items WHERE 1 = 1`+idIn("id", len(idVals))+`)`, args...)
	if err != nil {
		return fmt.Errorf("rewrite revisions: %w", err)
	}
	if n, _ := res.RowsAffected(); n != int64(len(ws)) {
		return monkey.Errorf(monkey.ECONFLICT,
			"rewrite revisions: %d of %d items changed since their state was read (another scan wrote them): write refused", int64(len(ws))-n, len(ws))
	}
	revs := make(map[int64]int64, len(ws))
	for _, w := range ws {
		revs[w.ItemID] = w.RevisionID
	}
	if err := keepLatestConfigs(ctx, c, revs); err != nil {
		return err
	}
	// An ephemeral write may carry an ARN the item lost to a takeover: take
	// it back (an empty ARN leaves the stored one alone).
	arns := make([]string, len(ws))
	for i, w := range ws {
		arns[i] = w.ARN
	}
	distinct, keep := dedupeARNs(arns)
	if err := takeARNs(ctx, c, distinct); err != nil {
		return err
	}
	args = args[:0]
	for i, w := range ws {
		args = append(args, w.ItemID, w.CompleteHash, nullString(keep[i]))
	}
	idVals = writeIDs(ws)
	args = append(args, int64Args(idVals)...)
	if _, err := c.exec(ctx, `UPDATE items SET complete_hash = v.column2, arn = COALESCE(v.column3, items.arn)
		FROM (VALUES `+placeholders(len(ws), "(CAST(? AS BIGINT),CAST(? AS TEXT),CAST(? AS TEXT))")+`) AS v
		WHERE items.id = v.column1`+idIn("items.id", len(idVals)), args...); err != nil {
		return fmt.Errorf("update complete hashes: %w", interpret(err))
	}
	return replaceFacts(ctx, c, ws)
}

func writeIDs(ws []RevisionWrite) []int64 {
	ids := make([]int64, len(ws))
	for i, w := range ws {
		ids[i] = w.ItemID
	}
	return ids
}

// replaceFacts replaces the facts of the written items.
func replaceFacts(ctx context.Context, c conn, ws []RevisionWrite) error {
	ids := writeIDs(ws)
	if _, err := c.exec(ctx, "DELETE FROM item_facts WHERE item_id IN ("+inList(len(ids))+")", int64Args(ids)...); err != nil {
		return fmt.Errorf("replace facts: %w", err)
	}
	return insertFacts(ctx, c, ws)
}

const storedItemColumns = `i.id, i.account_id, a.name, i.technology, i.region, i.name, COALESCE(i.arn, ''),
	i.latest_active, COALESCE(i.latest_revision_id, 0), COALESCE(r.config, '{}'), i.complete_hash, i.durable_hash`

const storedItemFrom = ` FROM items i JOIN accounts a ON a.id = i.account_id
	LEFT JOIN revisions r ON r.id = i.latest_revision_id`

func scanStoredItem(sc interface{ Scan(...any) error }) (monkey.StoredItem, error) {
	var it monkey.StoredItem
	var cfg string
	err := sc.Scan(&it.ID, &it.AccountID, &it.AccountName, &it.Technology, &it.Region, &it.Name, &it.ARN,
		&it.Active, &it.RevisionID, &cfg, &it.CompleteHash, &it.DurableHash)
	it.Config = []byte(cfg)
	return it, err
}

// ItemsForAudit returns items of one account and technology with their
// latest config and ALL their issues (fixed ones too). ids nil = every
// active item of the pair.
func (s *Store) ItemsForAudit(ctx context.Context, accountID int64, technology string, ids []int64) ([]monkey.StoredItem, error) {
	where := fmt.Sprintf("items for audit %d/%s", accountID, technology)
	out := []monkey.StoredItem{}
	var queries [][]any // each: WHERE clause, args...
	if ids == nil {
		queries = append(queries, []any{"i.account_id = ? AND i.technology = ? AND i.latest_active = TRUE", accountID, technology})
	} else {
		// By primary key only: with the account and technology in the
		// WHERE clause too, Postgres (before its first ANALYZE of a freshly
		// filled table) intersects the id list with the whole
		// (account, technology) index range for every chunk. Items of
		// another pair are dropped below.
		for _, ch := range chunks(ids, inChunk) {
			queries = append(queries, append([]any{"i.id IN (" + inList(len(ch)) + ")"}, int64Args(ch)...))
		}
	}
	for _, q := range queries {
		rows, err := s.read().query(ctx, "SELECT "+storedItemColumns+storedItemFrom+
			" WHERE "+q[0].(string)+" ORDER BY i.id", q[1:]...)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", where, err)
		}
		for rows.Next() {
			it, err := scanStoredItem(rows)
			if err != nil {
				rows.Close()
				return nil, fmt.Errorf("%s: %w", where, err)
			}
			if it.AccountID != accountID || it.Technology != technology {
				continue
			}
			it.Issues = []monkey.Issue{}
			out = append(out, it)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("%s: %w", where, err)
		}
	}
	if len(out) == 0 {
		return out, nil
	}
	var issues map[int64][]monkey.Issue
	var err error
	if ids == nil {
		issues, err = s.issuesWhere(ctx, s.read(), `iss.item_id IN (SELECT id FROM items
			WHERE account_id = ? AND technology = ? AND latest_active = TRUE)`, accountID, technology)
	} else {
		issues, err = s.issuesOf(ctx, s.read(), itemIDs(out))
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	for i := range out {
		if is := issues[out[i].ID]; is != nil {
			out[i].Issues = is
		}
	}
	return out, nil
}

func itemIDs(items []monkey.StoredItem) []int64 {
	ids := make([]int64, len(items))
	for i, it := range items {
		ids[i] = it.ID
	}
	return ids
}

// Item returns one item with its latest config and all its issues.
func (s *Store) Item(ctx context.Context, id int64) (monkey.StoredItem, error) {
	return s.oneItem(ctx, "i.id = ?", id)
}

// ItemByName returns the item at a location with its latest config and all
// its issues.
func (s *Store) ItemByName(ctx context.Context, accountID int64, technology, region, name string) (monkey.StoredItem, error) {
	return s.oneItem(ctx, "i.account_id = ? AND i.technology = ? AND i.region = ? AND i.name = ?",
		accountID, technology, region, name)
}

func (s *Store) oneItem(ctx context.Context, where string, args ...any) (monkey.StoredItem, error) {
	it, err := scanStoredItem(s.read().queryRow(ctx, "SELECT "+storedItemColumns+storedItemFrom+" WHERE "+where, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return monkey.StoredItem{}, notFound("item %v", args)
	}
	if err != nil {
		return monkey.StoredItem{}, fmt.Errorf("read item %v: %w", args, err)
	}
	issues, err := s.issuesOf(ctx, s.read(), []int64{it.ID})
	if err != nil {
		return monkey.StoredItem{}, fmt.Errorf("read item %d: %w", it.ID, err)
	}
	it.Issues = issues[it.ID]
	if it.Issues == nil {
		it.Issues = []monkey.Issue{}
	}
	return it, nil
}

// Revisions returns the revisions of an item, newest first.
func (s *Store) Revisions(ctx context.Context, itemID int64) ([]monkey.Revision, error) {
	rows, err := s.read().query(ctx, `SELECT id, item_id, active, config, created, date_last_ephemeral_change
		FROM revisions WHERE item_id = ? ORDER BY created DESC, id DESC`, itemID)
	if err != nil {
		return nil, fmt.Errorf("revisions of item %d: %w", itemID, err)
	}
	defer rows.Close()
	out := []monkey.Revision{}
	for rows.Next() {
		var r monkey.Revision
		var cfg string
		var eph sql.NullTime
		if err := rows.Scan(&r.ID, &r.ItemID, &r.Active, &cfg, &r.CreatedAt, &eph); err != nil {
			return nil, fmt.Errorf("revisions of item %d: %w", itemID, err)
		}
		r.Config = []byte(cfg)
		r.CreatedAt = r.CreatedAt.UTC()
		r.DateLastEphemeralChange = timePtr(eph)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("revisions of item %d: %w", itemID, err)
	}
	return out, nil
}

// AuditData returns every account, the network whitelist and every fact of
// every item (active or deleted), with Account = the owner's identifier.
func (s *Store) AuditData(ctx context.Context) (AuditData, error) {
	var d AuditData
	var err error
	if d.Accounts, err = s.ListAccounts(ctx); err != nil {
		return AuditData{}, err
	}
	if d.Whitelist, err = s.ListWhitelist(ctx); err != nil {
		return AuditData{}, err
	}
	rows, err := s.read().query(ctx, `SELECT a.identifier, f.kind, f.value FROM item_facts f
		JOIN items i ON i.id = f.item_id JOIN accounts a ON a.id = i.account_id`)
	if err != nil {
		return AuditData{}, fmt.Errorf("audit data facts: %w", err)
	}
	defer rows.Close()
	d.Known = []monkey.KnownResource{}
	for rows.Next() {
		var k monkey.KnownResource
		if err := rows.Scan(&k.Account, &k.Kind, &k.Value); err != nil {
			return AuditData{}, fmt.Errorf("audit data facts: %w", err)
		}
		d.Known = append(d.Known, k)
	}
	if err := rows.Err(); err != nil {
		return AuditData{}, fmt.Errorf("audit data facts: %w", err)
	}
	return d, nil
}

// ScanSummary counts active items and their open issues per technology.
// Empty filters mean all.
func (s *Store) ScanSummary(ctx context.Context, accountIDs []int64, technologies []string) (map[string]TechSummary, error) {
	q := "SELECT technology, COUNT(*), COALESCE(SUM(issue_count), 0) FROM items WHERE latest_active = TRUE"
	var args []any
	if len(accountIDs) > 0 {
		q += " AND account_id IN (" + inList(len(accountIDs)) + ")"
		args = append(args, int64Args(accountIDs)...)
	}
	if len(technologies) > 0 {
		q += " AND technology IN (" + inList(len(technologies)) + ")"
		for _, t := range technologies {
			args = append(args, t)
		}
	}
	rows, err := s.read().query(ctx, q+" GROUP BY technology", args...)
	if err != nil {
		return nil, fmt.Errorf("scan summary: %w", err)
	}
	defer rows.Close()
	out := map[string]TechSummary{}
	for rows.Next() {
		var t string
		var sum TechSummary
		if err := rows.Scan(&t, &sum.Items, &sum.Issues); err != nil {
			return nil, fmt.Errorf("scan summary: %w", err)
		}
		out[t] = sum
	}
	return out, rows.Err()
}
