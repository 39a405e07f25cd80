package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/server"
	"github.com/secmonkey/monkey/internal/store"
)

// MaxCount caps the page size.
const MaxCount = 1000

// query reads query parameters, collecting the first error.
type query struct {
	r   *http.Request
	err error
}

func newQuery(r *http.Request) *query { return &query{r: r} }

func (q *query) fail(err error) {
	if q.err == nil {
		q.err = err
	}
}

func (q *query) str(name string) string { return strings.TrimSpace(q.r.URL.Query().Get(name)) }

// list is a comma-separated filter; empty = no filter.
func (q *query) list(name string) []string {
	var out []string
	for _, p := range strings.Split(q.r.URL.Query().Get(name), ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// boolean is "true" (case-insensitive); anything else is false.
func (q *query) boolean(name string) bool { return strings.EqualFold(q.str(name), "true") }

// optBool is nil when the parameter is absent or empty.
func (q *query) optBool(name string) *bool {
	if q.str(name) == "" {
		return nil
	}
	b := q.boolean(name)
	return &b
}

// integer parses a non-negative integer parameter (def when absent).
func (q *query) integer(name string, def int) int {
	s := q.str(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		q.fail(monkey.FieldErrorf(name, "%s must be a non-negative integer, not %q", name, truncate(s)))
		return def
	}
	return n
}

// ids parses a comma-separated list of ids.
func (q *query) ids(name string) []int64 {
	var out []int64
	for _, p := range q.list(name) {
		n, err := strconv.ParseInt(p, 10, 64)
		if err != nil || n <= 0 {
			q.fail(monkey.FieldErrorf(name, "%s must list positive integer ids, not %q", name, truncate(p)))
			return nil
		}
		out = append(out, n)
	}
	return out
}

// page returns page (≥1, default 1) and count (1..MaxCount, default 30).
func (q *query) page() (page, count int) {
	page = q.integer("page", 1)
	count = q.integer("count", 30)
	if page < 1 {
		q.fail(monkey.FieldErrorf("page", "page must be 1 or more"))
		page = 1
	}
	if count < 1 {
		q.fail(monkey.FieldErrorf("count", "count must be 1 or more"))
		count = 30
	}
	return page, min(count, MaxCount)
}

// itemFilter reads the item filters of api.md §1.4.
func (q *query) itemFilter() store.ItemQuery {
	f := store.ItemQuery{
		Regions: q.list("regions"), Accounts: q.list("accounts"), AccountTypes: q.list("accounttypes"),
		Technologies: q.list("technologies"), Names: q.list("names"), ARNs: q.list("arns"), IDs: q.ids("ids"),
		Active: q.optBool("active"), SearchConfig: q.str("searchconfig"),
		MinScore: q.integer("min_score", 0), MinUnjust: q.integer("min_unjustified_score", 0),
	}
	f.Page, f.Count = q.page()
	return f
}

func truncate(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// pathID parses the path wildcard name as a positive id; a malformed id is
// EINVALID naming it.
func pathID(r *http.Request, name string) (int64, error) {
	s := r.PathValue(name)
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, monkey.FieldErrorf(name, "%s must be an integer id, not %q", name, truncate(s))
	}
	return n, nil
}

// Common query parameters of the route table (OpenAPI).
var (
	pageParams = []server.Param{
		{Name: "page", Type: "integer", Doc: "1-based page (default 1)"},
		{Name: "count", Type: "integer", Doc: "page size (default 30, at most 1000)"},
	}
	itemFilterParams = []server.Param{
		{Name: "regions", Type: "array", Doc: "regions (comma-separated)"},
		{Name: "accounts", Type: "array", Doc: "account names"},
		{Name: "accounttypes", Type: "array", Doc: "account types (AWS, GCP, OpenStack, GitHub)"},
		{Name: "technologies", Type: "array", Doc: "technology indexes"},
		{Name: "names", Type: "array", Doc: "item names"},
		{Name: "arns", Type: "array", Doc: "item ARNs"},
		{Name: "active", Type: "boolean", Doc: "true: existing items; false: deleted items"},
		{Name: "searchconfig", Type: "string", Doc: "case-insensitive substring of the configuration"},
	}
)

func params(groups ...[]server.Param) []server.Param {
	var out []server.Param
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}

// ItemFilter reads the item filters and page of GET /api/1/items from the
// query string (the web UI's search uses the same names).
func ItemFilter(r *http.Request) (store.ItemQuery, error) {
	q := newQuery(r)
	f := q.itemFilter()
	if f.Active != nil && *f.Active {
		f.ActiveAccounts = true
	}
	return f, q.err
}

// IssueFilter reads the filters and page of GET /api/1/issues.
func IssueFilter(r *http.Request) (store.IssueQuery, error) {
	q := newQuery(r)
	f := issueFilter(q)
	f.ByJustifiedDate = q.boolean("summary")
	return f, q.err
}

// RevisionFilter reads the filters and page of GET /api/1/revisions.
func RevisionFilter(r *http.Request) (store.RevisionQuery, error) {
	q := newQuery(r)
	rq := revisionFilter(q)
	return rq, q.err
}

func revisionFilter(q *query) store.RevisionQuery {
	rq := store.RevisionQuery{Regions: q.list("regions"), Accounts: q.list("accounts"), AccountTypes: q.list("accounttypes"),
		Technologies: q.list("technologies"), Names: q.list("names"), ARNs: q.list("arns"), Active: q.optBool("active"),
		SearchConfig: q.str("searchconfig")}
	rq.Page, rq.Count = q.page()
	return rq
}
