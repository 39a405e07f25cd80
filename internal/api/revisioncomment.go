package api

import (
	"fmt"
	"net/http"

	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/server"
	"github.com/secmonkey/monkey/internal/store"
)

func (a *API) revisionCommentRoutes() []server.Route {
	return []server.Route{
		{Method: "POST", Pattern: "/api/1/revisions/{revision_id}/comments", Role: monkey.RoleComment, Tag: "revisions",
			Summary: "comment on a revision", Request: commentRequest{}, Response: commentJSON{}, Handler: a.addRevisionComment},
		{Method: "GET", Pattern: "/api/1/revisions/{revision_id}/comments/{comment_id}", Role: monkey.RoleComment,
			Tag: "revisions", Summary: "one revision comment", Response: commentJSON{}, Handler: a.getRevisionComment},
		{Method: "DELETE", Pattern: "/api/1/revisions/{revision_id}/comments/{comment_id}", Role: monkey.RoleComment,
			Tag: "revisions", Summary: "delete one of your revision comments (Admin: any)", Response: statusBody{},
			Status: http.StatusAccepted, Handler: a.deleteRevisionComment},
	}
}

func (a *API) addRevisionComment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "revision_id")
	if err != nil {
		return err
	}
	var req commentRequest
	if err := server.DecodeJSON(r, &req); err != nil {
		return err
	}
	text, err := req.text()
	if err != nil {
		return err
	}
	if _, err := a.st.Revision(r.Context(), id); err != nil {
		return mapNotFound(err, "Revision not found")
	}
	u := caller(r)
	var cid int64
	err = a.write(r, "revision_comment.create", fmt.Sprintf("revision %d", id), nil,
		func() any { return map[string]any{"id": cid, "text": text} },
		func(tx *store.Store) error {
			cid, err = tx.AddRevisionComment(r.Context(), id, u.ID, text)
			return err
		})
	if err != nil {
		return err
	}
	c, err := a.st.RevisionComment(r.Context(), cid)
	if err != nil {
		return err
	}
	server.WriteJSON(w, http.StatusOK, commentOf(c))
	return nil
}

func (a *API) revisionComment(r *http.Request) (store.Comment, error) {
	rev, err := pathID(r, "revision_id")
	if err != nil {
		return store.Comment{}, err
	}
	id, err := pathID(r, "comment_id")
	if err != nil {
		return store.Comment{}, err
	}
	c, err := a.st.RevisionComment(r.Context(), id)
	if err == nil && c.RevisionID != rev {
		err = monkey.ErrNotFound
	}
	return c, mapNotFound(err, "Revision Comment Not Found")
}

func (a *API) getRevisionComment(w http.ResponseWriter, r *http.Request) error {
	c, err := a.revisionComment(r)
	if err != nil {
		return err
	}
	server.WriteJSON(w, http.StatusOK, commentOf(c))
	return nil
}

func (a *API) deleteRevisionComment(w http.ResponseWriter, r *http.Request) error {
	c, err := a.revisionComment(r)
	if err != nil {
		return err
	}
	if err := ownsComment(r, c); err != nil {
		return err
	}
	err = a.write(r, "revision_comment.delete", fmt.Sprintf("revision %d comment %d", c.RevisionID, c.ID), val(commentOf(c)), nil,
		func(tx *store.Store) error { return tx.DeleteRevisionComment(r.Context(), c.ID) })
	if err != nil {
		return err
	}
	server.WriteJSON(w, http.StatusAccepted, statusBody{Status: "deleted"})
	return nil
}
