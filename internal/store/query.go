package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/secmonkey/monkey/internal/monkey"
)

// ItemQuery filters item and issue listings (api.md §1.4, §2.1). Empty
// slices mean no filter; Accounts are account names.
type ItemQuery struct {
	Regions      []string
	Accounts     []string
	AccountTypes []string
	Technologies []string
	Names        []string
	ARNs         []string
	IDs          []int64
	Active       *bool // latest revision active
	// ActiveAccounts restricts to items of active accounts (/items with
	// active=true).
	ActiveAccounts bool
	SearchConfig   string // case-insensitive substring of the latest config
	MinScore       int
	MinUnjust      int  // minimum unjustified score
	Summary        bool // leave FirstSeen zero (cheaper)
	Page           int  // 1-based; 0 = 1
	Count          int  // per page; 0 = 30

	// accountIDs are the accounts the account filters select, once
	// resolved (resolveAccounts).
	accountIDs []int64
	resolved   bool
}

// IssueQuery filters issue listings: only unfixed issues are listed.
type IssueQuery struct {
	ItemQuery
	// SearchTerms: an issue matches when any term is a case-insensitive
	// substring of its text, notes, justification or item name.
	SearchTerms []string
	EnabledOnly bool // only issues whose auditor setting is enabled
	Justified   *bool
	// ByJustifiedDate orders by justified date ascending (dashboard's aging
	// issues); default justified ascending then score descending.
	ByJustifiedDate bool
}

// ItemRow is one item of a listing.
type ItemRow struct {
	ID                 int64
	AccountID          int64
	Account            string
	AccountType        string
	AccountIdentifier  string
	Technology         string
	Region             string
	Name               string
	ARN                string
	Active             bool
	NumIssues          int
	IssueScore         int
	UnjustifiedScore   int
	FirstSeen          time.Time // oldest revision (zero with Summary)
	LastSeen           time.Time // newest revision
	LatestRevisionID   int64
	LatestRevisionDate time.Time
}

// pageOf returns LIMIT and OFFSET for a 1-based page of count rows (0 =
// defaults: page 1, 30 rows).
func pageOf(page, count int) (limit, offset int) {
	limit = count
	if limit <= 0 {
		limit = 30
	}
	if page <= 0 {
		page = 1
	}
	return limit, (page - 1) * limit
}

func (q ItemQuery) page() (limit, offset int) { return pageOf(q.Page, q.Count) }

// resolveAccounts turns the account name, type and active filters into
// the ids of the accounts they select (one small query), so that the
// listing's condition is a list of ids: the planner then knows how many
// items they hold and reads the page from the (account, latest revision)
// index instead of walking every newer item of other accounts.
func (s *Store) resolveAccounts(ctx context.Context, q *ItemQuery) error {
	conds, args := q.accountConds()
	if conds == "" || q.resolved {
		return nil
	}
	rows, err := s.read().query(ctx, accountSelect+conds+" ORDER BY a.id", args...)
	if err != nil {
		return fmt.Errorf("select accounts: %w", err)
	}
	defer rows.Close()
	ids := []int64{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return fmt.Errorf("select accounts: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("select accounts: %w", err)
	}
	q.accountIDs, q.resolved = ids, true
	return nil
}

// accountFilter is the condition on i.account_id for the account name,
// type and active filters: the resolved ids, else a semi-join, so listings
// need no join to count.
func (q ItemQuery) accountFilter() (string, []any) {
	if q.resolved {
		return "i.account_id IN (" + inList(len(q.accountIDs)) + ")", int64Args(q.accountIDs)
	}
	conds, args := q.accountConds()
	if conds == "" {
		return "", nil
	}
	return "i.account_id IN (" + accountSelect + conds + ")", args
}

// accountConds are the account name, type and active filters over the
// accounts (alias a) and their types (alias t), joined by AND.
func (q ItemQuery) accountConds() (string, []any) {
	var conds []string
	var args []any
	if len(q.Accounts) > 0 {
		conds = append(conds, "a.name IN ("+inList(len(q.Accounts))+")")
		for _, v := range q.Accounts {
			args = append(args, v)
		}
	}
	if len(q.AccountTypes) > 0 {
		conds = append(conds, "t.name IN ("+inList(len(q.AccountTypes))+")")
		for _, v := range q.AccountTypes {
			args = append(args, v)
		}
	}
	if q.ActiveAccounts {
		conds = append(conds, "a.active = TRUE")
	}
	return strings.Join(conds, " AND "), args
}

// accountSelect selects the ids of accounts (alias a, type t) matching the
// conditions that follow it.
const accountSelect = "SELECT a.id FROM accounts a JOIN account_types t ON t.id = a.account_type_id WHERE "

// where builds the filter over alias i (items).
func (q ItemQuery) where() (cond string, args []any) {
	var conds []string
	strIn := func(col string, vals []string) {
		if len(vals) == 0 {
			return
		}
		conds = append(conds, col+" IN ("+inList(len(vals))+")")
		for _, v := range vals {
			args = append(args, v)
		}
	}
	strIn("i.region", q.Regions)
	strIn("i.technology", q.Technologies)
	strIn("i.name", q.Names)
	strIn("i.arn", q.ARNs)
	if c, a := q.accountFilter(); c != "" {
		conds = append(conds, c)
		args = append(args, a...)
	}
	if len(q.IDs) > 0 {
		conds = append(conds, "i.id IN ("+inList(len(q.IDs))+")")
		args = append(args, int64Args(q.IDs)...)
	}
	if q.Active != nil {
		conds = append(conds, "i.latest_active = ?")
		args = append(args, *q.Active)
	}
	if q.SearchConfig != "" {
		// The lowered latest configs (migration 0009), trigram-indexed on
		// Postgres.
		conds = append(conds, "i.id IN (SELECT lc.item_id FROM latest_configs lc WHERE lc.config_lower LIKE ? ESCAPE '\\')")
		args = append(args, likeContains(q.SearchConfig))
	}
	if q.MinScore > 0 {
		conds = append(conds, "i.score >= ?")
		args = append(args, q.MinScore)
	}
	if q.MinUnjust > 0 {
		conds = append(conds, "i.unjustified_score >= ?")
		args = append(args, q.MinUnjust)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " AND " + strings.Join(conds, " AND "), args
}

// counted reports whether the filter reads only columns the writers count
// (migration 0007): account (name, type, active), technology, region and
// the item's active flag. Such a listing's total is a sum over a counts
// table instead of a count over the items.
func (q ItemQuery) counted() bool {
	return len(q.Names) == 0 && len(q.ARNs) == 0 && len(q.IDs) == 0 && q.SearchConfig == "" && q.MinScore <= 0 && q.MinUnjust <= 0
}

// searchOnly reports whether the config search is the listing's only
// filter.
func (q ItemQuery) searchOnly() bool {
	other := q
	other.SearchConfig = ""
	return q.SearchConfig != "" && other.counted() && len(q.Regions) == 0 && len(q.Technologies) == 0 &&
		len(q.Accounts) == 0 && len(q.AccountTypes) == 0 && !q.ActiveAccounts && q.Active == nil
}

// countWhere is the filter of a counted listing over a counts table (alias
// c) whose item active flag is column active.
func (q ItemQuery) countWhere(active string) (string, []any) {
	conds, args := q.locationConds("c", "c."+active)
	return strings.Join(append([]string{""}, conds...), " AND "), args
}

// locationConds are the conditions on the item columns that the issue rows
// and the counts tables carry too (region, technology, account, the item's
// active flag), on the table of alias prefix whose item active flag is the
// column active.
func (q ItemQuery) locationConds(prefix, active string) (conds []string, args []any) {
	strIn := func(col string, vals []string) {
		if len(vals) == 0 {
			return
		}
		conds = append(conds, prefix+"."+col+" IN ("+inList(len(vals))+")")
		for _, v := range vals {
			args = append(args, v)
		}
	}
	strIn("region", q.Regions)
	strIn("technology", q.Technologies)
	if cond, a := q.accountFilter(); cond != "" {
		conds = append(conds, strings.Replace(cond, "i.account_id", prefix+".account_id", 1))
		args = append(args, a...)
	}
	if q.Active != nil {
		conds = append(conds, active+" = ?")
		args = append(args, *q.Active)
	}
	return conds, args
}

// likeContains is the LIKE pattern (escape character \) matching values
// that contain s, case-insensitively (the column is lowered).
func likeContains(s string) string {
	r := strings.NewReplacer("\\", "\\\\", "%", "\\%", "_", "\\_")
	return "%" + r.Replace(strings.ToLower(s)) + "%"
}

// ListItems returns one page of items, newest latest revision first, and the total number of matches. The
// order is by latest revision id, which follows the revisions' creation
// (docs/decisions.md). The page is chosen by latest revision id alone (a
// revision is the latest of one item at most): with one filter on an
// indexed column, an index-only scan of the (column, latest revision)
// index finds it, whatever the order the matching items were written in.
func (s *Store) ListItems(ctx context.Context, q ItemQuery) ([]ItemRow, int, error) {
	if err := s.resolveAccounts(ctx, &q); err != nil {
		return nil, 0, fmt.Errorf("list items: %w", err)
	}
	cond, args := q.where()
	from := " FROM items i"
	// Every committed item has a latest revision (ApplyChanges sets it in
	// the transaction that inserts the item): no condition on it, so that a
	// count on a score is an index-only scan.
	from += " WHERE 1 = 1" + cond
	count, countArgs := "SELECT COUNT(*)"+from, args
	switch {
	case q.counted():
		cond, cargs := q.countWhere("active")
		count, countArgs = "SELECT CAST(COALESCE(SUM(c.items), 0) AS BIGINT) FROM item_counts c WHERE 1 = 1"+cond, cargs
	case q.searchOnly():
		// Every item has one latest config: the matches are counted
		// without joining the items (a term most configs contain: one
		// scan instead of a join of every item).
		count, countArgs = "SELECT COUNT(*) FROM latest_configs lc WHERE lc.config_lower LIKE ? ESCAPE '\\'",
			[]any{likeContains(q.SearchConfig)}
	}
	if q.SearchConfig != "" {
		countArgs = s.d.plannedEach(countArgs)
	}
	var total int
	if err := s.read().queryRow(ctx, count, countArgs...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count items: %w", err)
	}
	limit, offset := q.page()
	pageArgs := append(args, limit, offset)
	if q.SearchConfig != "" {
		pageArgs = s.d.plannedEach(pageArgs)
	}
	first := "NULL"
	if !q.Summary {
		first = "(SELECT MIN(x.created) FROM revisions x WHERE x.item_id = p.id)"
	}
	rows, err := s.read().query(ctx, `SELECT p.id, p.account_id, a.name, t.name, a.identifier, p.technology, p.region, p.name,
		COALESCE(p.arn, ''), p.latest_active, p.issue_count, p.score, p.unjustified_score, lr.id, lr.created, `+first+`
		FROM (SELECT i.latest_revision_id AS lr`+from+` ORDER BY i.latest_revision_id DESC LIMIT ? OFFSET ?) pg
		JOIN items p ON p.latest_revision_id = pg.lr
		JOIN accounts a ON a.id = p.account_id JOIN account_types t ON t.id = a.account_type_id
		JOIN revisions lr ON lr.id = p.latest_revision_id
		ORDER BY p.latest_revision_id DESC`, pageArgs...)
	if err != nil {
		return nil, 0, fmt.Errorf("list items: %w", err)
	}
	defer rows.Close()
	out := []ItemRow{}
	for rows.Next() {
		var it ItemRow
		var first scanTime
		if err := rows.Scan(&it.ID, &it.AccountID, &it.Account, &it.AccountType, &it.AccountIdentifier, &it.Technology,
			&it.Region, &it.Name, &it.ARN, &it.Active, &it.NumIssues, &it.IssueScore, &it.UnjustifiedScore,
			&it.LatestRevisionID, &it.LatestRevisionDate, &first); err != nil {
			return nil, 0, fmt.Errorf("list items: %w", err)
		}
		it.LatestRevisionDate = it.LatestRevisionDate.UTC()
		it.LastSeen = it.LatestRevisionDate
		if first.Valid {
			it.FirstSeen = first.Time.UTC()
		}
		out = append(out, it)
	}
	return out, total, rows.Err()
}

// issueWhere adds the issue conditions to the item filter; needItems says
// whether they read the items (alias i).
func (q IssueQuery) issueWhere() (cond string, args []any, needItems bool) {
	// The issue rows carry their item's account, technology, region and
	// active flag (migration 0004): those filters need no join, and each
	// has an index in the listing order. Only the other item filters join
	// the items.
	conds, args := q.locationConds("iss", "iss.item_active")
	items := q.ItemQuery
	items.Regions, items.Technologies, items.Accounts, items.AccountTypes, items.ActiveAccounts, items.Active = nil, nil, nil, nil, false, nil
	// The resolved account ids too: else the account filter is applied
	// again on a join with the items (28 ms instead of 1 ms for a page of
	// one account of five on 1,000,000 items).
	items.accountIDs, items.resolved = nil, false
	icond, iargs := items.where()
	needItems = icond != ""
	cond = strings.Join(append([]string{""}, conds...), " AND ") + icond + " AND iss.fixed = FALSE"
	args = append(args, iargs...)
	if q.EnabledOnly {
		cond += " AND iss.auditor_setting_id IN (SELECT st.id FROM auditor_settings st WHERE st.disabled = FALSE)"
	}
	if q.Justified != nil {
		cond += " AND iss.justified = ?"
		args = append(args, *q.Justified)
	}
	var any []string
	for _, term := range q.SearchTerms {
		if term = strings.TrimSpace(term); term == "" {
			continue
		}
		// The expressions of the trigram index issues_open_search_trgm
		// (migration 0009); the issue rows carry their item's name.
		any = append(any, "LOWER(iss.issue_text) LIKE ? ESCAPE '\\' OR LOWER(COALESCE(iss.notes, '')) LIKE ? ESCAPE '\\'"+
			" OR LOWER(iss.justification) LIKE ? ESCAPE '\\' OR LOWER(iss.item_name) LIKE ? ESCAPE '\\'")
		like := likeContains(term)
		args = append(args, like, like, like, like)
	}
	if len(any) > 0 {
		cond += " AND (" + strings.Join(any, " OR ") + ")"
	}
	return cond, args, needItems
}

// countedTotal returns the query of the listing's total over the issue
// counts (migration 0007) when every filter is a counted column.
func (q IssueQuery) countedTotal() (string, []any, bool) {
	if !q.counted() || q.searches() {
		return "", nil, false
	}
	cond, args := q.countWhere("item_active")
	if q.EnabledOnly {
		cond += " AND c.auditor_setting_id IN (SELECT st.id FROM auditor_settings st WHERE st.disabled = FALSE)"
	}
	if q.Justified != nil {
		cond += " AND c.justified = ?"
		args = append(args, *q.Justified)
	}
	return "SELECT CAST(COALESCE(SUM(c.issues), 0) AS BIGINT) FROM issue_counts c WHERE 1 = 1" + cond, args, true
}

const issueViewColumns = issueColumns + `, i.technology, a.name, i.region, i.name, t.name, a.identifier, COALESCE(i.arn, '')`

// ListIssues returns one page of unfixed issues with their items, and the
// total number of matches.
func (s *Store) ListIssues(ctx context.Context, q IssueQuery) ([]IssueView, int, error) {
	if err := s.resolveAccounts(ctx, &q.ItemQuery); err != nil {
		return nil, 0, fmt.Errorf("list issues: %w", err)
	}
	cond, args, needItems := q.issueWhere()
	from := " FROM issues iss"
	if needItems {
		// Only item filters need the items: an unfiltered listing counts
		// the open-issue index alone.
		from += " JOIN items i ON i.id = iss.item_id"
	}
	from += " WHERE 1 = 1" + cond
	order := "iss.justified, iss.score DESC, iss.id"
	if q.ByJustifiedDate {
		order = "iss.justified_date, iss.id"
	}
	// Text searches are planned for their terms (dialect planEach).
	plan := func(a []any) []any { return a }
	if q.searches() || q.SearchConfig != "" {
		plan = s.d.plannedEach
	}
	limit, offset := q.page()
	page := "SELECT iss.id" + from + " ORDER BY " + order + " LIMIT ? OFFSET ?"
	pageArgs := plan(append(append([]any{}, args...), limit, offset))
	total := -1
	if q.searches() {
		// A text search reads every match for its total: the page is
		// chosen in the same pass (a window count), instead of a second
		// search for the page.
		ids, n, err := s.searchPage(ctx, "SELECT iss.id, COUNT(*) OVER ()"+from+" ORDER BY "+order+" LIMIT ? OFFSET ?", pageArgs)
		if err != nil {
			return nil, 0, fmt.Errorf("list issues: %w", err)
		}
		if len(ids) == 0 && offset == 0 {
			return []IssueView{}, 0, nil
		}
		if len(ids) > 0 {
			total = n
		}
		page, pageArgs = inList(len(ids)), int64Args(ids)
	}
	if total < 0 {
		count, countArgs := "SELECT COUNT(*)"+from, plan(args)
		if c, a, ok := q.countedTotal(); ok {
			count, countArgs = c, a
		}
		if err := s.read().queryRow(ctx, count, countArgs...).Scan(&total); err != nil {
			return nil, 0, fmt.Errorf("count issues: %w", err)
		}
	}
	rows, err := s.read().query(ctx, "SELECT "+issueViewColumns+issueFrom+` JOIN items i ON i.id = iss.item_id
		JOIN accounts a ON a.id = i.account_id JOIN account_types t ON t.id = a.account_type_id
		WHERE iss.id IN (`+page+`) ORDER BY `+order, pageArgs...)
	if err != nil {
		return nil, 0, fmt.Errorf("list issues: %w", err)
	}
	out, err := scanIssueViews(rows)
	if err != nil {
		return nil, 0, fmt.Errorf("list issues: %w", err)
	}
	if err := s.fillLinks(ctx, out); err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// searches reports whether the listing has a non-blank search term.
func (q IssueQuery) searches() bool {
	for _, term := range q.SearchTerms {
		if strings.TrimSpace(term) != "" {
			return true
		}
	}
	return false
}

// searchPage runs a page query selecting issue ids and the window count of
// every match.
func (s *Store) searchPage(ctx context.Context, query string, args []any) (ids []int64, total int, err error) {
	rows, err := s.read().query(ctx, query, args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id, &total); err != nil {
			return nil, 0, err
		}
		ids = append(ids, id)
	}
	return ids, total, rows.Err()
}

func scanIssueViews(rows *sql.Rows) ([]IssueView, error) {
	defer rows.Close()
	out := []IssueView{}
	for rows.Next() {
		var v IssueView
		var notes, action sql.NullString
		var jd sql.NullTime
		is := &v.Issue
		if err := rows.Scan(&is.ID, &is.ItemID, &is.AuditorClass, &is.Score, &is.Text, &notes, &action, &is.Fixed,
			&is.Justified, &is.JustifiedUser, &is.Justification, &jd, &is.Disabled,
			&v.Technology, &v.Account, &v.Region, &v.ItemName, &v.AccountType, &v.AccountIdentifier, &v.ARN); err != nil {
			return nil, err
		}
		is.Notes, is.ActionInstructions, is.JustifiedDate = strPtr(notes), strPtr(action), timePtr(jd)
		out = append(out, v)
	}
	return out, rows.Err()
}

func (s *Store) fillLinks(ctx context.Context, views []IssueView) error {
	if len(views) == 0 {
		return nil
	}
	pos := map[int64]int{}
	ids := make([]int64, len(views))
	for i, v := range views {
		ids[i] = v.Issue.ID
		pos[v.Issue.ID] = i
	}
	for _, ch := range chunks(ids, inChunk) {
		rows, err := s.read().query(ctx, "SELECT issue_id, item_id FROM issue_links WHERE issue_id IN ("+inList(len(ch))+
			") ORDER BY issue_id, item_id", int64Args(ch)...)
		if err != nil {
			return fmt.Errorf("read issue links: %w", err)
		}
		for rows.Next() {
			var issue, item int64
			if err := rows.Scan(&issue, &item); err != nil {
				rows.Close()
				return fmt.Errorf("read issue links: %w", err)
			}
			v := &views[pos[issue]].Issue
			v.LinkedItemIDs = append(v.LinkedItemIDs, item)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("read issue links: %w", err)
		}
	}
	return nil
}

// Issue returns one issue with its item's identity and links.
func (s *Store) Issue(ctx context.Context, id int64) (IssueView, error) {
	rows, err := s.read().query(ctx, "SELECT "+issueColumns+`, i.technology, a.name, i.region, i.name, t.name, a.identifier,
		COALESCE(i.arn, '')`+issueFrom+` JOIN items i ON i.id = iss.item_id JOIN accounts a ON a.id = i.account_id
		JOIN account_types t ON t.id = a.account_type_id WHERE iss.id = ?`, id)
	if err != nil {
		return IssueView{}, fmt.Errorf("read issue %d: %w", id, err)
	}
	views, err := scanIssueViews(rows)
	if err != nil {
		return IssueView{}, fmt.Errorf("read issue %d: %w", id, err)
	}
	if len(views) == 0 {
		return IssueView{}, notFound("issue %d", id)
	}
	if err := s.fillLinks(ctx, views); err != nil {
		return IssueView{}, err
	}
	return views[0], nil
}

// Revision returns one revision with its config.
func (s *Store) Revision(ctx context.Context, id int64) (monkey.Revision, error) {
	var r monkey.Revision
	var cfg string
	var eph sql.NullTime
	err := s.read().queryRow(ctx, `SELECT id, item_id, active, config, created, date_last_ephemeral_change
		FROM revisions WHERE id = ?`, id).Scan(&r.ID, &r.ItemID, &r.Active, &cfg, &r.CreatedAt, &eph)
	if errors.Is(err, sql.ErrNoRows) {
		return monkey.Revision{}, notFound("revision %d", id)
	}
	if err != nil {
		return monkey.Revision{}, fmt.Errorf("read revision %d: %w", id, err)
	}
	r.Config = []byte(cfg)
	r.CreatedAt = r.CreatedAt.UTC()
	r.DateLastEphemeralChange = timePtr(eph)
	return r, nil
}

// DeleteTechnologyItems deletes every item of a technology in every account
// (watcher config "remove_items") and returns how many were deleted.
func (s *Store) DeleteTechnologyItems(ctx context.Context, technology string) (int, error) {
	res, err := s.write().exec(ctx, "DELETE FROM items WHERE technology = ?", technology)
	if err != nil {
		return 0, fmt.Errorf("delete %s items: %w", technology, err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}
