package api_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestItemsRevisionsIssues(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, engine string) {
		b := setup(t, engine, options{})
		s := b.seed

		// Items: envelope, order (newest change first), shape, dates.
		m := b.as("View", req{method: "GET", path: "/api/1/items"}).json(t)
		require.EqualValues(t, 2, m["total"])
		require.EqualValues(t, 2, m["count"])
		require.EqualValues(t, 1, m["page"])
		items := m["items"].([]any)
		logs := items[0].(map[string]any)
		require.Equal(t, map[string]any{"id": float64(s.logs), "region": "us-east-1", "name": "logs", "account": "prod",
			"account_type": "AWS", "technology": "s3", "num_issues": 2.0, "issue_score": 15.0, "unjustified_issue_score": 15.0,
			"active": true, "first_seen": "2026-02-01 10:30:00", "last_seen": "2026-02-01 12:30:00.123456"}, logs)
		require.Equal(t, true, m["auth"].(map[string]any)["authenticated"])
		require.Equal(t, []any{map[string]any{"name": "View"}}, m["auth"].(map[string]any)["roles"])

		for q, want := range map[string]int{
			"?technologies=s3": 1, "?accounts=dev,prod": 2, "?accounts=nope": 0, "?regions=universal": 1,
			"?names=logs": 1, "?arns=arn:aws:s3:::logs": 1, "?ids=" + fmt.Sprint(s.admin): 1, "?active=false": 0,
			"?searchconfig=DENY": 1, "?min_score=11": 1, "?min_unjustified_score=16": 0, "?accounttypes=GCP": 0,
			"?page=2&count=1": 2, "?page=9": 2, "?count=5000": 2,
		} {
			m := b.as("View", req{method: "GET", path: "/api/1/items" + q}).json(t)
			require.EqualValues(t, want, m["total"], q)
		}
		m = b.as("View", req{method: "GET", path: "/api/1/items?page=9"}).json(t)
		require.Empty(t, m["items"], "a page past the end is empty")
		m = b.as("View", req{method: "GET", path: "/api/1/items?summary=true"}).json(t)
		require.NotContains(t, m["items"].([]any)[0], "first_seen")

		// Item detail: revisions newest first without configs, issues with
		// links, comments.
		m = b.as("View", req{method: "GET", path: fmt.Sprintf("/api/1/items/%d", s.logs)}).json(t)
		require.Equal(t, map[string]any{"id": float64(s.logs), "region": "us-east-1", "name": "logs", "account": "prod",
			"account_type": "AWS", "technology": "s3"}, m["item"])
		revs := m["revisions"].([]any)
		require.Len(t, revs, 2)
		require.Equal(t, float64(s.logsRevs[0]), revs[0].(map[string]any)["id"])
		require.NotContains(t, revs[0], "config")
		issues := m["issues"].([]any)
		require.Len(t, issues, 2)
		internet := issues[0].(map[string]any)
		require.Equal(t, "Internet Accessible", internet["issue"])
		require.Equal(t, []any{map[string]any{"id": float64(s.admin), "name": "admin"}}, internet["item_links"])
		require.Nil(t, internet["justified_user"])
		require.Equal(t, http.StatusNotFound, b.as("View", req{method: "GET", path: "/api/1/items/424242"}).status)
		require.Equal(t, http.StatusBadRequest, b.as("View", req{method: "GET", path: "/api/1/items/abc"}).status)

		// Revisions.
		m = b.as("View", req{method: "GET", path: "/api/1/revisions?technologies=s3"}).json(t)
		require.EqualValues(t, 2, m["total"])
		first := m["items"].([]any)[0].(map[string]any)
		require.Equal(t, float64(s.logsRevs[0]), first["id"])
		require.Equal(t, float64(s.logs), first["item_id"])
		require.Equal(t, "logs", first["name"])
		require.Equal(t, "prod", first["account"])
		m = b.as("View", req{method: "GET", path: fmt.Sprintf("/api/1/revisions/%d?compare=%d", s.logsRevs[0], s.logsRevs[1])}).json(t)
		require.Equal(t, map[string]any{"a": "<b>"}, m["config"].(map[string]any)["Tags"])
		require.Equal(t, []any{}, m["cloudtrail"])
		diff := m["diff_html"].(string)
		require.Contains(t, diff, `<tr class="changed"><td class="path">Policy.Statement.0.Effect</td>`)
		require.Contains(t, diff, `&#34;&lt;b&gt;&#34;`, "values are escaped")
		require.Contains(t, diff, `<tr class="added"><td class="path">Tags</td>`)
		m = b.as("View", req{method: "GET", path: fmt.Sprintf("/api/1/revisions/%d", s.logsRevs[0])}).json(t)
		require.NotContains(t, m, "diff_html")
		require.Equal(t, http.StatusNotFound, b.as("View", req{method: "GET", path: "/api/1/revisions/424242"}).status)

		// Issues: unjustified first then score; justify and unjustify.
		m = b.as("View", req{method: "GET", path: "/api/1/issues"}).json(t)
		require.EqualValues(t, 2, m["total"])
		e := m["items"].([]any)[0].(map[string]any)
		require.Equal(t, float64(s.internet), e["id"], "the issue id wins")
		require.Equal(t, float64(s.logs), e["item_id"])
		require.Equal(t, "logs", e["name"])
		require.Equal(t, "prod", e["account"])
		for q, want := range map[string]int{"?searchconfig=account:123": 1, "?searchconfig=internet,account:123": 2,
			"?justified=true": 0, "?enabledonly=true": 2, "?technologies=iamrole": 0, "?searchconfig=LOGS": 2} {
			m := b.as("View", req{method: "GET", path: "/api/1/issues" + q}).json(t)
			require.EqualValues(t, want, m["total"], q)
		}
		one := b.as("View", req{method: "GET", path: fmt.Sprintf("/api/1/issues/%d", s.internet)}).json(t)
		require.Equal(t, float64(s.logs), one["id"], "the item id wins (reference quirk)")
		require.Equal(t, "Internet Accessible", one["issue"])

		jpath := fmt.Sprintf("/api/1/issues/%d/justification", s.internet)
		require.Equal(t, http.StatusForbidden, b.as("View", req{method: "POST", path: jpath, body: map[string]string{"justification": "x"}}).status)
		got := b.as("Justify", req{method: "POST", path: jpath, body: map[string]string{"justification": "accepted risk"}})
		require.Equal(t, http.StatusOK, got.status, string(got.body))
		res := got.json(t)["result"].(map[string]any)
		require.Equal(t, true, res["justified"])
		require.Equal(t, "accepted risk", res["justification"])
		require.Equal(t, "justify@example.com", res["justified_user"])
		require.NotNil(t, res["justified_date"])
		m = b.as("View", req{method: "GET", path: "/api/1/items?ids=" + fmt.Sprint(s.logs)}).json(t)
		require.EqualValues(t, 5, m["items"].([]any)[0].(map[string]any)["unjustified_issue_score"])
		m = b.as("View", req{method: "GET", path: "/api/1/issues?justified=true"}).json(t)
		require.EqualValues(t, 1, m["total"])
		got = b.as("Justify", req{method: "POST", path: "/api/1/issues/424242/justification", body: map[string]string{"justification": "x"}})
		require.Equal(t, http.StatusNotFound, got.status)
		require.Equal(t, map[string]any{"Error": "Item with audit_id 424242 not found"}, got.json(t))
		got = b.as("Justify", req{method: "POST", path: jpath, body: map[string]string{}})
		require.Equal(t, http.StatusBadRequest, got.status)
		require.Equal(t, map[string]any{"message": map[string]any{"justification": "justification is required"}}, got.json(t))
		got = b.as("Justify", req{method: "DELETE", path: jpath})
		require.Equal(t, http.StatusAccepted, got.status)
		require.Equal(t, map[string]any{"status": "deleted"}, got.json(t))
		m = b.as("View", req{method: "GET", path: "/api/1/issues?justified=true"}).json(t)
		require.EqualValues(t, 0, m["total"])

		// The action log has both.
		m = b.as("Admin", req{method: "GET", path: "/api/1/auditlog?action=issue.justify,issue.unjustify"}).json(t)
		require.EqualValues(t, 2, m["total"])
		entry := m["items"].([]any)[1].(map[string]any)
		require.Equal(t, "issue.justify", entry["action"])
		require.Equal(t, "justify@example.com", entry["user"])
		require.Equal(t, fmt.Sprintf("issue %d", s.internet), entry["target"])
		require.Equal(t, "127.0.0.1", entry["source"])
		require.Equal(t, false, entry["before"].(map[string]any)["justified"])
		require.Equal(t, "accepted risk", entry["after"].(map[string]any)["justification"])
		m = b.as("Admin", req{method: "GET", path: "/api/1/auditlog?user=nobody@example.com"}).json(t)
		require.EqualValues(t, 0, m["total"])
	})
}

func TestComments(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, engine string) {
		b := setup(t, engine, options{})
		s := b.seed
		path := fmt.Sprintf("/api/1/items/%d/comments", s.logs)
		got := b.as("Comment", req{method: "POST", path: path, body: map[string]string{"text": "looks <fine>"}})
		require.Equal(t, http.StatusCreated, got.status, string(got.body))
		c := got.json(t)
		require.Equal(t, "looks <fine>", c["text"])
		require.Equal(t, "comment@example.com", c["user"])
		require.Equal(t, float64(s.logs), c["item_id"])
		cpath := fmt.Sprintf("%s/%v", path, c["id"])
		require.Equal(t, c, b.as("View", req{method: "GET", path: cpath}).json(t))
		got = b.as("View", req{method: "GET", path: fmt.Sprintf("/api/1/items/%d/comments/%v", s.admin, c["id"])})
		require.Equal(t, map[string]any{"status": "Item Comment Not Found"}, got.json(t), "a comment of another item")
		require.Equal(t, http.StatusBadRequest, b.as("Comment", req{method: "POST", path: path, body: `{"text": ""}`}).status)
		require.Equal(t, http.StatusNotFound, b.as("Comment", req{method: "POST", path: "/api/1/items/424242/comments",
			body: map[string]string{"text": "x"}}).status)
		m := b.as("View", req{method: "GET", path: fmt.Sprintf("/api/1/items/%d", s.logs)}).json(t)
		require.Len(t, m["comments"], 1)

		// Justify users delete their own comments; Admins any.
		got = b.as("Justify", req{method: "DELETE", path: cpath})
		require.Equal(t, http.StatusForbidden, got.status)
		got = b.as("Admin", req{method: "DELETE", path: cpath})
		require.Equal(t, http.StatusAccepted, got.status)
		require.Equal(t, map[string]any{"result": "success"}, got.json(t))
		require.Equal(t, http.StatusNotFound, b.as("View", req{method: "GET", path: cpath}).status)

		// Revision comments.
		rpath := fmt.Sprintf("/api/1/revisions/%d/comments", s.logsRevs[0])
		got = b.as("Comment", req{method: "POST", path: rpath, body: map[string]string{"text": "rev"}})
		require.Equal(t, http.StatusOK, got.status, string(got.body))
		rc := got.json(t)
		require.Equal(t, float64(s.logsRevs[0]), rc["revision_id"])
		rcpath := fmt.Sprintf("%s/%v", rpath, rc["id"])
		require.Equal(t, http.StatusForbidden, b.as("View", req{method: "GET", path: rcpath}).status)
		require.Equal(t, rc, b.as("Comment", req{method: "GET", path: rcpath}).json(t))
		m = b.as("View", req{method: "GET", path: fmt.Sprintf("/api/1/revisions/%d", s.logsRevs[0])}).json(t)
		require.Len(t, m["comments"], 1)
		got = b.as("Comment", req{method: "DELETE", path: rcpath})
		require.Equal(t, map[string]any{"status": "deleted"}, got.json(t))
		got = b.as("Comment", req{method: "GET", path: rcpath})
		require.Equal(t, map[string]any{"status": "Revision Comment Not Found"}, got.json(t))
	})
}

func TestDistinctExportsTechMethods(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, engine string) {
		b := setup(t, engine, options{})
		m := b.as("View", req{method: "GET", path: "/api/1/distinct/tech"}).json(t)
		require.Equal(t, []any{"iamrole", "s3"}, m["items"])
		require.Equal(t, "tech", m["key_id"])
		require.EqualValues(t, 2, m["total"])
		m = b.as("View", req{method: "GET", path: "/api/1/distinct/account?select2=PR"}).json(t)
		require.Equal(t, []any{map[string]any{"id": float64(b.seed.logs), "text": "prod"}}, m["items"])
		m = b.as("View", req{method: "GET", path: "/api/1/distinct/region?technologies=s3"}).json(t)
		require.Equal(t, []any{"us-east-1"}, m["items"])
		got := b.as("View", req{method: "GET", path: "/api/1/distinct/color"})
		require.Equal(t, http.StatusBadRequest, got.status)
		require.Equal(t, "Supply key in type,region,account,name,arn", got.json(t)["error"])

		got = b.as("View", req{method: "GET", path: "/api/1/export/items"})
		require.Equal(t, http.StatusOK, got.status)
		require.Equal(t, "text/csv; charset=utf-8", got.header.Get("Content-Type"))
		require.Contains(t, got.header.Get("Content-Disposition"), "security-monkey-items.csv")
		require.Equal(t, `"technology/name","account/name","account/identifier","region","name","issues","comments"`+"\r\n"+
			`"s3","prod","111111111111","us-east-1","logs","2","0"`+"\r\n"+
			`"iamrole","dev","222222222222","universal","admin","0","0"`+"\r\n", string(got.body))
		got = b.as("View", req{method: "GET", path: "/api/1/export/issues?searchconfig=account:123"})
		rows, err := csv.NewReader(strings.NewReader(string(got.body))).ReadAll()
		require.NoError(t, err)
		require.Len(t, rows, 2)
		require.Equal(t, []string{"s3", "prod", "111111111111", "us-east-1", "logs", "0", "5", "Unknown Access",
			"Entity: [account:123]", "false", "", ""}, rows[1])

		m = b.as("View", req{method: "GET", path: "/api/1/techmethods/anything"}).json(t)
		require.Equal(t, map[string]any{"s3": []any{"check_acl (S3Auditor)", "check_policy (S3Auditor)"},
			"iamrole": []any{"check_star (IAMRoleAuditor)"}}, m["tech_methods"])
	})
}

func TestAccounts(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, engine string) {
		b := setup(t, engine, options{})
		// The reference UI double-encodes: a JSON string holding the object.
		body := `"{\"account_type\": \"AWS\", \"name\": \"stage\", \"identifier\": \"3333-4444-5555\", \"notes\": \"n\", \"active\": true, \"third_party\": false, \"custom_fields\": {\"role_name\": \"Monkey\", \"s3_name\": null}}"`
		got := b.as("Admin", req{method: "POST", path: "/api/1/accounts", body: body})
		require.Equal(t, http.StatusOK, got.status, string(got.body))
		acct := got.json(t)
		require.Equal(t, "333344445555", acct["identifier"], "hyphens removed")
		id := acct["id"]
		m := b.as("View", req{method: "GET", path: fmt.Sprintf("/api/1/accounts/%v", id)}).json(t)
		require.Equal(t, []any{map[string]any{"name": "role_name", "value": "Monkey"}}, m["custom_fields"])
		got = b.as("Admin", req{method: "POST", path: "/api/1/accounts", body: map[string]any{"name": "stage", "identifier": "999999999999"}})
		require.Equal(t, http.StatusConflict, got.status)
		require.Equal(t, "error. Account name exists.", got.json(t)["status"])
		got = b.as("Admin", req{method: "POST", path: "/api/1/accounts", body: map[string]any{"name": "x", "identifier": "12"}})
		require.Equal(t, http.StatusBadRequest, got.status)
		require.Contains(t, got.json(t)["message"], "identifier")
		got = b.as("Admin", req{method: "PUT", path: fmt.Sprintf("/api/1/accounts/%v", id), body: map[string]any{"name": "prod"}})
		require.Equal(t, http.StatusConflict, got.status)
		got = b.as("Admin", req{method: "PUT", path: "/api/1/accounts/424242", body: map[string]any{"name": "zzz"}})
		require.Equal(t, map[string]any{"status": "error. Account ID not found."}, got.json(t))
		got = b.as("Admin", req{method: "PUT", path: fmt.Sprintf("/api/1/accounts/%v", id), body: map[string]any{"notes": "changed", "active": false}})
		require.Equal(t, http.StatusOK, got.status, string(got.body))
		require.Equal(t, "changed", got.json(t)["notes"])

		m = b.as("View", req{method: "GET", path: "/api/1/accounts?order_by=name&order_dir=asc"}).json(t)
		var names []string
		for _, a := range m["items"].([]any) {
			names = append(names, a.(map[string]any)["name"].(string))
		}
		require.Equal(t, []string{"dev", "prod", "stage"}, names)
		m = b.as("View", req{method: "GET", path: "/api/1/accounts?active=false"}).json(t)
		require.EqualValues(t, 1, m["total"])
		require.Equal(t, http.StatusBadRequest, b.as("View", req{method: "GET", path: "/api/1/accounts?order_by=password"}).status)

		got = b.as("Admin", req{method: "PUT", path: "/api/1/accounts_bulk/batch", body: `"{\"stage\": true, \"dev\": false}"`})
		require.Equal(t, map[string]any{"status": "updated"}, got.json(t))
		m = b.as("View", req{method: "GET", path: "/api/1/accounts?active=false"}).json(t)
		require.Equal(t, "dev", m["items"].([]any)[0].(map[string]any)["name"])
		got = b.as("Admin", req{method: "PUT", path: "/api/1/accounts_bulk/batch", body: map[string]bool{"nope": true}})
		require.Equal(t, http.StatusNotFound, got.status)

		m = b.as("View", req{method: "GET", path: "/api/1/account_config/all"}).json(t)
		aws := m["custom_configs"].(map[string]any)["AWS"].(map[string]any)
		require.Equal(t, "identifier", aws["fields"].([]any)[0].(map[string]any)["name"])
		m = b.as("View", req{method: "GET", path: "/api/1/account_config/custom"}).json(t)
		require.Equal(t, "canonical_id", m["custom_configs"].(map[string]any)["AWS"].(map[string]any)["fields"].([]any)[0].(map[string]any)["name"])

		// A new account type drops the issues of auditors that no longer
		// apply (the seeded technologies are AWS ones).
		got = b.as("Admin", req{method: "PUT", path: fmt.Sprintf("/api/1/accounts/%d", b.seed.prod.ID),
			body: map[string]any{"account_type": "GitHub", "identifier": "octo-org"}})
		require.Equal(t, http.StatusOK, got.status, string(got.body))
		m = b.as("View", req{method: "GET", path: "/api/1/issues?accounts=prod"}).json(t)
		require.EqualValues(t, 0, m["total"])
		m = b.as("View", req{method: "GET", path: "/api/1/items?accounts=prod"}).json(t)
		require.EqualValues(t, 0, m["items"].([]any)[0].(map[string]any)["issue_score"])

		// Deleting an account deletes its items.
		got = b.as("Admin", req{method: "DELETE", path: fmt.Sprintf("/api/1/accounts/%d", b.seed.prod.ID)})
		require.Equal(t, map[string]any{"status": "deleted"}, got.json(t))
		m = b.as("View", req{method: "GET", path: "/api/1/items"}).json(t)
		require.EqualValues(t, 1, m["total"])
	})
}

func TestSettingsLists(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, engine string) {
		b := setup(t, engine, options{})
		// Whitelist.
		got := b.as("Admin", req{method: "POST", path: "/api/1/whitelistcidrs", body: map[string]string{"name": "office", "cidr": "10.0.0.0/8"}})
		require.Equal(t, http.StatusCreated, got.status, string(got.body))
		wid := got.json(t)["id"]
		got = b.as("Admin", req{method: "POST", path: "/api/1/whitelistcidrs", body: map[string]string{"name": "bad", "cidr": "10.0.0.0/99"}})
		require.Equal(t, http.StatusBadRequest, got.status)
		require.Contains(t, got.json(t)["message"], "cidr")
		require.Equal(t, http.StatusForbidden, b.as("View", req{method: "GET", path: fmt.Sprintf("/api/1/whitelistcidrs/%v", wid)}).status)
		got = b.as("Admin", req{method: "PUT", path: fmt.Sprintf("/api/1/whitelistcidrs/%v", wid), body: map[string]string{"notes": "HQ"}})
		require.Equal(t, "HQ", got.json(t)["notes"])
		m := b.as("View", req{method: "GET", path: "/api/1/whitelistcidrs"}).json(t)
		require.EqualValues(t, 1, m["total"])
		require.Equal(t, map[string]any{"status": "deleted"},
			b.as("Admin", req{method: "DELETE", path: fmt.Sprintf("/api/1/whitelistcidrs/%v", wid)}).json(t))
		require.Equal(t, map[string]any{"status": "Whitelist entry with the given ID not found."},
			b.as("Admin", req{method: "GET", path: fmt.Sprintf("/api/1/whitelistcidrs/%v", wid)}).json(t))

		// Ignore list.
		got = b.as("Admin", req{method: "POST", path: "/api/1/ignorelistentries", body: map[string]string{"prefix": "tmp-", "technology": "s3"}})
		require.Equal(t, http.StatusCreated, got.status, string(got.body))
		require.Equal(t, "s3", got.json(t)["technology"])
		got = b.as("Admin", req{method: "POST", path: "/api/1/ignorelistentries", body: map[string]string{"prefix": "x", "technology": "nope"}})
		require.Equal(t, http.StatusBadRequest, got.status)
		require.Equal(t, "Could not find a technology with the given name", got.json(t)["status"])
		got = b.as("View", req{method: "GET", path: "/api/1/ignorelistentries/424242"})
		require.Equal(t, map[string]any{"status": "Ignorelist entry with the given ID not found."}, got.json(t))

		// Auditor settings: disabling a category drops its issues from the
		// item page and the scores.
		m = b.as("View", req{method: "GET", path: "/api/1/auditorsettings?order_by=issue_count&order_dir=Asc"}).json(t)
		require.EqualValues(t, 2, m["total"])
		first := m["items"].([]any)[0].(map[string]any)
		require.Equal(t, "prod", first["account"])
		require.EqualValues(t, 1, first["count"])
		got = b.as("Justify", req{method: "PUT", path: fmt.Sprintf("/api/1/auditorsettings/%v", first["id"]), body: map[string]bool{"disabled": true}})
		require.Equal(t, http.StatusOK, got.status, string(got.body))
		require.Equal(t, "200\n", string(got.body))
		m = b.as("View", req{method: "GET", path: "/api/1/auditorsettings?enabled=false"}).json(t)
		require.EqualValues(t, 1, m["total"])
		m = b.as("View", req{method: "GET", path: fmt.Sprintf("/api/1/items/%d", b.seed.logs)}).json(t)
		require.Len(t, m["issues"], 1)

		// Audit scores and account patterns.
		got = b.as("Admin", req{method: "POST", path: "/api/1/auditscores", body: map[string]any{"method": "check_acl (S3Auditor)", "technology": "s3", "score": "7", "disabled": false}})
		require.Equal(t, http.StatusCreated, got.status, string(got.body))
		sc := got.json(t)
		require.Equal(t, "7", sc["score"])
		got = b.as("Admin", req{method: "POST", path: "/api/1/auditscores", body: map[string]any{"method": "check_nope (S3Auditor)", "technology": "s3", "disabled": false}})
		require.Equal(t, http.StatusBadRequest, got.status)
		got = b.as("Admin", req{method: "POST", path: "/api/1/accountpatternauditscores", body: map[string]any{
			"account_type": "AWS", "account_field": "name", "account_pattern": "prod*", "score": 3, "itemauditscores_id": sc["id"]}})
		require.Equal(t, http.StatusCreated, got.status, string(got.body))
		pid := got.json(t)["id"]
		got = b.as("Admin", req{method: "POST", path: "/api/1/accountpatternauditscores", body: map[string]any{
			"account_field": "name", "account_pattern": "x", "score": 3, "itemauditscores_id": 424242}})
		require.Equal(t, map[string]any{"status": "Audit Score ID not found."}, got.json(t))
		m = b.as("View", req{method: "GET", path: fmt.Sprintf("/api/1/auditscores/%v/accountpatternauditscores", sc["id"])}).json(t)
		require.Equal(t, "3", m["items"].([]any)[0].(map[string]any)["score"])
		got = b.as("Admin", req{method: "PUT", path: fmt.Sprintf("/api/1/accountpatternauditscores/%v", pid), body: map[string]any{"score": "9"}})
		require.Equal(t, "9", got.json(t)["score"])
		got = b.as("Admin", req{method: "DELETE", path: fmt.Sprintf("/api/1/auditscores/%v", sc["id"])})
		require.Equal(t, http.StatusAccepted, got.status)
		got = b.as("View", req{method: "GET", path: fmt.Sprintf("/api/1/accountpatternauditscores/%v", pid)})
		require.Equal(t, http.StatusNotFound, got.status, "patterns go with their override")

		// Watcher config: synthetic rows, then a stored one; remove items.
		m = b.as("Admin", req{method: "GET", path: "/api/1/watcher_config"}).json(t)
		require.Equal(t, []any{map[string]any{"id": 0.0, "index": "iamrole", "interval": "60", "active": true},
			map[string]any{"id": 0.0, "index": "s3", "interval": "60", "active": true}}, m["items"])
		got = b.as("Admin", req{method: "PUT", path: "/api/1/watcher_config/0", body: map[string]any{"index": "s3", "interval": 1440, "active": true}})
		require.Equal(t, http.StatusOK, got.status, string(got.body))
		got = b.as("Admin", req{method: "PUT", path: "/api/1/watcher_config/0", body: map[string]any{"index": "s3", "interval": 7, "active": true}})
		require.Equal(t, http.StatusBadRequest, got.status)
		m = b.as("Admin", req{method: "GET", path: "/api/1/watcher_config"}).json(t)
		s3 := m["items"].([]any)[1].(map[string]any)
		require.Equal(t, "1440", s3["interval"])
		require.NotEqual(t, 0.0, s3["id"])
		got = b.as("Admin", req{method: "PUT", path: fmt.Sprintf("/api/1/watcher_config/%v", s3["id"]),
			body: map[string]any{"index": "s3", "interval": "60", "active": false, "remove_items": true}})
		require.Equal(t, http.StatusOK, got.status, string(got.body))
		m = b.as("View", req{method: "GET", path: "/api/1/items?technologies=s3"}).json(t)
		require.EqualValues(t, 0, m["total"], "items of the technology removed")
		cfgs, err := b.st.ListWatcherConfigs(context.Background())
		require.NoError(t, err)
		require.Equal(t, false, cfgs[0].Active, "the scheduler reads it at its next tick")
	})
}

func TestUsersRolesOwnSettingsTokens(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, engine string) {
		b := setup(t, engine, options{})
		m := b.as("Admin", req{method: "GET", path: "/api/1/users?order_by=email&order_dir=asc&count=2"}).json(t)
		require.EqualValues(t, 4, m["total"])
		require.EqualValues(t, 2, m["count"])
		users := m["users"].([]any)
		require.Equal(t, "admin@example.com", users[0].(map[string]any)["email"])
		require.NotContains(t, users[0], "password_hash")
		require.NotContains(t, string(b.as("Admin", req{method: "GET", path: "/api/1/users"}).body), "argon2")

		view := b.users["View"].user
		path := fmt.Sprintf("/api/1/users/%d", view.ID)
		got := b.as("Admin", req{method: "PUT", path: path, body: map[string]any{"id": view.ID, "email": "changed@example.com", "active": true, "role_id": "Justify"}})
		require.Equal(t, http.StatusAccepted, got.status, string(got.body))
		u, err := b.st.User(context.Background(), view.ID)
		require.NoError(t, err)
		require.Equal(t, "Justify", u.Role)
		require.Equal(t, "view@example.com", u.Email, "the e-mail is not changed")
		got = b.as("Admin", req{method: "PUT", path: path, body: map[string]any{"id": 1234, "role_id": "View"}})
		require.Equal(t, map[string]any{"status": "User ID cannot be modified."}, got.json(t))
		got = b.as("Admin", req{method: "PUT", path: path, body: map[string]any{"role_id": "Boss"}})
		require.Equal(t, map[string]any{"status": "Specified Role not found."}, got.json(t))
		admin := b.users["Admin"].user
		got = b.as("Admin", req{method: "PUT", path: fmt.Sprintf("/api/1/users/%d", admin.ID), body: map[string]any{"role_id": "View"}})
		require.Equal(t, map[string]any{"status": "Cannot modify own user account."}, got.json(t))
		got = b.as("Admin", req{method: "DELETE", path: fmt.Sprintf("/api/1/users/%d", admin.ID)})
		require.Equal(t, http.StatusForbidden, got.status)
		got = b.as("Admin", req{method: "PUT", path: "/api/1/users/424242", body: map[string]any{"role_id": "View"}})
		require.Equal(t, map[string]any{"status": "User entry with the given ID not found."}, got.json(t))

		// The new role applies to the user's token at once; disabling the
		// user closes the token.
		require.Equal(t, http.StatusOK, b.as("View", req{method: "GET", path: "/api/1/auditorsettings"}).status)
		got = b.as("View", req{method: "POST", path: fmt.Sprintf("/api/1/issues/%d/justification", b.seed.unkwn), body: map[string]string{"justification": "ok"}})
		require.Equal(t, http.StatusOK, got.status, "now Justify")
		got = b.as("Admin", req{method: "PUT", path: path, body: map[string]any{"active": false}})
		require.Equal(t, http.StatusAccepted, got.status)
		require.Equal(t, http.StatusUnauthorized, b.as("View", req{method: "GET", path: "/api/1/items"}).status)

		m = b.as("Admin", req{method: "GET", path: "/api/1/roles"}).json(t)
		require.Equal(t, []any{map[string]any{"name": "anonymous"}, map[string]any{"name": "View"}, map[string]any{"name": "Comment"},
			map[string]any{"name": "Justify"}, map[string]any{"name": "Admin"}}, m["roles"])

		// Own settings.
		m = b.as("Comment", req{method: "GET", path: "/api/1/settings"}).json(t)
		require.Equal(t, []any{map[string]any{"daily_audit_email": false, "change_reports": "NONE", "accounts": []any{}}}, m["settings"])
		got = b.as("Comment", req{method: "POST", path: "/api/1/settings", body: map[string]any{"accounts": []int64{b.seed.prod.ID}, "daily_audit_email": true}})
		require.Equal(t, http.StatusBadRequest, got.status)
		require.Contains(t, got.json(t)["message"], "change_report_setting")
		got = b.as("Comment", req{method: "POST", path: "/api/1/settings", body: map[string]any{"accounts": []int64{b.seed.prod.ID},
			"daily_audit_email": true, "change_report_setting": "ISSUES"}})
		require.Equal(t, http.StatusOK, got.status, string(got.body))
		require.Equal(t, map[string]any{"accounts": []any{float64(b.seed.prod.ID)}, "change_report_setting": "ISSUES",
			"daily_audit_email": true}, got.json(t)["settings"])
		got = b.as("Comment", req{method: "POST", path: "/api/1/settings", body: map[string]any{"accounts": nil,
			"daily_audit_email": nil, "change_report_setting": "BOGUS"}})
		require.Equal(t, http.StatusBadRequest, got.status)

		// Own tokens.
		got = b.as("Comment", req{method: "POST", path: "/api/1/tokens", body: map[string]any{"name": "ci", "expires": "30d"}})
		require.Equal(t, http.StatusCreated, got.status, string(got.body))
		tok := got.json(t)
		secret := tok["token"].(string)
		require.True(t, strings.HasPrefix(secret, "smk_"))
		require.NotNil(t, tok["expires"])
		require.Equal(t, http.StatusOK, b.do(req{method: "GET", path: "/api/1/items", bearer: secret}).status)
		m = b.as("Comment", req{method: "GET", path: "/api/1/tokens"}).json(t)
		require.Len(t, m["tokens"], 2)
		require.NotContains(t, string(b.as("Comment", req{method: "GET", path: "/api/1/tokens"}).body), secret)
		got = b.as("Justify", req{method: "DELETE", path: fmt.Sprintf("/api/1/tokens/%v", tok["id"])})
		require.Equal(t, http.StatusNotFound, got.status, "not Justify's token")
		got = b.as("Comment", req{method: "DELETE", path: fmt.Sprintf("/api/1/tokens/%v", tok["id"])})
		require.Equal(t, http.StatusAccepted, got.status)
		got = b.do(req{method: "GET", path: "/api/1/items", bearer: secret})
		require.Equal(t, http.StatusUnauthorized, got.status, "revoked")
		require.Equal(t, http.StatusBadRequest, b.as("Comment", req{method: "POST", path: "/api/1/tokens", body: map[string]any{"expires": "soon"}}).status)

		m = b.as("Admin", req{method: "GET", path: "/api/1/auditlog?action=user.update,settings.update,token.create,token.revoke"}).json(t)
		require.EqualValues(t, 5, m["total"])
	})
}

func TestBadInput(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, engine string) {
		b := setup(t, engine, options{})
		for _, tc := range []struct {
			name   string
			r      req
			status int
			field  string
		}{
			{"malformed json", req{method: "POST", path: "/api/1/whitelistcidrs", body: `{"name": `}, 400, ""},
			{"wrong type names the field", req{method: "POST", path: "/api/1/whitelistcidrs", body: `{"name": 5, "cidr": "1.2.3.4/32"}`}, 400, "name"},
			{"not an object", req{method: "POST", path: "/api/1/whitelistcidrs", body: `[1,2]`}, 400, "body"},
			{"trailing data", req{method: "POST", path: "/api/1/whitelistcidrs", body: `{} {}`}, 400, ""},
			{"empty body", req{method: "POST", path: "/api/1/whitelistcidrs", body: ``}, 400, ""},
			{"body over 1 MiB", req{method: "POST", path: "/api/1/whitelistcidrs", body: `{"notes": "` + strings.Repeat("x", 1<<20) + `"}`}, 413, ""},
			{"non-numeric page", req{method: "GET", path: "/api/1/items?page=abc"}, 400, "page"},
			{"zero page", req{method: "GET", path: "/api/1/items?page=0"}, 400, "page"},
			{"non-numeric count", req{method: "GET", path: "/api/1/issues?count=1e3"}, 400, "count"},
			{"non-numeric id", req{method: "GET", path: "/api/1/accounts/x1"}, 400, "id"},
			{"huge id", req{method: "GET", path: "/api/1/accounts/99999999999999999999"}, 400, "id"},
			{"non-numeric ids", req{method: "GET", path: "/api/1/items?ids=1,two"}, 400, "ids"},
			{"non-numeric min_score", req{method: "GET", path: "/api/1/items?min_score=high"}, 400, "min_score"},
			{"unknown account", req{method: "GET", path: "/api/1/accounts/424242"}, 404, ""},
			{"bad score", req{method: "POST", path: "/api/1/auditscores", body: `{"method": "m", "technology": "s3", "score": "lots", "disabled": false}`}, 400, ""},
			{"bad bool", req{method: "PUT", path: "/api/1/auditorsettings/1", body: `{"disabled": "maybe"}`}, 400, ""},
			{"bad role", req{method: "PUT", path: "/api/1/users/1", body: `{"role_id": 7}`}, 400, "role_id"},
		} {
			got := b.as("Admin", tc.r)
			require.Equal(t, tc.status, got.status, "%s: %s", tc.name, got.body)
			if tc.field != "" {
				require.Contains(t, got.json(t)["message"], tc.field, tc.name)
			}
		}
		m := b.as("View", req{method: "GET", path: "/api/1/items?count=100000"}).json(t)
		require.EqualValues(t, 2, m["count"], "count is capped, not refused")
	})
}
