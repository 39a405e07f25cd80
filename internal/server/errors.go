package server

import (
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/secmonkey/monkey/internal/monkey"
)

// StatusOf maps an error code to an HTTP status: the one place where
// application errors become statuses.
func StatusOf(code string) int {
	switch code {
	case monkey.EINVALID:
		return http.StatusBadRequest
	case monkey.ENOTFOUND:
		return http.StatusNotFound
	case monkey.ECONFLICT:
		return http.StatusConflict
	case monkey.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case monkey.EFORBIDDEN:
		return http.StatusForbidden
	case monkey.ETOOMANY:
		return http.StatusTooManyRequests
	case monkey.ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusInternalServerError
}

// retryAfter is implemented by errors that tell when to try again.
type retryAfter interface{ RetryAfter() time.Duration }

// writeError answers with the error's status and the spec's body: {key:
// message} (key = the route's ErrorKey, "status" by default), {"message":
// {field: text}} for a bad field, the auth block for 401. Internal errors
// are logged and answered without their text.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, rt Route, err error) {
	code := monkey.ErrorCode(err)
	status := StatusOf(code)
	var e *monkey.Error
	msg := http.StatusText(status)
	field := ""
	if code != monkey.EINTERNAL && errors.As(err, &e) {
		msg, field = e.Message, e.Field
	}
	var ra retryAfter
	if errors.As(err, &ra) {
		w.Header().Set("Retry-After", strconv.Itoa(int(ra.RetryAfter().Seconds())))
	}
	if code == monkey.EINTERNAL {
		s.log.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "error", err)
	} else {
		s.log.DebugContext(r.Context(), "request refused", "method", r.Method, "path", r.URL.Path, "status", status, "error", err)
	}
	if rt.Page && s.deps.ErrorPage != nil {
		if status == http.StatusUnauthorized {
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusFound)
			return
		}
		s.deps.ErrorPage(w, r, status, msg)
		return
	}
	body := map[string]any{}
	switch {
	case code == monkey.EINVALID && field != "":
		body["message"] = map[string]string{field: msg}
	default:
		body[rt.errorKey()] = msg
	}
	if status == http.StatusUnauthorized {
		body["auth"] = s.authBlock(r)
	}
	WriteJSON(w, status, body)
}

// logHandlerError logs errors a handler returns after it started writing.
func (s *Server) logHandlerError(r *http.Request, err error) {
	s.log.Log(r.Context(), slog.LevelError, "request failed after the answer started", "method", r.Method,
		"path", r.URL.Path, "error", err)
}
