package api

import (
	"net/http"
	"time"

	"github.com/secmonkey/monkey/internal/export"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/server"
)

func (a *API) exportRoutes() []server.Route {
	return []server.Route{
		{Method: "GET", Pattern: "/api/1/export/items", Role: monkey.RoleView, Tag: "exports",
			Summary: "CSV of the items matching the filters", Produces: "text/csv",
			Query: params(itemFilterParams[:1], itemFilterParams[1:2], itemFilterParams[3:5], itemFilterParams[6:],
				[]server.Param{{Name: "ids", Type: "array", Doc: "item ids"}}),
			Handler: a.exportItems},
		{Method: "GET", Pattern: "/api/1/export/issues", Role: monkey.RoleView, Tag: "exports",
			Summary: "CSV of the unfixed issues matching the filters", Produces: "text/csv",
			Query: params(itemFilterParams[:1], itemFilterParams[1:2], itemFilterParams[3:5], itemFilterParams[6:7],
				[]server.Param{
					{Name: "searchconfig", Type: "array", Doc: "terms over the issue text, notes, justification and item name"},
					{Name: "enabledonly", Type: "boolean", Doc: "only issues whose auditor setting is enabled"},
				}),
			Handler: a.exportIssues},
	}
}

func csvHeaders(w http.ResponseWriter, r *http.Request, name string) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	// A large export may take longer than the server's write timeout.
	_ = http.NewResponseController(w).SetWriteDeadline(time.Time{})
}

func (a *API) exportItems(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	f := q.itemFilter()
	f.AccountTypes, f.ARNs, f.MinScore, f.MinUnjust = nil, nil, 0, 0
	if q.err != nil {
		return q.err
	}
	csvHeaders(w, r, "security-monkey-items.csv")
	return export.Items(r.Context(), a.st, f, export.CSV, w)
}

func (a *API) exportIssues(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	f := issueFilter(q)
	f.AccountTypes, f.ARNs, f.IDs, f.MinScore, f.MinUnjust = nil, nil, nil, 0, 0
	if q.err != nil {
		return q.err
	}
	csvHeaders(w, r, "security-monkey-issues.csv")
	return export.Issues(r.Context(), a.st, f, export.CSV, w)
}
