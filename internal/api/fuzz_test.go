package api_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzQueryAndBody sends arbitrary query strings and bodies to the routes
// that parse them: bad input is a 4xx with a clear message, never a 500.
func FuzzQueryAndBody(f *testing.F) {
	b := setup(f, "sqlite", options{})
	token := b.users["Admin"].token
	targets := []struct{ method, path string }{
		{"GET", "/api/1/items"}, {"GET", "/api/1/issues"}, {"GET", "/api/1/revisions"}, {"GET", "/api/1/distinct/name"},
		{"GET", "/api/1/accounts"}, {"GET", "/api/1/auditorsettings"}, {"GET", "/api/1/users"},
		{"POST", "/api/1/accounts"}, {"PUT", "/api/1/accounts_bulk/batch"}, {"POST", "/api/1/whitelistcidrs"},
		{"POST", "/api/1/auditscores"}, {"POST", "/api/1/accountpatternauditscores"}, {"PUT", "/api/1/watcher_config/0"},
		{"POST", "/api/1/settings"}, {"POST", "/api/1/tokens"}, {"PUT", "/api/1/users/1"}, {"POST", "/login"},
		{"GET", "/api/1/revisions/1"}, {"POST", "/api/1/issues/1/justification"},
	}
	for i, seed := range []struct{ query, body string }{
		{"page=2&count=5&accounts=prod,dev&active=true", `{"name":"x","identifier":"111111111111"}`},
		{"ids=1,2,x&min_score=-1", `"{\"name\": \"y\"}"`},
		{"searchconfig=%25_%5C&summary=true", `{"score":"7","disabled":"true","method":"m","technology":"s3"}`},
		{"order_by=name&order_dir=asc&select2=a", `{"accounts":[1],"daily_audit_email":null,"change_report_setting":"ALL"}`},
		{"compare=999999999999999999999", `{"index":"s3","interval":"60","active":true,"remove_items":"x"}`},
		{"count=0", `[`}, {"page=-3", `{"expires":"99999999999h"}`}, {"", `{"id":1e999}`},
	} {
		f.Add(uint8(i), seed.query, seed.body)
	}
	f.Fuzz(func(t *testing.T, which uint8, query, body string) {
		target := targets[int(which)%len(targets)]
		r := httptest.NewRequest(target.method, target.path, strings.NewReader(body))
		r.URL.RawQuery = query
		r.Header.Set("Authorization", "Bearer "+token)
		r.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		b.srv.Handler().ServeHTTP(w, r)
		if w.Code >= http.StatusInternalServerError {
			t.Fatalf("%s %s?%s with %q: %d %s", target.method, target.path, query, body, w.Code, w.Body.String())
		}
	})
}
