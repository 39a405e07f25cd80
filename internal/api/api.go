// Package api is the REST API of spec/api.md: one file per entity, each
// contributing its routes to the one route table that internal/server
// serves, documents (OpenAPI) and tests (role matrix). Handlers answer from
// store queries and record every write in the action log.
package api

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"sort"
	"time"

	"github.com/secmonkey/monkey/internal/auth"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/server"
	"github.com/secmonkey/monkey/internal/store"
)

// Deps are the API's dependencies.
type Deps struct {
	// Store is the database. The API uses most of its queries, so it takes
	// the concrete store rather than a long interface.
	Store *store.Store
	Auth  *auth.Service
	// Providers are the active SSO providers.
	Providers []*auth.Provider
	// Technologies are the implemented technologies (tech plugins).
	Technologies []monkey.Technology
	// TechMethods are the score-override keys of every check, by
	// technology ("check_x (AuditorClass)").
	TechMethods map[string][]string
	// WebPath is where a sign-in lands without a next page.
	WebPath string
	Logger  *slog.Logger
	Now     func() time.Time
	// LoginPage renders the sign-in page (the web UI's); nil: a plain form.
	LoginPage func(w http.ResponseWriter, r *http.Request, status int, p LoginPage) error
}

// API holds the handlers.
type API struct {
	d     Deps
	st    *store.Store
	log   *slog.Logger
	techs map[string]monkey.Technology
	order []string // technology indexes, sorted
}

// New builds the API.
func New(d Deps) (*API, error) {
	if d.Store == nil || d.Auth == nil {
		return nil, fmt.Errorf("api: a store and an authenticator are required")
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.WebPath == "" {
		d.WebPath = "/"
	}
	a := &API{d: d, st: d.Store, log: d.Logger.With("component", "api"), techs: map[string]monkey.Technology{}}
	for _, t := range d.Technologies {
		a.techs[t.Index] = t
		a.order = append(a.order, t.Index)
	}
	sort.Strings(a.order)
	return a, nil
}

// Routes returns the route table of the API and the sign-in pages.
func (a *API) Routes() []server.Route {
	var out []server.Route
	for _, group := range [][]server.Route{
		a.authRoutes(), a.itemRoutes(), a.itemCommentRoutes(), a.revisionRoutes(), a.revisionCommentRoutes(),
		a.issueRoutes(), a.distinctRoutes(), a.exportRoutes(), a.techMethodRoutes(), a.accountRoutes(),
		a.whitelistRoutes(), a.ignoreListRoutes(), a.auditorSettingRoutes(), a.auditScoreRoutes(),
		a.watcherConfigRoutes(), a.userRoutes(), a.settingsRoutes(), a.tokenRoutes(), a.auditLogRoutes(),
	} {
		out = append(out, group...)
	}
	return out
}

// write runs fn in one transaction with its action-log entry: who (the
// caller), from where, what, on which target, before → after (JSON of the
// API shapes, nil when it does not apply).
func (a *API) write(r *http.Request, action, target string, before, after func() any, fn func(tx *store.Store) error) error {
	ctx := r.Context()
	return a.st.WithTx(ctx, func(tx *store.Store) error {
		if err := fn(tx); err != nil {
			return err
		}
		return tx.RecordAction(ctx, a.action(ctx, action, target, before, after))
	})
}

func (a *API) action(ctx context.Context, action, target string, before, after func() any) store.Action {
	act := store.Action{At: a.d.Now().UTC(), Action: action, Target: target, Source: server.ClientIP(ctx)}
	if u := monkey.UserFromContext(ctx); u != nil {
		act.UserID, act.User = u.ID, u.Email
	}
	enc := func(f func() any) *string {
		if f == nil {
			return nil
		}
		b, err := json.Marshal(f())
		if err != nil {
			return nil
		}
		s := string(b)
		return &s
	}
	act.Before, act.After = enc(before), enc(after)
	return act
}

// val wraps a value for write's before/after.
func val(v any) func() any { return func() any { return v } }

// caller returns the signed-in user (routes above anonymous always have
// one).
func caller(r *http.Request) monkey.User {
	if u := monkey.UserFromContext(r.Context()); u != nil {
		return *u
	}
	return monkey.User{}
}

// statusBody is the {"status": …} answer of deletes and updates.
type statusBody struct {
	Status string `json:"status"`
}

// authOnly is an answer made of the auth block alone.
type authOnly struct {
	Auth server.AuthInfo `json:"auth"`
}

// notFoundf is a 404 with one of the spec's texts.
func notFoundf(format string, args ...any) error {
	return monkey.Errorf(monkey.ENOTFOUND, format, args...)
}

// mapNotFound replaces a store's not-found error by the spec's text.
func mapNotFound(err error, text string) error {
	if monkey.ErrorCode(err) == monkey.ENOTFOUND {
		return monkey.Errorf(monkey.ENOTFOUND, "%s", text)
	}
	return err
}
