package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/server"
)

// call runs the API route "METHOD pattern" in process for a form of the
// request r: the same signed-in user, path values and a JSON body. The
// role and the CSRF token were checked on the page route, which has the
// API route's role. It returns the API's answer body, or its error.
func (w *Web) call(r *http.Request, route string, path map[string]string, body any) ([]byte, error) {
	return w.callQuery(r, route, path, nil, body)
}

// read runs the GET API route in process with query and decodes its
// answer into out: the pages read what the API answers, with its queries.
func (w *Web) read(r *http.Request, route string, path map[string]string, query url.Values, out any) error {
	b, err := w.callQuery(r, route, path, query, nil)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("web: decode %s: %w", route, err)
	}
	return nil
}

func (w *Web) callQuery(r *http.Request, route string, path map[string]string, query url.Values, body any) ([]byte, error) {
	rt, ok := w.api[route]
	if !ok {
		return nil, fmt.Errorf("web: no API route %s", route)
	}
	var rd io.Reader = http.NoBody
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, fmt.Errorf("web: encode %s: %w", route, err)
		}
		rd = bytes.NewReader(b)
	}
	target := rt.Pattern
	for k, v := range path {
		target = strings.Replace(target, "{"+k+"}", url.PathEscape(v), 1)
	}
	if len(query) > 0 {
		target += "?" + query.Encode()
	}
	req, err := http.NewRequestWithContext(r.Context(), rt.Method, target, rd)
	if err != nil {
		return nil, fmt.Errorf("web: request %s: %w", route, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.RemoteAddr = r.RemoteAddr
	for k, v := range path {
		req.SetPathValue(k, v)
	}
	if !monkey.HasRole(monkey.RoleFromContext(r.Context()), rt.Role) {
		return nil, monkey.Errorf(monkey.EFORBIDDEN, "your role does not allow this")
	}
	rec := &recorder{header: http.Header{}, Code: http.StatusOK}
	if err := rt.Handler(rec, req); err != nil {
		return nil, err
	}
	if rec.Code >= 400 {
		return nil, apiError(rec.Code, rec.body.Bytes())
	}
	return rec.body.Bytes(), nil
}

// apiError turns an API error answer into an application error with the
// API's message.
func apiError(status int, body []byte) error {
	var m map[string]any
	msg := http.StatusText(status)
	if json.Unmarshal(body, &m) == nil {
		for _, k := range []string{"status", "message", "Error", "error"} {
			switch v := m[k].(type) {
			case string:
				msg = v
			case map[string]any:
				for _, t := range v {
					if s, ok := t.(string); ok {
						msg = s
					}
				}
			}
		}
	}
	code := monkey.EINTERNAL
	switch status {
	case http.StatusBadRequest:
		code = monkey.EINVALID
	case http.StatusNotFound:
		code = monkey.ENOTFOUND
	case http.StatusConflict:
		code = monkey.ECONFLICT
	case http.StatusForbidden:
		code = monkey.EFORBIDDEN
	}
	return monkey.Errorf(code, "%s", msg)
}

// back redirects (303) to the page the form came from, with a notice code.
func back(w http.ResponseWriter, r *http.Request, to, done string) {
	to = server.SafeNext(to, "/")
	if done != "" {
		to, frag, _ := strings.Cut(to, "#")
		sep := "?"
		if strings.Contains(to, "?") {
			sep = "&"
		}
		to += sep + "done=" + url.QueryEscape(done)
		if frag != "" {
			to += "#" + frag
		}
		http.Redirect(w, r, to, http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

var errNoForm = errors.New("web: cannot read the form")

// form parses the posted form (EINVALID when it cannot).
func form(r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return monkey.Errorf(monkey.EINVALID, "%s", errNoForm.Error())
	}
	return nil
}

// recorder keeps an in-process API answer.
type recorder struct {
	header http.Header
	Code   int
	body   bytes.Buffer
	wrote  bool
}

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) WriteHeader(code int) {
	if !r.wrote {
		r.Code, r.wrote = code, true
	}
}
func (r *recorder) Write(b []byte) (int, error) {
	r.wrote = true
	return r.body.Write(b)
}
