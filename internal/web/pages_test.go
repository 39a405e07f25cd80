package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/web"
)

// TestPagesGolden renders every page, empty and with data, on both
// engines, against the golden HTML.
func TestPagesGolden(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, engine string) {
		for _, empty := range []bool{true, false} {
			b := setup(t, engine, options{empty: empty})
			c := b.as(monkey.RoleJustify)
			suffix := ""
			if empty {
				suffix = "_empty"
			}
			pages := []struct{ name, path string }{
				{"dashboard", "/"},
				{"search_items", "/search?type=items&active=true"},
				{"search_revisions", "/search?type=revisions"},
				{"search_issues", "/search?type=issues&technologies=s3"},
				{"search_justified", "/search?type=justified"},
			}
			if !empty {
				pages = append(pages,
					struct{ name, path string }{"item", fmt.Sprintf("/items/%d", b.seed.logs)},
					struct{ name, path string }{"compare", fmt.Sprintf("/compare?left=%d&right=%d", b.seed.logsRevs[1], b.seed.logsRevs[0])},
				)
			}
			for _, p := range pages {
				r := c.get(p.path)
				require.Equal(t, http.StatusOK, r.status, "%s: %s", p.path, r.body)
				golden(t, p.name+suffix, r.body)
			}
		}
	})
}

func TestSearchFilters(t *testing.T) {
	t.Parallel()
	b := setup(t, "sqlite", options{})
	c := b.as(monkey.RoleView)
	// Several values of a filter (a multiple select) become the API's comma
	// list: one shareable address.
	r := c.get("/search?type=items&technologies=s3&technologies=iamrole&names=")
	require.Equal(t, http.StatusSeeOther, r.status)
	loc, err := url.Parse(r.header.Get("Location"))
	require.NoError(t, err)
	require.Equal(t, "s3,iamrole", loc.Query().Get("technologies"))

	r = c.get("/search?type=items&technologies=iamrole")
	require.Contains(t, r.body, ">admin</a>")
	require.NotContains(t, r.body, ">logs</a>")
	require.Contains(t, r.body, `href="/api/1/export/items?technologies=iamrole"`)
	r = c.get("/search?type=items&min_score=10")
	require.Contains(t, r.body, ">logs</a>")
	require.NotContains(t, r.body, ">admin</a>")
	r = c.get("/search?type=issues&searchconfig=internet")
	require.Contains(t, r.body, "Internet Accessible")
	require.NotContains(t, r.body, "Unknown Access")
	// Pagination keeps the filters.
	r = c.get("/search?type=issues&count=1")
	require.Contains(t, r.body, "Page 1 of 2")
	require.Contains(t, r.body, `href="/search?count=1&amp;page=2&amp;type=issues"`)
	// A bad filter is the API's error, on the error page.
	r = c.get("/search?type=items&min_score=x")
	require.Equal(t, http.StatusBadRequest, r.status)
	require.Contains(t, r.body, "min_score must be a non-negative integer")
}

// TestJustifyAndComment: a Justify user justifies two issues at once and
// removes one justification; a Comment user comments; a View user sees no
// controls and a forged form is refused.
func TestJustifyAndComment(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, engine string) {
		b := setup(t, engine, options{})
		item := fmt.Sprintf("/items/%d", b.seed.logs)
		j := b.as(monkey.RoleJustify)
		page := j.get(item)
		require.Contains(t, page.body, `formaction="`+item+`/justify"`)
		r := j.post(item+"/justify", url.Values{"issue": {fmt.Sprint(b.seed.internet), fmt.Sprint(b.seed.unkwn)},
			"justification": {"public website"}})
		require.Equal(t, http.StatusSeeOther, r.status, r.body)
		require.Equal(t, item+"?done=justified", r.header.Get("Location"))
		page = j.get(item + "?done=justified")
		require.Contains(t, page.body, `role="status">Justified.`)
		require.Equal(t, 2, strings.Count(page.body, "public website"))
		just := j.get("/search?type=justified")
		require.Contains(t, just.body, "Internet Accessible")
		require.NotContains(t, j.get("/search?type=issues").body, "Internet Accessible")

		r = j.post(item+"/unjustify", url.Values{"issue": {fmt.Sprint(b.seed.unkwn)}})
		require.Equal(t, http.StatusSeeOther, r.status, r.body)
		require.Equal(t, 1, strings.Count(j.get(item).body, "public website"))
		// No issue ticked, no text: the form says what is missing.
		r = j.post(item+"/justify", url.Values{"justification": {"x"}})
		require.Equal(t, http.StatusBadRequest, r.status)
		require.Contains(t, r.body, "Tick at least one issue.")

		cm := b.as(monkey.RoleComment)
		r = cm.post(item+"/comments", url.Values{"text": {"looked at it <b>"}})
		require.Equal(t, http.StatusSeeOther, r.status, r.body)
		require.Equal(t, item+"?done=commented#comments", r.header.Get("Location"))
		page = cm.get(item)
		require.Contains(t, page.body, "looked at it &lt;b&gt;")
		require.NotContains(t, page.body, "/justify")
		r = cm.post(fmt.Sprintf("%s/revisions/%d/comments", item, b.seed.logsRevs[0]), url.Values{"text": {"rev note"}})
		require.Equal(t, http.StatusSeeOther, r.status, r.body)
		require.Contains(t, cm.get(item).body, "rev note")

		v := b.as(monkey.RoleView)
		page = v.get(item)
		require.NotContains(t, page.body, "/justify")
		require.NotContains(t, page.body, `action="`+item+`/comments"`)
		r = v.post(item+"/justify", url.Values{"issue": {fmt.Sprint(b.seed.unkwn)}, "justification": {"forged"}})
		require.Equal(t, http.StatusForbidden, r.status)
		require.NotContains(t, j.get(item).body, "forged")
		// A Justify user's form without the session's token is refused.
		r = j.post(item+"/justify", url.Values{"csrf_token": {"not-the-token-0000"}, "issue": {fmt.Sprint(b.seed.unkwn)},
			"justification": {"forged"}})
		require.Equal(t, http.StatusBadRequest, r.status)
		require.Contains(t, r.body, "The CSRF tokens do not match.")
		require.NotContains(t, j.get(item).body, "forged")
	})
}

func TestStatusPage(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 2, 3, 11, 0, 0, 0, time.UTC)
	end := start.Add(95 * time.Second)
	b := setup(t, "sqlite", options{empty: true, status: func(context.Context) web.Status {
		return web.Status{Database: "ok", Broker: "unreachable", Leader: "host-a:10:x", Standbys: []string{"host-b:11:y"},
			Errors:  []string{"broker: dial tcp 127.0.0.1:6379: connection refused"},
			Workers: []web.StatusWorker{{ID: "w1", Host: "host-a", PID: 12, Concurrency: 4, Started: start, Running: []string{"prod/s3"}}},
			Queue:   &web.StatusQueue{Pending: 3, Active: 1},
			Scans:   []web.StatusScan{{Account: "prod", Technology: "s3", LastStart: &start, LastEnd: &end, Outcome: "ok", Items: 42}},
			Notifications: &web.StatusNotifications{Pending: 2, Sent: 9, Failed: 1, Recent: []web.StatusNotification{{
				Kind: "change", Channel: "email", Recipient: "sec@example.com", Subject: "[prod] Changes in s3",
				Error: "smtp: 550 mailbox unavailable", Attempts: 1, Created: end}}}}
	}})
	r := b.as(monkey.RoleView).get("/status")
	require.Equal(t, http.StatusOK, r.status)
	golden(t, "status", r.body)
	require.Contains(t, r.body, "<td>1m35s</td>")
	require.Contains(t, r.body, "<td>smtp: 550 mailbox unavailable</td>", "a notification that failed for good is shown")

	none := setup(t, "sqlite", options{empty: true})
	r = none.as(monkey.RoleView).get("/status")
	require.Equal(t, http.StatusOK, r.status)
	golden(t, "status_none", r.body)
}

// TestItemPolicies: policies of a configuration statement by statement,
// wildcard actions with the actions they grant.
func TestItemPolicies(t *testing.T) {
	t.Parallel()
	b := setup(t, "sqlite", options{})
	r := b.as(monkey.RoleView).get(fmt.Sprintf("/items/%d", b.seed.admin))
	require.Equal(t, http.StatusOK, r.status)
	checkHTML(t, r.body)
	require.Contains(t, r.body, "<h3>InlinePolicies.read</h3>")
	require.Contains(t, r.body, `<summary class="wild">s3:Get*`)
	require.Contains(t, r.body, "<li>s3:getobject</li>")
	require.Contains(t, r.body, "<div>iam:PassRole</div>")
}
