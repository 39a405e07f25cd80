package api

import (
	"net/http"

	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/server"
	"github.com/secmonkey/monkey/internal/store"
)

// itemListEntry is one element of GET /api/1/items.
type itemListEntry struct {
	ID                    int64   `json:"id"`
	Region                string  `json:"region"`
	Name                  string  `json:"name"`
	Account               string  `json:"account"`
	AccountType           string  `json:"account_type"`
	Technology            string  `json:"technology"`
	NumIssues             int     `json:"num_issues"`
	IssueScore            int     `json:"issue_score"`
	UnjustifiedIssueScore int     `json:"unjustified_issue_score"`
	Active                bool    `json:"active"`
	FirstSeen             *string `json:"first_seen,omitempty"`
	LastSeen              *string `json:"last_seen,omitempty"`
}

// itemDetail is GET /api/1/items/{item_id}.
type itemDetail struct {
	Item      itemJSON        `json:"item"`
	Revisions []revisionJSON  `json:"revisions"`
	Comments  []commentJSON   `json:"comments"`
	Issues    []issueJSON     `json:"issues"`
	Auth      server.AuthInfo `json:"auth"`
}

func (a *API) itemRoutes() []server.Route {
	return []server.Route{
		{Method: "GET", Pattern: "/api/1/items", Role: monkey.RoleView, Tag: "items",
			Summary: "list items, newest change first",
			Query: params(pageParams, itemFilterParams, []server.Param{
				{Name: "ids", Type: "array", Doc: "item ids"},
				{Name: "min_score", Type: "integer", Doc: "minimum item score"},
				{Name: "min_unjustified_score", Type: "integer", Doc: "minimum unjustified score"},
				{Name: "summary", Type: "boolean", Doc: "leave out first_seen and last_seen (cheaper)"},
			}),
			Response: envelope[itemListEntry]{}, Handler: a.listItems},
		{Method: "GET", Pattern: "/api/1/items/{item_id}", Role: monkey.RoleView, Tag: "items",
			Summary: "an item with its revisions (without configs), comments and issues", Response: itemDetail{},
			Handler: a.getItem},
	}
}

func (a *API) listItems(w http.ResponseWriter, r *http.Request) error {
	f, err := ItemFilter(r)
	if err != nil {
		return err
	}
	f.Summary = newQuery(r).boolean("summary")
	rows, total, err := a.st.ListItems(r.Context(), f)
	if err != nil {
		return err
	}
	out := make([]itemListEntry, 0, len(rows))
	for _, it := range rows {
		e := itemListEntry{ID: it.ID, Region: it.Region, Name: it.Name, Account: it.Account, AccountType: it.AccountType,
			Technology: it.Technology, NumIssues: it.NumIssues, IssueScore: it.IssueScore,
			UnjustifiedIssueScore: it.UnjustifiedScore, Active: it.Active}
		if !f.Summary {
			first, last := pyDate(it.FirstSeen), pyDate(it.LastSeen)
			e.FirstSeen, e.LastSeen = &first, &last
		}
		out = append(out, e)
	}
	server.WriteJSON(w, http.StatusOK, newEnvelope(out, f.Page, total, server.Auth(r)))
	return nil
}

func (a *API) getItem(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "item_id")
	if err != nil {
		return err
	}
	ctx := r.Context()
	sum, err := a.st.ItemSummary(ctx, id)
	if err != nil {
		return mapNotFound(err, "Item not found")
	}
	it, err := a.st.Item(ctx, id)
	if err != nil {
		return err
	}
	revs, err := a.st.RevisionHistory(ctx, id)
	if err != nil {
		return err
	}
	comments, err := a.st.ItemComments(ctx, id)
	if err != nil {
		return err
	}
	var shown []monkey.Issue
	for _, is := range it.Issues {
		if is.AuditorClass == "" || is.Disabled {
			continue // auditor setting disabled or missing
		}
		shown = append(shown, is)
	}
	names, err := a.linkNames(r, shown)
	if err != nil {
		return err
	}
	out := itemDetail{
		Item: itemJSON{ID: sum.ID, Region: sum.Region, Name: sum.Name, Account: sum.Account, AccountType: sum.AccountType,
			Technology: sum.Technology},
		Revisions: make([]revisionJSON, 0, len(revs)), Comments: commentsOf(comments), Issues: []issueJSON{},
		Auth: server.Auth(r),
	}
	for _, rv := range revs {
		out.Revisions = append(out.Revisions, revisionOf(rv))
	}
	for _, is := range shown {
		out.Issues = append(out.Issues, issueOf(is, names))
	}
	server.WriteJSON(w, http.StatusOK, out)
	return nil
}

// linkNames returns the names of the items linked from issues.
func (a *API) linkNames(r *http.Request, issues []monkey.Issue) (map[int64]string, error) {
	var ids []int64
	for _, is := range issues {
		ids = append(ids, is.LinkedItemIDs...)
	}
	names := map[int64]string{}
	if len(ids) == 0 {
		return names, nil
	}
	sums, err := a.st.ItemSummaries(r.Context(), ids)
	if err != nil {
		return nil, err
	}
	for _, s := range sums {
		names[s.ID] = s.Name
	}
	return names, nil
}

// issueViewsLinkNames is linkNames over listing rows.
func (a *API) issueViewsLinkNames(r *http.Request, views []store.IssueView) (map[int64]string, error) {
	issues := make([]monkey.Issue, len(views))
	for i, v := range views {
		issues[i] = v.Issue
	}
	return a.linkNames(r, issues)
}
