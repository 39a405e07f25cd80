package api

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/server"
	"github.com/secmonkey/monkey/internal/store"
)

// usersBody is GET /api/1/users (the key is users, not items).
type usersBody struct {
	Users []userJSON      `json:"users"`
	Page  int             `json:"page"`
	Total int             `json:"total"`
	Count int             `json:"count"`
	Auth  server.AuthInfo `json:"auth"`
}

type userRequest struct {
	ID     *flexInt  `json:"id"`
	Email  *string   `json:"email"`
	Active *flexBool `json:"active"`
	RoleID *string   `json:"role_id"`
}

type rolesBody struct {
	Roles []server.RoleName `json:"roles"`
	Auth  server.AuthInfo   `json:"auth"`
}

const userNotFound = "User entry with the given ID not found."

func (a *API) userRoutes() []server.Route {
	return []server.Route{
		{Method: "GET", Pattern: "/api/1/users", Role: monkey.RoleAdmin, Tag: "users", Summary: "list users",
			Query: params(pageParams, []server.Param{
				{Name: "order_by", Type: "string", Doc: "a user column (not password)"},
				{Name: "order_dir", Type: "string", Doc: "asc or desc"},
			}), Response: usersBody{}, Handler: a.listUsers},
		{Method: "PUT", Pattern: "/api/1/users/{user_id}", Role: monkey.RoleAdmin, Tag: "users",
			Summary: "change a user's role and active flag (not your own)", Request: userRequest{}, Response: authOnly{},
			Status: http.StatusAccepted, Handler: a.updateUser},
		{Method: "DELETE", Pattern: "/api/1/users/{user_id}", Role: monkey.RoleAdmin, Tag: "users",
			Summary: "delete a user (not yourself)", Response: authOnly{}, Status: http.StatusAccepted, Handler: a.deleteUser},
		{Method: "GET", Pattern: "/api/1/roles", Role: monkey.RoleAdmin, Tag: "users", Summary: "the roles",
			Response: rolesBody{}, Handler: a.listRoles},
	}
}

func (a *API) listUsers(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	uq := store.UserQuery{OrderBy: q.str("order_by"), Desc: strings.EqualFold(q.str("order_dir"), "desc")}
	uq.Page, uq.Count = q.page()
	if q.err != nil {
		return q.err
	}
	list, total, err := a.st.ListUsersPage(r.Context(), uq)
	if err != nil {
		return err
	}
	out := make([]userJSON, 0, len(list))
	for _, u := range list {
		out = append(out, userOf(u))
	}
	server.WriteJSON(w, http.StatusOK, usersBody{Users: out, Page: uq.Page, Total: total, Count: len(out), Auth: server.Auth(r)})
	return nil
}

func (a *API) targetUser(r *http.Request) (monkey.User, error) {
	id, err := pathID(r, "user_id")
	if err != nil {
		return monkey.User{}, err
	}
	u, err := a.st.User(r.Context(), id)
	return u, mapNotFound(err, userNotFound)
}

func (a *API) updateUser(w http.ResponseWriter, r *http.Request) error {
	var req userRequest
	if err := server.DecodeJSON(r, &req); err != nil {
		return err
	}
	u, err := a.targetUser(r)
	if err != nil {
		return err
	}
	if req.ID != nil && int64(*req.ID) != u.ID {
		return monkey.Errorf(monkey.EFORBIDDEN, "User ID cannot be modified.")
	}
	if u.ID == caller(r).ID {
		return monkey.Errorf(monkey.EFORBIDDEN, "Cannot modify own user account.")
	}
	before := userOf(u)
	if req.Active != nil {
		u.Active = bool(*req.Active)
	}
	if req.RoleID != nil {
		if !monkey.ValidRole(*req.RoleID) {
			return monkey.Errorf(monkey.ENOTFOUND, "Specified Role not found.")
		}
		u.Role = *req.RoleID
	}
	err = a.write(r, "user.update", "user "+u.Email, val(before), func() any { return userOf(u) },
		func(tx *store.Store) error { return tx.UpdateUser(r.Context(), u) })
	if err != nil {
		return mapNotFound(err, userNotFound)
	}
	server.WriteJSON(w, http.StatusAccepted, authOnly{Auth: server.Auth(r)})
	return nil
}

func (a *API) deleteUser(w http.ResponseWriter, r *http.Request) error {
	u, err := a.targetUser(r)
	if err != nil {
		return err
	}
	if u.ID == caller(r).ID {
		return monkey.Errorf(monkey.EFORBIDDEN, "Cannot delete own user account.")
	}
	err = a.write(r, "user.delete", fmt.Sprintf("user %s", u.Email), val(userOf(u)), nil,
		func(tx *store.Store) error { return tx.DeleteUser(r.Context(), u.ID) })
	if err != nil {
		return mapNotFound(err, userNotFound)
	}
	server.WriteJSON(w, http.StatusAccepted, authOnly{Auth: server.Auth(r)})
	return nil
}

func (a *API) listRoles(w http.ResponseWriter, r *http.Request) error {
	out := []server.RoleName{{Name: monkey.RoleAnonymous}}
	for _, role := range monkey.UserRoles {
		out = append(out, server.RoleName{Name: role})
	}
	server.WriteJSON(w, http.StatusOK, rolesBody{Roles: out, Auth: server.Auth(r)})
	return nil
}
