package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/secmonkey/monkey/internal/api"
	"github.com/secmonkey/monkey/internal/store"
)

// searchTypes are the result kinds of /search and the API listing each
// mirrors.
var searchTypes = []struct{ Type, Label, API string }{
	{"items", "Items", "/api/1/items"},
	{"revisions", "Revisions", "/api/1/revisions"},
	{"issues", "Open issues", "/api/1/issues"},
	{"justified", "Justified issues", "/api/1/issues"},
}

func (w *Web) searchRoutes() []pageRoute {
	return []pageRoute{
		// Every result type mirrors a View listing (items, revisions,
		// issues); the role test checks the items listing's role.
		{method: "GET", pattern: "/search", mirrors: "GET /api/1/items",
			summary: "search items, revisions, open or justified issues (the API's filters in the query string)",
			handler: w.search},
	}
}

// pager is the pagination of a listing.
type pager struct {
	Page, Count, Total, Pages int
	base                      url.Values
}

func newPager(q url.Values, page, count, total int) pager {
	pages := (total + count - 1) / count
	return pager{Page: page, Count: count, Total: total, Pages: pages, base: q}
}

func (p pager) Prev() int { return p.Page - 1 }
func (p pager) Next() int { return p.Page + 1 }

// Link is the address of page n with the same filters.
func (p pager) Link(n int) string {
	q := url.Values{}
	for k, v := range p.base {
		q[k] = v
	}
	q.Set("page", strconv.Itoa(n))
	return "/search?" + q.Encode()
}

// searchPage is what search.html shows.
type searchPage struct {
	Type   string
	Types  []struct{ Type, Label, API string }
	F      url.Values // the filters as given
	Items  []store.ItemRow
	Revs   []store.RevisionRow
	Issues []store.IssueView
	Pager  pager
	// Export and JSON are the API addresses of the same filter.
	Export, JSON string
	Techs        []techOption
	Accounts     []string
	Counts       []int
}

type techOption struct{ Index, Name string }

// filterNames are the API's filter parameters the sidebar keeps.
var filterNames = []string{"regions", "technologies", "accounts", "accounttypes", "names", "arns", "active", "searchconfig",
	"min_score", "min_unjustified_score", "count"}

// TypeLink is the address of the same filter with another result type.
func (p searchPage) TypeLink(typ string) string {
	q := url.Values{}
	for _, k := range filterNames {
		if v := p.F.Get(k); v != "" {
			q.Set(k, v)
		}
	}
	q.Set("type", typ)
	return "/search?" + q.Encode()
}

// Has reports whether the comma list of filter name holds v.
func (p searchPage) Has(name, v string) bool {
	for _, s := range splitList(p.F.Get(name)) {
		if s == v {
			return true
		}
	}
	return false
}

func (w *Web) search(rw http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	// A form with several values of a filter (multiple select) becomes the
	// API's comma-separated form: one canonical, shareable address.
	for k, v := range q {
		if len(v) > 1 {
			joined := url.Values{}
			for k2, v2 := range q {
				joined.Set(k2, strings.Join(v2, ","))
			}
			http.Redirect(rw, r, "/search?"+joined.Encode(), http.StatusSeeOther)
			return nil
		}
		if v[0] == "" {
			delete(q, k)
		}
	}
	typ := q.Get("type")
	if typ == "" {
		typ = "items"
	}
	known := false
	for _, t := range searchTypes {
		known = known || t.Type == typ
	}
	if !known {
		typ = "items"
	}
	keep := url.Values{"type": {typ}}
	for _, k := range filterNames {
		if v := q.Get(k); v != "" {
			keep.Set(k, v)
		}
	}
	p := searchPage{Type: typ, Types: searchTypes, F: q, Counts: []int{30, 50, 100, 250}}
	for _, idx := range w.order {
		p.Techs = append(p.Techs, techOption{Index: idx, Name: w.techName(idx)})
	}
	accts, err := w.st.ListAccounts(ctx)
	if err != nil {
		return err
	}
	for _, a := range accts {
		if !a.ThirdParty {
			p.Accounts = append(p.Accounts, a.Name)
		}
	}
	apiQuery := url.Values{}
	for _, k := range filterNames {
		if v := q.Get(k); v != "" {
			apiQuery.Set(k, v)
		}
	}
	switch typ {
	case "items":
		f, err := api.ItemFilter(r)
		if err != nil {
			return err
		}
		f.Summary = false
		rows, total, err := w.st.ListItems(ctx, f)
		if err != nil {
			return err
		}
		p.Items, p.Pager = rows, newPager(keep, f.Page, f.Count, total)
		p.Export = "/api/1/export/items?" + apiQuery.Encode()
		p.JSON = "/api/1/items?" + apiQuery.Encode()
	case "revisions":
		f, err := api.RevisionFilter(r)
		if err != nil {
			return err
		}
		rows, total, err := w.st.ListRevisions(ctx, f)
		if err != nil {
			return err
		}
		p.Revs, p.Pager = rows, newPager(keep, f.Page, f.Count, total)
		p.JSON = "/api/1/revisions?" + apiQuery.Encode()
	default:
		f, err := api.IssueFilter(r)
		if err != nil {
			return err
		}
		j := typ == "justified"
		f.Justified = &j
		rows, total, err := w.st.ListIssues(ctx, f)
		if err != nil {
			return err
		}
		apiQuery.Set("justified", strconv.FormatBool(j))
		p.Issues, p.Pager = rows, newPager(keep, f.Page, f.Count, total)
		p.Export = "/api/1/export/issues?" + apiQuery.Encode()
		p.JSON = "/api/1/issues?" + apiQuery.Encode()
	}
	title := "Search"
	for _, t := range searchTypes {
		if t.Type == typ {
			title = t.Label
		}
	}
	return w.render(rw, r, http.StatusOK, "search", title, "search", p)
}

// techName is a technology's display name (its index when unknown).
func (w *Web) techName(idx string) string {
	if t, ok := w.techs[idx]; ok && t.Plural != "" {
		return t.Plural
	}
	return idx
}
