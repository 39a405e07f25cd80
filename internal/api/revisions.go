package api

import (
	"bytes"
	"encoding/json"
	"html"
	"net/http"
	"strings"

	"github.com/secmonkey/monkey/internal/change"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/server"
)

// revisionListEntry is one element of GET /api/1/revisions: ITEM and
// REVISION merged (the revision's id wins).
type revisionListEntry struct {
	ID                      int64   `json:"id"`
	Region                  string  `json:"region"`
	Name                    string  `json:"name"`
	DateCreated             string  `json:"date_created"`
	DateLastEphemeralChange *string `json:"date_last_ephemeral_change"`
	Active                  bool    `json:"active"`
	ItemID                  int64   `json:"item_id"`
	Account                 string  `json:"account"`
	AccountType             string  `json:"account_type"`
	Technology              string  `json:"technology"`
}

// revisionDetail is GET /api/1/revisions/{revision_id}.
type revisionDetail struct {
	revisionJSON
	Config     json.RawMessage `json:"config"`
	Comments   []commentJSON   `json:"comments"`
	CloudTrail []any           `json:"cloudtrail"`
	DiffHTML   *string         `json:"diff_html,omitempty"`
	Auth       server.AuthInfo `json:"auth"`
}

func (a *API) revisionRoutes() []server.Route {
	return []server.Route{
		{Method: "GET", Pattern: "/api/1/revisions", Role: monkey.RoleView, Tag: "revisions",
			Summary: "list revisions, newest first (active: the revision's own flag; searchconfig: each revision)",
			Query:   params(pageParams, itemFilterParams), Response: envelope[revisionListEntry]{}, Handler: a.listRevisions},
		{Method: "GET", Pattern: "/api/1/revisions/{revision_id}", Role: monkey.RoleView, Tag: "revisions",
			Summary:  "a revision with its config and comments; with compare, the HTML diff against another revision",
			Query:    []server.Param{{Name: "compare", Type: "integer", Doc: "id of the revision to compare with"}},
			Response: revisionDetail{}, Handler: a.getRevision},
	}
}

func (a *API) listRevisions(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	rq := revisionFilter(q)
	if q.err != nil {
		return q.err
	}
	rows, total, err := a.st.ListRevisions(r.Context(), rq)
	if err != nil {
		return err
	}
	out := make([]revisionListEntry, 0, len(rows))
	for _, v := range rows {
		rv := revisionOf(v.Revision)
		out = append(out, revisionListEntry{ID: rv.ID, Region: v.Region, Name: v.ItemName, DateCreated: rv.DateCreated,
			DateLastEphemeralChange: rv.DateLastEphemeralChange, Active: rv.Active, ItemID: rv.ItemID, Account: v.Account,
			AccountType: v.AccountType, Technology: v.Technology})
	}
	server.WriteJSON(w, http.StatusOK, newEnvelope(out, rq.Page, total, server.Auth(r)))
	return nil
}

func (a *API) getRevision(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "revision_id")
	if err != nil {
		return err
	}
	q := newQuery(r)
	other := q.integer("compare", 0)
	if q.err != nil {
		return q.err
	}
	ctx := r.Context()
	rev, err := a.st.Revision(ctx, id)
	if err != nil {
		return mapNotFound(err, "Revision not found")
	}
	comments, err := a.st.RevisionComments(ctx, id)
	if err != nil {
		return err
	}
	cfg := rev.Config
	if len(cfg) == 0 {
		cfg = json.RawMessage("{}")
	}
	out := revisionDetail{revisionJSON: revisionOf(rev), Config: cfg, Comments: commentsOf(comments), CloudTrail: []any{},
		Auth: server.Auth(r)}
	if other != 0 {
		base, err := a.st.Revision(ctx, int64(other))
		if err != nil {
			return mapNotFound(err, "Revision to compare with not found")
		}
		d, err := DiffHTML(base.Config, rev.Config)
		if err != nil {
			return err
		}
		out.DiffHTML = &d
	}
	server.WriteJSON(w, http.StatusOK, out)
	return nil
}

// DiffHTML renders the differences from config old to config new as an
// HTML table, one row per changed path (added, removed, changed), values as
// escaped JSON.
func DiffHTML(old, new []byte) (string, error) {
	decode := func(b []byte) (map[string]any, error) {
		if len(b) == 0 {
			return map[string]any{}, nil
		}
		return change.Decode(b)
	}
	o, err := decode(old)
	if err != nil {
		return "", err
	}
	n, err := decode(new)
	if err != nil {
		return "", err
	}
	diffs := change.Diff(o, n)
	var b strings.Builder
	b.WriteString(`<table class="diff"><thead><tr><th>path</th><th>before</th><th>after</th></tr></thead><tbody>`)
	if len(diffs) == 0 {
		b.WriteString(`<tr class="same"><td colspan="3">no differences</td></tr>`)
	}
	val := func(present bool, v any) string {
		if !present {
			return ""
		}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(v); err != nil {
			return ""
		}
		return `<pre>` + html.EscapeString(strings.TrimSuffix(buf.String(), "\n")) + `</pre>`
	}
	for _, d := range diffs {
		path := strings.ReplaceAll(d.Path, "$", ".")
		b.WriteString(`<tr class="` + d.Kind + `"><td class="path">` + html.EscapeString(path) + `</td><td class="old">` +
			val(d.Kind != "added", d.Old) + `</td><td class="new">` + val(d.Kind != "removed", d.New) + `</td></tr>`)
	}
	b.WriteString(`</tbody></table>`)
	return b.String(), nil
}
