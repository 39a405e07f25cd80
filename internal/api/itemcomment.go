package api

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/server"
	"github.com/secmonkey/monkey/internal/store"
)

// commentRequest is the body of comment creation.
type commentRequest struct {
	Text *string `json:"text"`
}

// MaxCommentBytes bounds a comment.
const MaxCommentBytes = 64 << 10

func (c commentRequest) text() (string, error) {
	if c.Text == nil || strings.TrimSpace(*c.Text) == "" {
		return "", monkey.FieldErrorf("text", "text is required")
	}
	if len(*c.Text) > MaxCommentBytes {
		return "", monkey.FieldErrorf("text", "a comment is at most %d bytes", MaxCommentBytes)
	}
	return *c.Text, nil
}

type resultBody struct {
	Result string `json:"result"`
}

func (a *API) itemCommentRoutes() []server.Route {
	return []server.Route{
		{Method: "POST", Pattern: "/api/1/items/{item_id}/comments", Role: monkey.RoleComment, Tag: "items",
			Summary: "comment on an item", Request: commentRequest{}, Response: commentJSON{}, Status: http.StatusCreated,
			Handler: a.addItemComment},
		{Method: "GET", Pattern: "/api/1/items/{item_id}/comments/{comment_id}", Role: monkey.RoleView, Tag: "items",
			Summary: "one item comment", Response: commentJSON{}, Handler: a.getItemComment},
		{Method: "DELETE", Pattern: "/api/1/items/{item_id}/comments/{comment_id}", Role: monkey.RoleJustify, Tag: "items",
			Summary: "delete one of your item comments (Admin: any)", Response: resultBody{}, Status: http.StatusAccepted,
			Handler: a.deleteItemComment},
	}
}

func (a *API) addItemComment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "item_id")
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
	if _, err := a.st.ItemSummary(r.Context(), id); err != nil {
		return mapNotFound(err, "Item not found")
	}
	u := caller(r)
	var cid int64
	err = a.write(r, "item_comment.create", fmt.Sprintf("item %d", id), nil, func() any { return map[string]any{"id": cid, "text": text} },
		func(tx *store.Store) error {
			cid, err = tx.AddItemComment(r.Context(), id, u.ID, text)
			return err
		})
	if err != nil {
		return err
	}
	c, err := a.st.ItemComment(r.Context(), cid)
	if err != nil {
		return err
	}
	server.WriteJSON(w, http.StatusCreated, commentOf(c))
	return nil
}

// itemComment reads the comment of the path, checking it belongs to the
// path's item.
func (a *API) itemComment(r *http.Request) (store.Comment, error) {
	item, err := pathID(r, "item_id")
	if err != nil {
		return store.Comment{}, err
	}
	id, err := pathID(r, "comment_id")
	if err != nil {
		return store.Comment{}, err
	}
	c, err := a.st.ItemComment(r.Context(), id)
	if err == nil && c.ItemID != item {
		err = monkey.ErrNotFound
	}
	return c, mapNotFound(err, "Item Comment Not Found")
}

func (a *API) getItemComment(w http.ResponseWriter, r *http.Request) error {
	c, err := a.itemComment(r)
	if err != nil {
		return err
	}
	server.WriteJSON(w, http.StatusOK, commentOf(c))
	return nil
}

// ownsComment: authors delete their own comments, Admins any (the
// reference deleted only the caller's own).
func ownsComment(r *http.Request, c store.Comment) error {
	u := caller(r)
	if c.UserID != u.ID && u.Role != monkey.RoleAdmin {
		return monkey.Errorf(monkey.EFORBIDDEN, "You can only delete your own comments.")
	}
	return nil
}

func (a *API) deleteItemComment(w http.ResponseWriter, r *http.Request) error {
	c, err := a.itemComment(r)
	if err != nil {
		return err
	}
	if err := ownsComment(r, c); err != nil {
		return err
	}
	err = a.write(r, "item_comment.delete", fmt.Sprintf("item %d comment %d", c.ItemID, c.ID), val(commentOf(c)), nil,
		func(tx *store.Store) error { return tx.DeleteItemComment(r.Context(), c.ID) })
	if err != nil {
		return err
	}
	server.WriteJSON(w, http.StatusAccepted, resultBody{Result: "success"})
	return nil
}
