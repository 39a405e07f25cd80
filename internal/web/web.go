// Package web is the HTML user interface: server-rendered pages
// (html/template, one file per page) with our own embedded CSS and script,
// served by the API process. Every page is a route of the one route table
// of internal/server, allowed to exactly the role of the API route it
// mirrors; every form posts to a page route that calls the API route it
// stands for in process, so validation, the action log and the role and
// CSRF checks are the API's own.
package web

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"sort"
	"time"

	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/policy"
	"github.com/secmonkey/monkey/internal/server"
	"github.com/secmonkey/monkey/internal/store"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Deps are the UI's dependencies.
type Deps struct {
	// Store answers the pages' reads with the API's queries.
	Store *store.Store
	// Technologies are the implemented technologies (names for display).
	Technologies []monkey.Technology
	// Status returns what `monkey status` shows (nil: the status page says
	// it is not available in this process).
	Status func(ctx context.Context) Status
	// Catalogue expands wildcard IAM actions on item pages (nil: not
	// expanded).
	Catalogue *policy.Catalogue
	Logger    *slog.Logger
	Now       func() time.Time
}

// Web holds the pages.
type Web struct {
	d     Deps
	st    *store.Store
	log   *slog.Logger
	pages map[string]*page
	techs map[string]monkey.Technology
	order []string
	// api is the API route table by "METHOD pattern" (Routes fills it).
	api map[string]server.Route
}

// New builds the UI.
func New(d Deps) (*Web, error) {
	if d.Store == nil {
		return nil, errors.New("web: a store is required")
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	w := &Web{d: d, st: d.Store, log: d.Logger.With("component", "web"), techs: map[string]monkey.Technology{}}
	for _, t := range d.Technologies {
		w.techs[t.Index] = t
		w.order = append(w.order, t.Index)
	}
	sort.Strings(w.order)
	pages, err := parsePages(templateFS)
	if err != nil {
		return nil, err
	}
	w.pages = pages
	return w, nil
}

// pageRoute is a page and the API route whose role it takes.
type pageRoute struct {
	method, pattern string
	mirrors         string // "METHOD /api/…" of the API route
	summary         string
	handler         func(w http.ResponseWriter, r *http.Request) error
}

// Routes returns the page routes, each with the role of the API route it
// mirrors in apiRoutes (the API's table); a page whose API route is
// missing is an error.
func (w *Web) Routes(apiRoutes []server.Route) ([]server.Route, error) {
	w.api = map[string]server.Route{}
	for _, rt := range apiRoutes {
		w.api[rt.Method+" "+rt.Pattern] = rt
	}
	out := []server.Route{{Method: http.MethodGet, Pattern: "/static/{file...}", Role: monkey.RoleAnonymous, Tag: "ui",
		Summary: "the UI's stylesheet, script and icons", Produces: "text/css", Handler: w.static}}
	for _, p := range w.pageRoutes() {
		api, ok := w.api[p.mirrors]
		if !ok {
			return nil, fmt.Errorf("web: page %s %s mirrors %s, which is not an API route", p.method, p.pattern, p.mirrors)
		}
		out = append(out, server.Route{Method: p.method, Pattern: p.pattern, Role: api.Role, Tag: "ui", Summary: p.summary,
			Produces: "text/html", Page: true, Handler: p.handler})
	}
	return out, nil
}

// Mirrors returns the API route ("METHOD pattern") each page route
// mirrors, by "METHOD pattern" of the page (tests check the roles).
func (w *Web) Mirrors() map[string]string {
	out := map[string]string{}
	for _, p := range w.pageRoutes() {
		out[p.method+" "+p.pattern] = p.mirrors
	}
	return out
}

// pageRoutes is the list of pages and form actions.
func (w *Web) pageRoutes() []pageRoute {
	var out []pageRoute
	for _, group := range [][]pageRoute{w.dashboardRoutes(), w.searchRoutes(), w.itemRoutes(), w.compareRoutes(),
		w.settingsRoutes(), w.statusRoutes()} {
		out = append(out, group...)
	}
	return out
}

func (w *Web) static(rw http.ResponseWriter, r *http.Request) error {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		return err
	}
	rw.Header().Set("Cache-Control", "public, max-age=3600")
	r2 := r.Clone(r.Context())
	r2.URL.Path = "/" + r.PathValue("file")
	http.FileServerFS(sub).ServeHTTP(rw, r2)
	return nil
}
