package api

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/server"
	"github.com/secmonkey/monkey/internal/store"
)

// auditorSettingJSON is AUDITORSETTING.
type auditorSettingJSON struct {
	ID         int64  `json:"id"`
	Disabled   bool   `json:"disabled"`
	Issue      string `json:"issue"`
	Account    string `json:"account"`
	Technology string `json:"technology"`
	Count      int    `json:"count"`
}

type auditorSettingRequest struct {
	Disabled *flexBool `json:"disabled"`
}

func (a *API) auditorSettingRoutes() []server.Route {
	return []server.Route{
		{Method: "GET", Pattern: "/api/1/auditorsettings", Role: monkey.RoleView, Tag: "auditorsettings",
			Summary: "list the issue categories of each account and technology, with their issue counts",
			Query: params(pageParams, []server.Param{
				{Name: "accounts", Type: "array", Doc: "account names"},
				{Name: "technologies", Type: "array", Doc: "technology indexes"},
				{Name: "enabled", Type: "boolean", Doc: "true or false"},
				{Name: "issue", Type: "string", Doc: "exact issue text"},
				{Name: "order_by", Type: "string", Doc: "account, technology, enabled, issue or issue_count"},
				{Name: "order_dir", Type: "string", Doc: "Asc or Desc (default Desc)"},
			}),
			Response: envelope[auditorSettingJSON]{}, Handler: a.listAuditorSettings},
		{Method: "PUT", Pattern: "/api/1/auditorsettings/{as_id}", Role: monkey.RoleJustify, Tag: "auditorsettings",
			Summary: "enable or disable an issue category", Request: auditorSettingRequest{}, Response: 0,
			Handler: a.setAuditorSetting},
	}
}

func (a *API) listAuditorSettings(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	page, count := q.page()
	accounts, techs, enabled, issue := q.list("accounts"), q.list("technologies"), q.optBool("enabled"), q.str("issue")
	orderBy := q.str("order_by")
	desc := !strings.EqualFold(q.str("order_dir"), "asc")
	if q.err != nil {
		return q.err
	}
	keys := map[string]func(x, y store.AuditorSetting) int{
		"account":     func(x, y store.AuditorSetting) int { return cmp.Compare(x.Account, y.Account) },
		"technology":  func(x, y store.AuditorSetting) int { return cmp.Compare(x.Technology, y.Technology) },
		"enabled":     func(x, y store.AuditorSetting) int { return cmpBool(!x.Disabled, !y.Disabled) },
		"issue":       func(x, y store.AuditorSetting) int { return cmp.Compare(x.IssueText, y.IssueText) },
		"issue_count": func(x, y store.AuditorSetting) int { return cmp.Compare(x.Count, y.Count) },
	}
	all, err := a.st.ListAuditorSettings(r.Context())
	if err != nil {
		return err
	}
	var list []store.AuditorSetting
	for _, s := range all {
		if (len(accounts) == 0 || slices.Contains(accounts, s.Account)) &&
			(len(techs) == 0 || slices.Contains(techs, s.Technology)) &&
			(enabled == nil || *enabled == !s.Disabled) && (issue == "" || issue == s.IssueText) {
			list = append(list, s)
		}
	}
	if orderBy != "" {
		by, ok := keys[orderBy]
		if !ok {
			return monkey.FieldErrorf("order_by", "order_by is account, technology, enabled, issue or issue_count, not %q", truncate(orderBy))
		}
		slices.SortStableFunc(list, func(x, y store.AuditorSetting) int {
			c := by(x, y)
			if c == 0 {
				c = cmp.Compare(x.ID, y.ID)
			}
			if desc {
				return -c
			}
			return c
		})
	}
	out := []auditorSettingJSON{}
	for _, s := range pageOf(list, page, count) {
		out = append(out, auditorSettingJSON{ID: s.ID, Disabled: s.Disabled, Issue: s.IssueText, Account: s.Account,
			Technology: s.Technology, Count: s.Count})
	}
	server.WriteJSON(w, http.StatusOK, newEnvelope(out, page, len(list), server.Auth(r)))
	return nil
}

func (a *API) setAuditorSetting(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "as_id")
	if err != nil {
		return err
	}
	var req auditorSettingRequest
	if err := server.DecodeJSON(r, &req); err != nil {
		return err
	}
	if req.Disabled == nil {
		return monkey.FieldErrorf("disabled", "disabled is required (true or false)")
	}
	disabled := bool(*req.Disabled)
	err = a.write(r, "auditor_setting.update", fmt.Sprintf("auditor setting %d", id), nil,
		func() any { return map[string]bool{"disabled": disabled} },
		func(tx *store.Store) error { return tx.SetAuditorSettingDisabled(r.Context(), id, disabled) })
	if err != nil {
		return mapNotFound(err, "Auditor setting with the given ID not found.")
	}
	server.WriteJSON(w, http.StatusOK, 200)
	return nil
}
