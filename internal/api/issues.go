package api

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/server"
	"github.com/secmonkey/monkey/internal/store"
)

// issueListEntry is one element of GET /api/1/issues: ITEM and ISSUE
// merged (the issue's id wins).
type issueListEntry struct {
	issueJSON
	Region      string `json:"region"`
	Name        string `json:"name"`
	Account     string `json:"account"`
	AccountType string `json:"account_type"`
	Technology  string `json:"technology"`
}

// issueWithItem is GET /api/1/issues/{audit_id}: ISSUE merged with ITEM,
// the item's id winning (a quirk of the reference kept for its scripts).
type issueWithItem struct {
	ID            int64           `json:"id"` // the item id
	Region        string          `json:"region"`
	Name          string          `json:"name"`
	Score         int             `json:"score"`
	Issue         string          `json:"issue"`
	Notes         *string         `json:"notes"`
	Fixed         bool            `json:"fixed"`
	Justified     bool            `json:"justified"`
	Justification string          `json:"justification"`
	JustifiedDate *string         `json:"justified_date"`
	ItemID        int64           `json:"item_id"`
	JustifiedUser *string         `json:"justified_user"`
	ItemLinks     []itemLink      `json:"item_links"`
	Account       string          `json:"account"`
	AccountType   string          `json:"account_type"`
	Technology    string          `json:"technology"`
	Auth          server.AuthInfo `json:"auth"`
}

// justificationRequest is the body of POST …/justification.
type justificationRequest struct {
	Justification *string `json:"justification"`
}

// justificationResult is the answer of POST …/justification.
type justificationResult struct {
	Result issueJSON       `json:"result"`
	Auth   server.AuthInfo `json:"auth"`
}

func (a *API) issueRoutes() []server.Route {
	return []server.Route{
		{Method: "GET", Pattern: "/api/1/issues", Role: monkey.RoleView, Tag: "issues",
			Summary: "list unfixed issues (unjustified first, then by score; summary: oldest justification first)",
			Query: params(pageParams, itemFilterParams[:7], []server.Param{
				{Name: "searchconfig", Type: "array", Doc: "terms: any is a case-insensitive substring of the issue text, notes, justification or item name"},
				{Name: "enabledonly", Type: "boolean", Doc: "only issues whose auditor setting is enabled"},
				{Name: "justified", Type: "boolean", Doc: "true or false"},
				{Name: "summary", Type: "boolean", Doc: "order by justification date (dashboard's aging issues)"},
			}),
			Response: envelope[issueListEntry]{}, Handler: a.listIssues},
		{Method: "GET", Pattern: "/api/1/issues/{audit_id}", Role: monkey.RoleView, Tag: "issues",
			Summary: "one issue merged with its item (the item's id wins)", Response: issueWithItem{}, Handler: a.getIssue},
		{Method: "POST", Pattern: "/api/1/issues/{audit_id}/justification", Role: monkey.RoleJustify, Tag: "issues",
			Summary: "justify an issue", Request: justificationRequest{}, Response: justificationResult{}, ErrorKey: "Error",
			Handler: a.justify},
		{Method: "DELETE", Pattern: "/api/1/issues/{audit_id}/justification", Role: monkey.RoleJustify, Tag: "issues",
			Summary: "remove the justification of an issue", Response: statusBody{}, Status: http.StatusAccepted,
			ErrorKey: "Error", Handler: a.unjustify},
	}
}

// issueFilter reads the filters of the issue listing and export.
func issueFilter(q *query) store.IssueQuery {
	f := store.IssueQuery{ItemQuery: q.itemFilter()}
	f.SearchConfig = "" // issues: searchconfig is a list of terms over the issue fields
	f.SearchTerms = q.list("searchconfig")
	f.EnabledOnly = q.boolean("enabledonly")
	f.Justified = q.optBool("justified")
	return f
}

func (a *API) listIssues(w http.ResponseWriter, r *http.Request) error {
	f, err := IssueFilter(r)
	if err != nil {
		return err
	}
	views, total, err := a.st.ListIssues(r.Context(), f)
	if err != nil {
		return err
	}
	names, err := a.issueViewsLinkNames(r, views)
	if err != nil {
		return err
	}
	out := make([]issueListEntry, 0, len(views))
	for _, v := range views {
		out = append(out, issueListEntry{issueJSON: issueOf(v.Issue, names), Region: v.Region, Name: v.ItemName,
			Account: v.Account, AccountType: v.AccountType, Technology: v.Technology})
	}
	server.WriteJSON(w, http.StatusOK, newEnvelope(out, f.Page, total, server.Auth(r)))
	return nil
}

func (a *API) issue(r *http.Request) (store.IssueView, map[int64]string, error) {
	id, err := pathID(r, "audit_id")
	if err != nil {
		return store.IssueView{}, nil, err
	}
	v, err := a.st.Issue(r.Context(), id)
	if err != nil {
		return store.IssueView{}, nil, mapNotFound(err, fmt.Sprintf("Item with audit_id %d not found", id))
	}
	names, err := a.linkNames(r, []monkey.Issue{v.Issue})
	if err != nil {
		return store.IssueView{}, nil, err
	}
	return v, names, nil
}

func (a *API) getIssue(w http.ResponseWriter, r *http.Request) error {
	v, names, err := a.issue(r)
	if err != nil {
		return err
	}
	is := issueOf(v.Issue, names)
	server.WriteJSON(w, http.StatusOK, issueWithItem{ID: v.Issue.ItemID, Region: v.Region, Name: v.ItemName, Score: is.Score,
		Issue: is.Issue, Notes: is.Notes, Fixed: is.Fixed, Justified: is.Justified, Justification: is.Justification,
		JustifiedDate: is.JustifiedDate, ItemID: is.ItemID, JustifiedUser: is.JustifiedUser, ItemLinks: is.ItemLinks,
		Account: v.Account, AccountType: v.AccountType, Technology: v.Technology, Auth: server.Auth(r)})
	return nil
}

// MaxJustificationBytes bounds a justification.
const MaxJustificationBytes = 64 << 10

func (a *API) justify(w http.ResponseWriter, r *http.Request) error {
	var req justificationRequest
	if err := server.DecodeJSON(r, &req); err != nil {
		return err
	}
	if req.Justification == nil || strings.TrimSpace(*req.Justification) == "" {
		return monkey.FieldErrorf("justification", "justification is required")
	}
	if len(*req.Justification) > MaxJustificationBytes {
		return monkey.FieldErrorf("justification", "a justification is at most %d bytes", MaxJustificationBytes)
	}
	v, names, err := a.issue(r)
	if err != nil {
		return err
	}
	u := caller(r)
	before := issueOf(v.Issue, names)
	err = a.write(r, "issue.justify", fmt.Sprintf("issue %d", v.Issue.ID), val(before),
		func() any { return map[string]any{"justified": true, "justification": *req.Justification} },
		func(tx *store.Store) error { return tx.JustifyIssue(r.Context(), v.Issue.ID, u.ID, *req.Justification) })
	if err != nil {
		return err
	}
	v, names, err = a.issue(r)
	if err != nil {
		return err
	}
	server.WriteJSON(w, http.StatusOK, justificationResult{Result: issueOf(v.Issue, names), Auth: server.Auth(r)})
	return nil
}

func (a *API) unjustify(w http.ResponseWriter, r *http.Request) error {
	v, names, err := a.issue(r)
	if err != nil {
		return err
	}
	err = a.write(r, "issue.unjustify", fmt.Sprintf("issue %d", v.Issue.ID), val(issueOf(v.Issue, names)),
		func() any { return map[string]any{"justified": false} },
		func(tx *store.Store) error { return tx.UnjustifyIssue(r.Context(), v.Issue.ID) })
	if err != nil {
		return err
	}
	server.WriteJSON(w, http.StatusAccepted, statusBody{Status: "deleted"})
	return nil
}
