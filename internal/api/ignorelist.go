package api

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/server"
	"github.com/secmonkey/monkey/internal/store"
)

// ignoreJSON is IGNORELIST with its technology.
type ignoreJSON struct {
	ID         int64  `json:"id"`
	Prefix     string `json:"prefix"`
	Notes      string `json:"notes"`
	Technology string `json:"technology"`
}

type ignoreAnswer struct {
	ignoreJSON
	Auth server.AuthInfo `json:"auth"`
}

type ignoreRequest struct {
	Prefix     *string `json:"prefix"`
	Technology *string `json:"technology"`
	Notes      *string `json:"notes"`
}

func ignoreOf(e monkey.IgnoreEntry) ignoreJSON {
	return ignoreJSON{ID: e.ID, Prefix: e.Prefix, Notes: e.Notes, Technology: e.Technology}
}

const ignoreNotFound = "Ignorelist entry with the given ID not found."

func (a *API) ignoreListRoutes() []server.Route {
	return []server.Route{
		{Method: "GET", Pattern: "/api/1/ignorelistentries", Role: monkey.RoleView, Tag: "ignorelist",
			Summary: "list the ignore list", Query: pageParams, Response: envelope[ignoreJSON]{}, Handler: a.listIgnore},
		{Method: "POST", Pattern: "/api/1/ignorelistentries", Role: monkey.RoleAdmin, Tag: "ignorelist",
			Summary: "skip items of a technology whose name starts with a prefix", Request: ignoreRequest{},
			Response: ignoreAnswer{}, Status: http.StatusCreated, Handler: a.createIgnore},
		{Method: "GET", Pattern: "/api/1/ignorelistentries/{id}", Role: monkey.RoleView, Tag: "ignorelist",
			Summary: "one ignore-list entry", Response: ignoreAnswer{}, Handler: a.getIgnore},
		{Method: "PUT", Pattern: "/api/1/ignorelistentries/{id}", Role: monkey.RoleAdmin, Tag: "ignorelist",
			Summary: "update an ignore-list entry", Request: ignoreRequest{}, Response: ignoreAnswer{}, Handler: a.updateIgnore},
		{Method: "DELETE", Pattern: "/api/1/ignorelistentries/{id}", Role: monkey.RoleAdmin, Tag: "ignorelist",
			Summary: "delete an ignore-list entry", Response: statusBody{}, Status: http.StatusAccepted, Handler: a.deleteIgnore},
	}
}

func (a *API) listIgnore(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	page, count := q.page()
	if q.err != nil {
		return q.err
	}
	all, err := a.st.ListIgnore(r.Context(), "")
	if err != nil {
		return err
	}
	out := []ignoreJSON{}
	for _, e := range pageOf(all, page, count) {
		out = append(out, ignoreOf(e))
	}
	server.WriteJSON(w, http.StatusOK, newEnvelope(out, page, len(all), server.Auth(r)))
	return nil
}

// ignoreFrom validates a request into e. An unknown technology is a 400
// with the reference's text (the reference answered 500).
func (a *API) ignoreFrom(req ignoreRequest, e *monkey.IgnoreEntry) error {
	if req.Prefix != nil {
		e.Prefix = strings.TrimSpace(*req.Prefix)
	}
	if req.Technology != nil {
		e.Technology = strings.TrimSpace(*req.Technology)
	}
	if req.Notes != nil {
		e.Notes = *req.Notes
	}
	if e.Prefix == "" {
		return monkey.FieldErrorf("prefix", "prefix is required")
	}
	if e.Technology == "" {
		return monkey.FieldErrorf("technology", "technology is required")
	}
	if _, ok := a.techs[e.Technology]; !ok {
		return monkey.Errorf(monkey.EINVALID, "Could not find a technology with the given name")
	}
	return nil
}

func (a *API) createIgnore(w http.ResponseWriter, r *http.Request) error {
	var req ignoreRequest
	if err := server.DecodeJSON(r, &req); err != nil {
		return err
	}
	var e monkey.IgnoreEntry
	if err := a.ignoreFrom(req, &e); err != nil {
		return err
	}
	err := a.write(r, "ignore.create", "ignore "+e.Technology+"/"+e.Prefix, nil, func() any { return ignoreOf(e) },
		func(tx *store.Store) error { return tx.CreateIgnore(r.Context(), &e) })
	if err != nil {
		return err
	}
	server.WriteJSON(w, http.StatusCreated, ignoreAnswer{ignoreJSON: ignoreOf(e), Auth: server.Auth(r)})
	return nil
}

func (a *API) ignoreEntry(r *http.Request) (monkey.IgnoreEntry, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return monkey.IgnoreEntry{}, err
	}
	e, err := a.st.Ignore(r.Context(), id)
	return e, mapNotFound(err, ignoreNotFound)
}

func (a *API) getIgnore(w http.ResponseWriter, r *http.Request) error {
	e, err := a.ignoreEntry(r)
	if err != nil {
		return err
	}
	server.WriteJSON(w, http.StatusOK, ignoreAnswer{ignoreJSON: ignoreOf(e), Auth: server.Auth(r)})
	return nil
}

func (a *API) updateIgnore(w http.ResponseWriter, r *http.Request) error {
	var req ignoreRequest
	if err := server.DecodeJSON(r, &req); err != nil {
		return err
	}
	e, err := a.ignoreEntry(r)
	if err != nil {
		return err
	}
	before := ignoreOf(e)
	if err := a.ignoreFrom(req, &e); err != nil {
		return err
	}
	err = a.write(r, "ignore.update", fmt.Sprintf("ignore %d", e.ID), val(before), func() any { return ignoreOf(e) },
		func(tx *store.Store) error { return tx.UpdateIgnore(r.Context(), e) })
	if err != nil {
		return mapNotFound(err, ignoreNotFound)
	}
	server.WriteJSON(w, http.StatusOK, ignoreAnswer{ignoreJSON: ignoreOf(e), Auth: server.Auth(r)})
	return nil
}

func (a *API) deleteIgnore(w http.ResponseWriter, r *http.Request) error {
	e, err := a.ignoreEntry(r)
	if err != nil {
		return err
	}
	err = a.write(r, "ignore.delete", fmt.Sprintf("ignore %d", e.ID), val(ignoreOf(e)), nil,
		func(tx *store.Store) error { return tx.DeleteIgnore(r.Context(), e.ID) })
	if err != nil {
		return mapNotFound(err, ignoreNotFound)
	}
	server.WriteJSON(w, http.StatusAccepted, statusBody{Status: "deleted"})
	return nil
}
