package web

import (
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/secmonkey/monkey/internal/api"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/store"
)

// diffedRevisions is how many of the newest revisions the item page shows
// with their diff; older ones link to the compare view.
const diffedRevisions = 10

func (w *Web) itemRoutes() []pageRoute {
	return []pageRoute{
		{method: "GET", pattern: "/items/{item_id}", mirrors: "GET /api/1/items/{item_id}",
			summary: "an item: header, latest configuration, issues, comments, revision timeline with diffs", handler: w.item},
		{method: "POST", pattern: "/items/{item_id}/justify", mirrors: "POST /api/1/issues/{audit_id}/justification",
			summary: "justify the chosen issues of an item (form)", handler: w.justify},
		{method: "POST", pattern: "/items/{item_id}/unjustify", mirrors: "DELETE /api/1/issues/{audit_id}/justification",
			summary: "remove the justification of the chosen issues (form)", handler: w.unjustify},
		{method: "POST", pattern: "/items/{item_id}/comments", mirrors: "POST /api/1/items/{item_id}/comments",
			summary: "comment on an item (form)", handler: w.addItemComment},
		{method: "POST", pattern: "/items/{item_id}/comments/{comment_id}/delete",
			mirrors: "DELETE /api/1/items/{item_id}/comments/{comment_id}", summary: "delete an item comment (form)",
			handler: w.deleteItemComment},
		{method: "POST", pattern: "/items/{item_id}/revisions/{revision_id}/comments",
			mirrors: "POST /api/1/revisions/{revision_id}/comments", summary: "comment on a revision (form)",
			handler: w.addRevisionComment},
	}
}

// itemPage is what item.html shows.
type itemPage struct {
	Item      store.ItemSummary
	Config    string
	Issues    []issueRow
	Comments  []store.Comment
	Revisions []revisionEntry
	Older     int // revisions without a diff shown
	Policies  []policyView
}

type issueRow struct {
	monkey.Issue
	Links []itemLink
}

type itemLink struct {
	ID   int64
	Name string
}

type revisionEntry struct {
	monkey.Revision
	Number   int // 1 = first revision
	Previous int64
	Diff     template.HTML
	Comments []store.Comment
}

func itemID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("item_id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, monkey.Errorf(monkey.ENOTFOUND, "No item %q.", r.PathValue("item_id"))
	}
	return id, nil
}

func (w *Web) item(rw http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := itemID(r)
	if err != nil {
		return err
	}
	sum, err := w.st.ItemSummary(ctx, id)
	if err != nil {
		if monkey.ErrorCode(err) == monkey.ENOTFOUND {
			return monkey.Errorf(monkey.ENOTFOUND, "Item %d not found: it may have been removed with its account.", id)
		}
		return err
	}
	it, err := w.st.Item(ctx, id)
	if err != nil {
		return err
	}
	p := itemPage{Item: sum, Config: pretty(it.Config), Policies: w.policies(it.Config)}
	var linked []int64
	for _, is := range it.Issues {
		if is.AuditorClass == "" || is.Disabled {
			continue // as the API: disabled or missing auditor setting
		}
		linked = append(linked, is.LinkedItemIDs...)
		p.Issues = append(p.Issues, issueRow{Issue: is})
	}
	if len(linked) > 0 {
		sums, err := w.st.ItemSummaries(ctx, linked)
		if err != nil {
			return err
		}
		names := map[int64]string{}
		for _, s := range sums {
			names[s.ID] = s.Name
		}
		for i := range p.Issues {
			for _, l := range p.Issues[i].LinkedItemIDs {
				p.Issues[i].Links = append(p.Issues[i].Links, itemLink{ID: l, Name: names[l]})
			}
		}
	}
	if p.Comments, err = w.st.ItemComments(ctx, id); err != nil {
		return err
	}
	revs, err := w.st.RevisionHistory(ctx, id)
	if err != nil {
		return err
	}
	shown := min(len(revs), diffedRevisions)
	p.Older = len(revs) - shown
	configs := make([][]byte, shown+1)
	for i := 0; i <= shown && i < len(revs); i++ {
		rv, err := w.st.Revision(ctx, revs[i].ID)
		if err != nil {
			return err
		}
		configs[i] = rv.Config
	}
	for i := range shown {
		e := revisionEntry{Revision: revs[i], Number: len(revs) - i}
		if i+1 < len(revs) {
			e.Previous = revs[i+1].ID
			d, err := api.DiffHTML(configs[i+1], configs[i])
			if err != nil {
				return fmt.Errorf("web: diff of revision %d: %w", revs[i].ID, err)
			}
			e.Diff = template.HTML(d) //nolint:gosec // api.DiffHTML escapes every value it writes
		}
		if e.Comments, err = w.st.RevisionComments(ctx, revs[i].ID); err != nil {
			return err
		}
		p.Revisions = append(p.Revisions, e)
	}
	return w.render(rw, r, http.StatusOK, "item", sum.Name, "search", p)
}

// chosenIssues are the issue ids ticked in a form.
func chosenIssues(r *http.Request) ([]string, error) {
	var out []string
	for _, v := range r.PostForm["issue"] {
		if _, err := strconv.ParseInt(v, 10, 64); err != nil {
			return nil, monkey.Errorf(monkey.EINVALID, "Bad issue id %q.", v)
		}
		out = append(out, v)
	}
	if len(out) == 0 {
		return nil, monkey.Errorf(monkey.EINVALID, "Tick at least one issue.")
	}
	return out, nil
}

func (w *Web) justify(rw http.ResponseWriter, r *http.Request) error {
	id, err := itemID(r)
	if err != nil {
		return err
	}
	if err := form(r); err != nil {
		return err
	}
	issues, err := chosenIssues(r)
	if err != nil {
		return err
	}
	text := strings.TrimSpace(r.PostForm.Get("justification"))
	if text == "" {
		return monkey.Errorf(monkey.EINVALID, "Write a justification.")
	}
	for _, is := range issues {
		if _, err := w.call(r, "POST /api/1/issues/{audit_id}/justification", map[string]string{"audit_id": is},
			map[string]string{"justification": text}); err != nil {
			return err
		}
	}
	back(rw, r, fmt.Sprintf("/items/%d", id), "justified")
	return nil
}

func (w *Web) unjustify(rw http.ResponseWriter, r *http.Request) error {
	id, err := itemID(r)
	if err != nil {
		return err
	}
	if err := form(r); err != nil {
		return err
	}
	issues, err := chosenIssues(r)
	if err != nil {
		return err
	}
	for _, is := range issues {
		if _, err := w.call(r, "DELETE /api/1/issues/{audit_id}/justification", map[string]string{"audit_id": is}, nil); err != nil {
			return err
		}
	}
	back(rw, r, fmt.Sprintf("/items/%d", id), "unjustified")
	return nil
}

func (w *Web) addItemComment(rw http.ResponseWriter, r *http.Request) error {
	id, err := itemID(r)
	if err != nil {
		return err
	}
	if err := form(r); err != nil {
		return err
	}
	if _, err := w.call(r, "POST /api/1/items/{item_id}/comments", map[string]string{"item_id": r.PathValue("item_id")},
		map[string]string{"text": r.PostForm.Get("text")}); err != nil {
		return err
	}
	back(rw, r, fmt.Sprintf("/items/%d#comments", id), "commented")
	return nil
}

func (w *Web) deleteItemComment(rw http.ResponseWriter, r *http.Request) error {
	id, err := itemID(r)
	if err != nil {
		return err
	}
	if _, err := w.call(r, "DELETE /api/1/items/{item_id}/comments/{comment_id}",
		map[string]string{"item_id": r.PathValue("item_id"), "comment_id": r.PathValue("comment_id")}, nil); err != nil {
		return err
	}
	back(rw, r, fmt.Sprintf("/items/%d#comments", id), "comment-deleted")
	return nil
}

func (w *Web) addRevisionComment(rw http.ResponseWriter, r *http.Request) error {
	id, err := itemID(r)
	if err != nil {
		return err
	}
	if err := form(r); err != nil {
		return err
	}
	rev := r.PathValue("revision_id")
	if _, err := w.call(r, "POST /api/1/revisions/{revision_id}/comments", map[string]string{"revision_id": rev},
		map[string]string{"text": r.PostForm.Get("text")}); err != nil {
		return err
	}
	back(rw, r, fmt.Sprintf("/items/%d#rev-%s", id, rev), "commented")
	return nil
}
