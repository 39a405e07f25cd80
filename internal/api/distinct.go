package api

import (
	"net/http"

	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/server"
	"github.com/secmonkey/monkey/internal/store"
)

// distinctBody is GET /api/1/distinct/{key_id}: values as strings, or
// {"id", "text"} objects with select2.
type distinctBody struct {
	Items []any           `json:"items"`
	Page  int             `json:"page"`
	Total int             `json:"total"`
	KeyID string          `json:"key_id"`
	Auth  server.AuthInfo `json:"auth"`
}

type select2Value struct {
	ID   int64  `json:"id"`
	Text string `json:"text"`
}

func (a *API) distinctRoutes() []server.Route {
	return []server.Route{
		{Method: "GET", Pattern: "/api/1/distinct/{key_id}", Role: monkey.RoleView, Tag: "search",
			Summary: "distinct values of an item attribute (tech, account, accounttype, region, name, arn)",
			Query: params(pageParams, itemFilterParams[:7], []server.Param{
				{Name: "select2", Type: "string", Doc: "search text: values containing it, as {id, text} objects"},
			}),
			Response: distinctBody{}, ErrorKey: "error", Handler: a.distinct},
	}
}

func (a *API) distinct(w http.ResponseWriter, r *http.Request) error {
	key := r.PathValue("key_id")
	if !store.DistinctKey(key) {
		return monkey.Errorf(monkey.EINVALID, "Supply key in type,region,account,name,arn")
	}
	q := newQuery(r)
	f := q.itemFilter()
	f.SearchConfig, f.IDs, f.MinScore, f.MinUnjust = "", nil, 0, 0
	_, isSelect := r.URL.Query()["select2"]
	dq := store.DistinctQuery{Key: key, Filter: f, Search: q.str("select2"), Select: isSelect}
	if q.err != nil {
		return q.err
	}
	vals, total, err := a.st.Distinct(r.Context(), dq)
	if err != nil {
		return err
	}
	out := distinctBody{Items: make([]any, 0, len(vals)), Page: f.Page, Total: total, KeyID: key, Auth: server.Auth(r)}
	for _, v := range vals {
		if isSelect {
			out.Items = append(out.Items, select2Value{ID: v.ItemID, Text: v.Value})
		} else {
			out.Items = append(out.Items, v.Value)
		}
	}
	server.WriteJSON(w, http.StatusOK, out)
	return nil
}
