package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/monkey"
)

func TestSettingsGolden(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, engine string) {
		b := setup(t, engine, options{})
		c := b.as(monkey.RoleAdmin)
		for _, tab := range []string{"accounts", "notifications", "whitelist", "ignorelist", "auditor", "scores", "users", "watchers", "tokens"} {
			r := c.get("/settings/" + tab)
			require.Equal(t, http.StatusOK, r.status, "%s: %s", tab, r.body)
			golden(t, "settings_"+tab, r.body)
		}
		// The action log's dates are the real clock's: checked, not golden.
		r := c.get("/settings/actionlog")
		require.Equal(t, http.StatusOK, r.status)
		checkHTML(t, r.body)
	})
}

var deleteForm = regexp.MustCompile(`action="(/settings/whitelist/\d+)/delete"`)

// TestSettingsRoundTrip: an Admin creates, edits and deletes a whitelist
// entry; a View user sees the list without forms and a forged form is
// refused.
func TestSettingsRoundTrip(t *testing.T) {
	t.Parallel()
	b := setup(t, "sqlite", options{})
	a := b.as(monkey.RoleAdmin)
	r := a.post("/settings/whitelist/create", url.Values{"name": {"office"}, "cidr": {"10.1.0.0/16"}, "notes": {"HQ"}})
	require.Equal(t, http.StatusSeeOther, r.status, r.body)
	require.Equal(t, "/settings/whitelist?done=created", r.header.Get("Location"))
	page := a.get("/settings/whitelist?done=created")
	require.Contains(t, page.body, "<td>10.1.0.0/16</td>")
	m := deleteForm.FindStringSubmatch(page.body)
	require.NotNil(t, m)
	r = a.post(m[1]+"/update", url.Values{"name": {"office"}, "cidr": {"10.2.0.0/16"}, "notes": {"moved"}})
	require.Equal(t, http.StatusSeeOther, r.status, r.body)
	require.Contains(t, a.get("/settings/whitelist").body, "<td>10.2.0.0/16</td>")
	// A bad CIDR is the API's error.
	r = a.post(m[1]+"/update", url.Values{"name": {"office"}, "cidr": {"not a cidr"}})
	require.Equal(t, http.StatusBadRequest, r.status)

	v := b.as(monkey.RoleView)
	page = v.get("/settings/whitelist")
	require.Contains(t, page.body, "<td>10.2.0.0/16</td>")
	require.NotContains(t, page.body, "/delete")
	require.Equal(t, http.StatusForbidden, v.post(m[1]+"/delete", nil).status)
	require.Equal(t, http.StatusForbidden, v.get("/settings/users").status)
	require.NotContains(t, page.body, `href="/settings/users"`)

	r = a.post(m[1]+"/delete", nil)
	require.Equal(t, http.StatusSeeOther, r.status, r.body)
	require.NotContains(t, a.get("/settings/whitelist").body, "10.2.0.0/16")

	// Accounts: edit one (its custom role), add one.
	r = a.post("/settings/accounts/"+fmt.Sprint(b.seed.dev.ID)+"/update", url.Values{"account_type": {"AWS"}, "name": {"dev"},
		"identifier": {"222222222222"}, "active": {"true"}, "custom_role_name": {"Auditor"}, "custom_external_id": {""}})
	require.Equal(t, http.StatusSeeOther, r.status, r.body)
	dev, err := b.st.Account(context.Background(), b.seed.dev.ID)
	require.NoError(t, err)
	require.Equal(t, "Auditor", dev.RoleName())
	require.Contains(t, a.get("/settings/accounts").body, `value="Auditor"`)
	r = a.post("/settings/accounts/create", url.Values{"account_type": {"AWS"}, "name": {"stage"}, "identifier": {"3333-3333-3333"},
		"active": {"true"}, "custom_role_name": {""}})
	require.Equal(t, http.StatusSeeOther, r.status, r.body)
	require.Contains(t, a.get("/settings/accounts").body, "<td>333333333333</td>")
	// Every custom field of the type is editable, so saving keeps them all.
	r = a.post("/settings/accounts/"+fmt.Sprint(b.seed.dev.ID)+"/update", url.Values{"account_type": {"AWS"}, "name": {"dev"},
		"identifier": {"222222222222"}, "active": {"true"}, "custom_role_name": {"Auditor"}, "custom_canonical_id": {"abc123"},
		"custom_s3_name": {"dev@example.com"}, "custom_external_id": {""}})
	require.Equal(t, http.StatusSeeOther, r.status, r.body)
	dev, err = b.st.Account(context.Background(), b.seed.dev.ID)
	require.NoError(t, err)
	require.Equal(t, map[string]string{"role_name": "Auditor", "canonical_id": "abc123", "s3_name": "dev@example.com"}, dev.Custom)
	require.Contains(t, a.get("/settings/accounts").body, `name="custom_canonical_id" type="text" value="abc123"`)
	// A GCP account from the new-account form, which holds every type's
	// fields: only the GCP ones are sent.
	r = a.post("/settings/accounts/create", url.Values{"account_type": {"GCP"}, "name": {"gcp-prod"}, "identifier": {"my-project"},
		"active": {"true"}, "custom_role_name": {""}, "custom_external_id": {""}, "custom_creds_file": {"/etc/monkey/gcp.json"}})
	require.Equal(t, http.StatusSeeOther, r.status, r.body)
	gcp, err := b.st.AccountByName(context.Background(), "gcp-prod")
	require.NoError(t, err)
	require.Equal(t, map[string]string{"creds_file": "/etc/monkey/gcp.json"}, gcp.Custom)
	page = a.get("/settings/accounts")
	require.Contains(t, page.body, `name="custom_creds_file" type="text" value="/etc/monkey/gcp.json"`)
	r = a.post("/settings/accounts/bulk", url.Values{"account": {"stage"}, "active": {"false"}})
	require.Equal(t, http.StatusSeeOther, r.status, r.body)
	stage, err := b.st.AccountByName(context.Background(), "stage")
	require.NoError(t, err)
	require.False(t, stage.Active)

	// Audit scores: override a check, add an account pattern, delete both.
	r = a.post("/settings/scores/create", url.Values{"check": {"s3|check_acl (S3Auditor)"}, "score": {"7"}})
	require.Equal(t, http.StatusSeeOther, r.status, r.body)
	page = a.get("/settings/scores")
	_, rest, ok := strings.Cut(page.body, `action="/settings/scores/`)
	require.True(t, ok)
	sid, _, _ := strings.Cut(rest, "/")
	require.Contains(t, page.body, `id="sc-score-`+sid+`" name="score" type="number" min="0" value="7"`)
	require.Contains(t, v.get("/settings/scores").body, `<td class="num">7</td>`, "a View user reads the score")
	require.NotContains(t, v.get("/settings/scores").body, `/settings/scores/`+sid+`/update`, "a View user gets no edit form")
	// Edited in place: score and disabling.
	r = a.post("/settings/scores/"+sid+"/update", url.Values{"technology": {"s3"}, "method": {"check_acl (S3Auditor)"},
		"score": {"4"}, "disabled": {"true"}})
	require.Equal(t, http.StatusSeeOther, r.status, r.body)
	page = v.get("/settings/scores")
	require.Contains(t, page.body, `<td class="num">4</td><td>yes</td>`)
	r = v.post("/settings/scores/"+sid+"/update", url.Values{"technology": {"s3"}, "method": {"check_acl (S3Auditor)"}, "score": {"1"}})
	require.Equal(t, http.StatusForbidden, r.status, "a View user cannot change a score")
	r = a.post("/settings/scores/"+sid+"/patterns", url.Values{"account_type": {"AWS"}, "account_field": {"name"},
		"account_pattern": {"prod*"}, "score": {"9"}})
	require.Equal(t, http.StatusSeeOther, r.status, r.body)
	require.Contains(t, v.get("/settings/scores").body, "AWS name ~ prod*: <strong>9</strong>")
	page = a.get("/settings/scores")
	_, rest, ok = strings.Cut(page.body, `action="/settings/patterns/`)
	require.True(t, ok)
	pid, _, _ := strings.Cut(rest, "/")
	r = a.post("/settings/patterns/"+pid+"/update", url.Values{"account_type": {"AWS"}, "account_field": {"name"},
		"account_pattern": {"prod*"}, "score": {"11"}})
	require.Equal(t, http.StatusSeeOther, r.status, r.body)
	require.Contains(t, v.get("/settings/scores").body, "AWS name ~ prod*: <strong>11</strong>")
	r = a.post("/settings/scores/"+sid+"/delete", nil)
	require.Equal(t, http.StatusSeeOther, r.status, r.body)
	require.Contains(t, a.get("/settings/scores").body, "No override")

	// Tokens: shown once on creation, then only their prefix.
	r = v.post("/settings/tokens/create", url.Values{"name": {"ci"}})
	require.Equal(t, http.StatusCreated, r.status, r.body)
	_, tok, ok := strings.Cut(r.body, `<p class="token">`)
	require.True(t, ok)
	tok, _, _ = strings.Cut(tok, "<")
	require.NotEmpty(t, tok)
	require.NotContains(t, v.get("/settings/tokens").body, tok)

	// Auditor settings: Justify may disable a category.
	j := b.as(monkey.RoleJustify)
	page = j.get("/settings/auditor")
	_, rest, ok = strings.Cut(page.body, `action="/settings/auditor/`)
	require.True(t, ok)
	id, _, _ := strings.Cut(rest, "/")
	r = j.post("/settings/auditor/"+id+"/update", url.Values{"disabled": {"true"}})
	require.Equal(t, http.StatusSeeOther, r.status, r.body)
	require.Contains(t, j.get("/settings/auditor").body, `value="false">Enable</button>`)
}
