package api_test

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
)

// newLateServer starts a test server whose handler is built later (when
// the handler needs the server's own URL).
func newLateServer(t *testing.T, h func() http.Handler) *httptest.Server {
	t.Helper()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h().ServeHTTP(w, r) }))
	t.Cleanup(ts.Close)
	return ts
}

func strconvFormat(n int64) string { return strconv.FormatInt(n, 10) }
