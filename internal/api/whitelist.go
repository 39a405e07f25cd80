package api

import (
	"fmt"
	"net/http"
	"net/netip"
	"strings"

	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/server"
	"github.com/secmonkey/monkey/internal/store"
)

// whitelistJSON is WHITELIST.
type whitelistJSON struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Notes string `json:"notes"`
	CIDR  string `json:"cidr"`
}

type whitelistAnswer struct {
	whitelistJSON
	Auth server.AuthInfo `json:"auth"`
}

type whitelistRequest struct {
	Name  *string `json:"name"`
	CIDR  *string `json:"cidr"`
	Notes *string `json:"notes"`
}

func whitelistOf(w monkey.NetworkWhitelist) whitelistJSON {
	return whitelistJSON{ID: w.ID, Name: w.Name, Notes: w.Notes, CIDR: w.CIDR}
}

const whitelistNotFound = "Whitelist entry with the given ID not found."

func (a *API) whitelistRoutes() []server.Route {
	return []server.Route{
		{Method: "GET", Pattern: "/api/1/whitelistcidrs", Role: monkey.RoleView, Tag: "whitelist",
			Summary: "list the network whitelist", Query: pageParams, Response: envelope[whitelistJSON]{}, Handler: a.listWhitelist},
		{Method: "POST", Pattern: "/api/1/whitelistcidrs", Role: monkey.RoleAdmin, Tag: "whitelist",
			Summary: "add a trusted CIDR", Request: whitelistRequest{}, Response: whitelistAnswer{}, Status: http.StatusCreated,
			Handler: a.createWhitelist},
		{Method: "GET", Pattern: "/api/1/whitelistcidrs/{id}", Role: monkey.RoleAdmin, Tag: "whitelist",
			Summary: "one whitelist entry", Response: whitelistAnswer{}, Handler: a.getWhitelist},
		{Method: "PUT", Pattern: "/api/1/whitelistcidrs/{id}", Role: monkey.RoleAdmin, Tag: "whitelist",
			Summary: "update a whitelist entry", Request: whitelistRequest{}, Response: whitelistAnswer{}, Handler: a.updateWhitelist},
		{Method: "DELETE", Pattern: "/api/1/whitelistcidrs/{id}", Role: monkey.RoleAdmin, Tag: "whitelist",
			Summary: "delete a whitelist entry", Response: statusBody{}, Status: http.StatusAccepted, Handler: a.deleteWhitelist},
	}
}

func (a *API) listWhitelist(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	page, count := q.page()
	if q.err != nil {
		return q.err
	}
	all, err := a.st.ListWhitelist(r.Context())
	if err != nil {
		return err
	}
	out := []whitelistJSON{}
	for _, e := range pageOf(all, page, count) {
		out = append(out, whitelistOf(e))
	}
	server.WriteJSON(w, http.StatusOK, newEnvelope(out, page, len(all), server.Auth(r)))
	return nil
}

// whitelistFrom validates a request into e (absent fields keep their
// value).
func whitelistFrom(req whitelistRequest, e *monkey.NetworkWhitelist) error {
	if req.Name != nil {
		e.Name = strings.TrimSpace(*req.Name)
	}
	if req.CIDR != nil {
		e.CIDR = strings.TrimSpace(*req.CIDR)
	}
	if req.Notes != nil {
		e.Notes = *req.Notes
	}
	if e.Name == "" {
		return monkey.FieldErrorf("name", "name is required")
	}
	if e.CIDR == "" {
		return monkey.FieldErrorf("cidr", "cidr is required")
	}
	if _, err := netip.ParsePrefix(e.CIDR); err != nil {
		return monkey.FieldErrorf("cidr", "%q is not a CIDR such as 10.0.0.0/8", truncate(e.CIDR))
	}
	return nil
}

func (a *API) createWhitelist(w http.ResponseWriter, r *http.Request) error {
	var req whitelistRequest
	if err := server.DecodeJSON(r, &req); err != nil {
		return err
	}
	var e monkey.NetworkWhitelist
	if err := whitelistFrom(req, &e); err != nil {
		return err
	}
	err := a.write(r, "whitelist.create", "whitelist "+e.Name, nil, func() any { return whitelistOf(e) },
		func(tx *store.Store) error { return tx.CreateWhitelist(r.Context(), &e) })
	if err != nil {
		return err
	}
	server.WriteJSON(w, http.StatusCreated, whitelistAnswer{whitelistJSON: whitelistOf(e), Auth: server.Auth(r)})
	return nil
}

func (a *API) whitelistEntry(r *http.Request) (monkey.NetworkWhitelist, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return monkey.NetworkWhitelist{}, err
	}
	e, err := a.st.Whitelist(r.Context(), id)
	return e, mapNotFound(err, whitelistNotFound)
}

func (a *API) getWhitelist(w http.ResponseWriter, r *http.Request) error {
	e, err := a.whitelistEntry(r)
	if err != nil {
		return err
	}
	server.WriteJSON(w, http.StatusOK, whitelistAnswer{whitelistJSON: whitelistOf(e), Auth: server.Auth(r)})
	return nil
}

func (a *API) updateWhitelist(w http.ResponseWriter, r *http.Request) error {
	var req whitelistRequest
	if err := server.DecodeJSON(r, &req); err != nil {
		return err
	}
	e, err := a.whitelistEntry(r)
	if err != nil {
		return err
	}
	before := whitelistOf(e)
	if err := whitelistFrom(req, &e); err != nil {
		return err
	}
	err = a.write(r, "whitelist.update", fmt.Sprintf("whitelist %d", e.ID), val(before), func() any { return whitelistOf(e) },
		func(tx *store.Store) error { return tx.UpdateWhitelist(r.Context(), e) })
	if err != nil {
		return mapNotFound(err, whitelistNotFound)
	}
	server.WriteJSON(w, http.StatusOK, whitelistAnswer{whitelistJSON: whitelistOf(e), Auth: server.Auth(r)})
	return nil
}

func (a *API) deleteWhitelist(w http.ResponseWriter, r *http.Request) error {
	e, err := a.whitelistEntry(r)
	if err != nil {
		return err
	}
	err = a.write(r, "whitelist.delete", fmt.Sprintf("whitelist %d", e.ID), val(whitelistOf(e)), nil,
		func(tx *store.Store) error { return tx.DeleteWhitelist(r.Context(), e.ID) })
	if err != nil {
		return mapNotFound(err, whitelistNotFound)
	}
	server.WriteJSON(w, http.StatusAccepted, statusBody{Status: "deleted"})
	return nil
}
