package api

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/server"
	"github.com/secmonkey/monkey/internal/store"
)

// tokenJSON describes an API token (never its secret, except once at
// creation).
type tokenJSON struct {
	ID       int64   `json:"id"`
	Name     string  `json:"name"`
	Prefix   string  `json:"prefix"`
	User     string  `json:"user"`
	Created  string  `json:"created"`
	Expires  *string `json:"expires"`
	LastUsed *string `json:"last_used"`
	Revoked  *string `json:"revoked"`
}

type tokenRequest struct {
	Name *string `json:"name"`
	// Expires is a lifetime: a Go duration ("720h") or days ("30d");
	// empty = no expiry.
	Expires *string `json:"expires"`
}

type tokenCreated struct {
	tokenJSON
	Token string          `json:"token"`
	Auth  server.AuthInfo `json:"auth"`
}

type tokensBody struct {
	Tokens []tokenJSON     `json:"tokens"`
	Auth   server.AuthInfo `json:"auth"`
}

// TokenOf renders a token (the command line uses the same shape).
func TokenOf(t store.Token) tokenJSON {
	return tokenJSON{ID: t.ID, Name: t.Name, Prefix: t.Prefix, User: t.User, Created: pyDate(t.Created),
		Expires: pyDatePtr(t.Expires), LastUsed: pyDatePtr(t.LastUsed), Revoked: pyDatePtr(t.Revoked)}
}

// ParseLifetime reads a token lifetime: a Go duration or a number of days
// ("30d"); "" = none.
func ParseLifetime(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	if d, ok := strings.CutSuffix(s, "d"); ok {
		var n int
		if _, err := fmt.Sscanf(d, "%d", &n); err == nil && n > 0 && fmt.Sprint(n) == d {
			return time.Duration(n) * 24 * time.Hour, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, monkey.FieldErrorf("expires", "expires is a duration such as 720h or 30d, not %q", truncate(s))
	}
	return d, nil
}

func (a *API) tokenRoutes() []server.Route {
	return []server.Route{
		{Method: "GET", Pattern: "/api/1/tokens", Role: monkey.RoleView, Tag: "tokens", Summary: "your API tokens",
			Response: tokensBody{}, Handler: a.listTokens},
		{Method: "POST", Pattern: "/api/1/tokens", Role: monkey.RoleView, Tag: "tokens",
			Summary: "create an API token (its secret is shown once)", Request: tokenRequest{}, Response: tokenCreated{},
			Status: http.StatusCreated, Handler: a.createToken},
		{Method: "DELETE", Pattern: "/api/1/tokens/{id}", Role: monkey.RoleView, Tag: "tokens",
			Summary: "revoke one of your API tokens", Response: statusBody{}, Status: http.StatusAccepted, Handler: a.revokeToken},
	}
}

func (a *API) listTokens(w http.ResponseWriter, r *http.Request) error {
	list, err := a.st.ListTokens(r.Context(), caller(r).ID)
	if err != nil {
		return err
	}
	out := make([]tokenJSON, 0, len(list))
	for _, t := range list {
		out = append(out, TokenOf(t))
	}
	server.WriteJSON(w, http.StatusOK, tokensBody{Tokens: out, Auth: server.Auth(r)})
	return nil
}

func (a *API) createToken(w http.ResponseWriter, r *http.Request) error {
	var req tokenRequest
	if err := server.DecodeJSON(r, &req); err != nil {
		return err
	}
	name, life := "", ""
	if req.Name != nil {
		name = strings.TrimSpace(*req.Name)
	}
	if req.Expires != nil {
		life = *req.Expires
	}
	ttl, err := ParseLifetime(life)
	if err != nil {
		return err
	}
	u := caller(r)
	if u.ID == 0 {
		return monkey.Errorf(monkey.EFORBIDDEN, "only users have API tokens")
	}
	var secret string
	var tok store.Token
	err = a.st.WithTx(r.Context(), func(tx *store.Store) error {
		var err error
		secret, tok, err = a.d.Auth.CreateTokenIn(r.Context(), tx, u, name, ttl)
		if err != nil {
			return err
		}
		return tx.RecordAction(r.Context(), a.action(r.Context(), "token.create", fmt.Sprintf("token %d", tok.ID), nil,
			val(TokenOf(tok))))
	})
	if err != nil {
		return err
	}
	server.WriteJSON(w, http.StatusCreated, tokenCreated{tokenJSON: TokenOf(tok), Token: secret, Auth: server.Auth(r)})
	return nil
}

func (a *API) revokeToken(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	u := caller(r)
	if u.ID == 0 {
		return monkey.Errorf(monkey.EFORBIDDEN, "only users have API tokens")
	}
	err = a.write(r, "token.revoke", fmt.Sprintf("token %d", id), nil, nil,
		func(tx *store.Store) error { return tx.RevokeToken(r.Context(), id, u.ID, a.d.Now()) })
	if err != nil {
		return mapNotFound(err, "Token with the given ID not found.")
	}
	server.WriteJSON(w, http.StatusAccepted, statusBody{Status: "revoked"})
	return nil
}
