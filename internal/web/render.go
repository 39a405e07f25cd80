package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/secmonkey/monkey/internal/api"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/server"
)

// page is one parsed page: the layout with the page's blocks.
type page struct{ t *template.Template }

// parsePages parses templates/layout.html with each other template file.
func parsePages(fsys fs.FS) (map[string]*page, error) {
	layout, err := template.New("layout.html").Funcs(funcs()).ParseFS(fsys, "templates/layout.html")
	if err != nil {
		return nil, fmt.Errorf("web: parse layout: %w", err)
	}
	files, err := fs.Glob(fsys, "templates/*.html")
	if err != nil {
		return nil, err
	}
	out := map[string]*page{}
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		if name == "layout" {
			continue
		}
		t, err := template.Must(layout.Clone()).ParseFS(fsys, f)
		if err != nil {
			return nil, fmt.Errorf("web: parse %s: %w", f, err)
		}
		out[name] = &page{t: t}
	}
	return out, nil
}

// view is what every page template receives.
type view struct {
	Title string
	Nav   string // active navigation entry
	User  *monkey.User
	CSRF  string
	Path  string // request URI (sign-in's next)
	Now   time.Time
	// Notice is a confirmation shown above the page (from a known code).
	Notice string
	Data   any
}

// Can reports whether the signed-in user holds role (or above).
func (v view) Can(role string) bool {
	return v.User != nil && monkey.HasRole(v.User.Role, role)
}

// notices are the confirmations a form's redirect may ask for (?done=…);
// codes, not text, so a link cannot put words on the page.
var notices = map[string]string{
	"justified": "Justified.", "unjustified": "Justification removed.", "commented": "Comment added.",
	"comment-deleted": "Comment deleted.", "saved": "Saved.", "deleted": "Deleted.", "created": "Created.",
	"revoked": "Token revoked.", "updated": "Updated.",
}

// render writes page name with status.
func (w *Web) render(rw http.ResponseWriter, r *http.Request, status int, name, title, nav string, data any) error {
	p, ok := w.pages[name]
	if !ok {
		return fmt.Errorf("web: no page %q", name)
	}
	v := view{Title: title, Nav: nav, User: monkey.UserFromContext(r.Context()), CSRF: server.CSRFToken(r.Context()),
		Path: r.URL.RequestURI(), Now: w.d.Now().UTC(), Notice: notices[r.URL.Query().Get("done")], Data: data}
	var buf bytes.Buffer
	if err := p.t.ExecuteTemplate(&buf, "layout", v); err != nil {
		return fmt.Errorf("web: render %s: %w", name, err)
	}
	h := rw.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	rw.WriteHeader(status)
	_, err := rw.Write(buf.Bytes())
	return err
}

// ErrorPage answers a page's error as HTML (server.Deps.ErrorPage).
func (w *Web) ErrorPage(rw http.ResponseWriter, r *http.Request, status int, message string) {
	data := struct {
		Status  int
		Text    string
		Message string
	}{status, http.StatusText(status), message}
	if err := w.render(rw, r, status, "error", http.StatusText(status), "", data); err != nil {
		w.log.ErrorContext(r.Context(), "render error page", "error", err)
	}
}

// Login renders the sign-in page (api.Deps.LoginPage).
func (w *Web) Login(rw http.ResponseWriter, r *http.Request, status int, p api.LoginPage) error {
	return w.render(rw, r, status, "login", "Sign in", "login", p)
}

func funcs() template.FuncMap {
	return template.FuncMap{
		"ago":        ago,
		"at":         func(now, t time.Time) timeAt { return timeAt{Now: now, T: t} },
		"list":       func(s ...string) []string { return s },
		"mod":        func(a, b int) int { return a % b },
		"duration":   duration,
		"sides":      func(a, b compareSide) []compareSide { return []compareSide{a, b} },
		"int64":      func(i int) int64 { return int64(i) },
		"exact":      exact,
		"iso":        func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"level":      level,
		"pretty":     pretty,
		"join":       strings.Join,
		"add":        func(a, b int) int { return a + b },
		"deref":      func(s *string) string { return derefString(s) },
		"derefTime":  derefTime,
		"inc":        func(i int) int { return i + 1 },
		"pathEscape": url.PathEscape,
		"itoa":       func(i int64) string { return strconv.FormatInt(i, 10) },
		"truncate": func(n int, s string) string {
			if len([]rune(s)) <= n {
				return s
			}
			return string([]rune(s)[:n]) + "…"
		},
	}
}

func derefString(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func derefTime(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

// exact is a time in UTC, to the second.
func exact(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04:05 UTC")
}

// ago is t relative to now ("3 hours ago").
func ago(now, t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	d := now.Sub(t)
	future := d < 0
	if future {
		d = -d
	}
	var s string
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		s = plural(int(d/time.Minute), "minute")
	case d < 48*time.Hour:
		s = plural(int(d/time.Hour), "hour")
	case d < 60*24*time.Hour:
		s = plural(int(d/(24*time.Hour)), "day")
	case d < 730*24*time.Hour:
		s = plural(int(d/(30*24*time.Hour)), "month")
	default:
		s = plural(int(d/(365*24*time.Hour)), "year")
	}
	if future {
		return "in " + s
	}
	return s + " ago"
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return strconv.Itoa(n) + " " + unit + "s"
}

// level names a score's severity for its colour (the number is always
// shown beside it).
func level(score int) string {
	switch {
	case score >= 10:
		return "high"
	case score >= 5:
		return "medium"
	case score > 0:
		return "low"
	}
	return "none"
}

// pretty indents JSON for reading.
func pretty(raw []byte) string {
	if len(raw) == 0 {
		return "{}"
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, raw, "", "  "); err != nil {
		return string(raw)
	}
	return buf.String()
}

// splitList splits a comma-separated filter.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// timeAt is a time shown relative to now (template "time").
type timeAt struct{ Now, T time.Time }

// duration is the time between start and end ("" when either is unknown
// or the scan runs).
func duration(start, end *time.Time) string {
	if start == nil || end == nil || end.Before(*start) {
		return ""
	}
	return end.Sub(*start).Round(time.Second).String()
}
