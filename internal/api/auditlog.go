package api

import (
	"encoding/json"
	"net/http"

	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/server"
	"github.com/secmonkey/monkey/internal/store"
)

// ActionJSON is one entry of the action log.
type ActionJSON struct {
	ID     int64           `json:"id"`
	Date   string          `json:"date"`
	User   string          `json:"user"`
	Source string          `json:"source"`
	Action string          `json:"action"`
	Target string          `json:"target"`
	Before json.RawMessage `json:"before"`
	After  json.RawMessage `json:"after"`
}

// ActionOf renders an action (the command line uses the same shape).
func ActionOf(a store.Action) ActionJSON {
	raw := func(s *string) json.RawMessage {
		if s == nil || !json.Valid([]byte(*s)) {
			return json.RawMessage("null")
		}
		return json.RawMessage(*s)
	}
	return ActionJSON{ID: a.ID, Date: pyDate(a.At), User: a.User, Source: a.Source, Action: a.Action, Target: a.Target,
		Before: raw(a.Before), After: raw(a.After)}
}

func (a *API) auditLogRoutes() []server.Route {
	return []server.Route{
		{Method: "GET", Pattern: "/api/1/auditlog", Role: monkey.RoleAdmin, Tag: "auditlog",
			Summary: "the action log: every write, newest first",
			Query: params(pageParams, []server.Param{
				{Name: "user", Type: "array", Doc: "user e-mails"},
				{Name: "action", Type: "array", Doc: "actions, e.g. issue.justify"},
			}),
			Response: envelope[ActionJSON]{}, Handler: a.listActions},
	}
}

func (a *API) listActions(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	aq := store.ActionQuery{Users: q.list("user"), Actions: q.list("action")}
	aq.Page, aq.Count = q.page()
	if q.err != nil {
		return q.err
	}
	list, total, err := a.st.ListActions(r.Context(), aq)
	if err != nil {
		return err
	}
	out := make([]ActionJSON, 0, len(list))
	for _, x := range list {
		out = append(out, ActionOf(x))
	}
	server.WriteJSON(w, http.StatusOK, newEnvelope(out, aq.Page, total, server.Auth(r)))
	return nil
}
