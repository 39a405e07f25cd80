package api

import (
	"net/http"

	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/server"
)

type techMethodsBody struct {
	TechMethods map[string][]string `json:"tech_methods"`
	Auth        server.AuthInfo     `json:"auth"`
}

func (a *API) techMethodRoutes() []server.Route {
	return []server.Route{
		{Method: "GET", Pattern: "/api/1/techmethods/{tech_ids}", Role: monkey.RoleView, Tag: "search",
			Summary:  "the score-override keys of every check, by technology (the path value is ignored)",
			Response: techMethodsBody{}, Handler: a.techMethods},
	}
}

func (a *API) techMethods(w http.ResponseWriter, r *http.Request) error {
	out := map[string][]string{}
	for _, t := range a.order {
		m := a.d.TechMethods[t]
		if m == nil {
			m = []string{}
		}
		out[t] = m
	}
	server.WriteJSON(w, http.StatusOK, techMethodsBody{TechMethods: out, Auth: server.Auth(r)})
	return nil
}
