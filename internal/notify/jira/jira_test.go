package jira_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/awssim"
	"github.com/secmonkey/monkey/internal/awssim/awssimtest"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/notify/jira"
	"github.com/secmonkey/monkey/internal/pipeline"
	"github.com/secmonkey/monkey/internal/policy"
	"github.com/secmonkey/monkey/internal/store"
	"github.com/secmonkey/monkey/internal/store/storetest"
	"github.com/secmonkey/monkey/internal/tech"
	"github.com/secmonkey/monkey/internal/tech/all"
)

// fakeJira serves the Jira REST v2 endpoints the sync uses and checks
// every request's method, path, basic auth and JSON body.
type fakeJira struct {
	t       *testing.T
	mu      sync.Mutex
	tickets map[string]*ticket
	calls   []string
	bad     []string
}

type ticket struct {
	Summary, Description, Status, Assignee string
}

func newFakeJira(t *testing.T) (*fakeJira, *httptest.Server) {
	f := &fakeJira{t: t, tickets: map[string]*ticket{}}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}

func (f *fakeJira) fail(w http.ResponseWriter, format string, args ...any) {
	f.bad = append(f.bad, fmt.Sprintf(format, args...))
	http.Error(w, "bad request", http.StatusBadRequest)
}

func (f *fakeJira) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, r.Method+" "+r.URL.Path)
	if u, p, ok := r.BasicAuth(); !ok || u != "monkey" || p != "jira-pass" {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		f.bad = append(f.bad, "auth")
		return
	}
	var body map[string]any
	if r.Method == http.MethodPost || r.Method == http.MethodPut {
		if r.Header.Get("Content-Type") != "application/json" {
			f.fail(w, "%s %s: content type %q", r.Method, r.URL.Path, r.Header.Get("Content-Type"))
			return
		}
		b, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(b, &body); err != nil {
			f.fail(w, "%s %s: body %s", r.Method, r.URL.Path, b)
			return
		}
	}
	path := strings.TrimPrefix(r.URL.Path, "/rest/api/2/")
	key, rest, _ := strings.Cut(strings.TrimPrefix(path, "issue/"), "/")
	switch {
	case r.Method == http.MethodGet && path == "myself":
		_ = json.NewEncoder(w).Encode(map[string]string{"name": "monkey", "displayName": "Security Monkey"})
	case r.Method == http.MethodPost && path == "issue":
		fields, _ := body["fields"].(map[string]any)
		project, _ := fields["project"].(map[string]any)
		typ, _ := fields["issuetype"].(map[string]any)
		summary, _ := fields["summary"].(string)
		desc, _ := fields["description"].(string)
		if project["key"] != "SEC" || typ["name"] != "Bug" || summary == "" || !strings.Contains(desc, jira.Marker) {
			f.fail(w, "create: %v", body)
			return
		}
		k := fmt.Sprintf("SEC-%d", len(f.tickets)+1)
		tk := &ticket{Summary: summary, Description: desc, Status: "Open"}
		if a, ok := fields["assignee"].(map[string]any); ok {
			tk.Assignee, _ = a["name"].(string)
		}
		f.tickets[k] = tk
		w.WriteHeader(http.StatusCreated)
		_ = json.NewEncoder(w).Encode(map[string]string{"id": "1000", "key": k, "self": "http://jira/rest/api/2/issue/1000"})
	case strings.HasPrefix(path, "issue/") && f.tickets[key] == nil:
		http.Error(w, `{"errorMessages":["Issue does not exist"]}`, http.StatusNotFound)
	case r.Method == http.MethodGet && rest == "":
		if r.URL.Query().Get("fields") != "description,status" {
			f.fail(w, "get fields %q", r.URL.Query().Get("fields"))
			return
		}
		tk := f.tickets[key]
		_ = json.NewEncoder(w).Encode(map[string]any{"key": key, "fields": map[string]any{"description": tk.Description,
			"status": map[string]string{"name": tk.Status}}})
	case r.Method == http.MethodPut && rest == "":
		fields, _ := body["fields"].(map[string]any)
		desc, ok := fields["description"].(string)
		if !ok || len(fields) != 1 {
			f.fail(w, "update: %v", body)
			return
		}
		f.tickets[key].Description = desc
		w.WriteHeader(http.StatusNoContent)
	case r.Method == http.MethodGet && rest == "transitions":
		_ = json.NewEncoder(w).Encode(map[string]any{"transitions": []map[string]string{{"id": "31", "name": "Closed"}, {"id": "41", "name": "Open"}}})
	case r.Method == http.MethodPost && rest == "transitions":
		tr, _ := body["transition"].(map[string]any)
		switch tr["id"] {
		case "31":
			f.tickets[key].Status = "Closed"
		case "41":
			f.tickets[key].Status = "Open"
		default:
			f.fail(w, "transition %v", body)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	default:
		f.fail(w, "unexpected %s %s", r.Method, r.URL.Path)
	}
}

func (f *fakeJira) ticket(summary string) (string, ticket) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for k, t := range f.tickets {
		if t.Summary == summary {
			return k, *t
		}
	}
	return "", ticket{}
}

// TestTicketLifecycle: a ticket per auditor setting with issues, closed
// when they are all justified, reopened when one is unjustified again,
// text above the marker kept, disabled settings skipped.
func TestTicketLifecycle(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			s := storetest.New(t, engine)
			endpoint, sim := awssimtest.Start(t, awssim.Options{Accounts: 1, Seed: 5, Items: 3})
			base := awssimtest.Config(t, endpoint)
			cloud, err := awsclient.New(ctx, awsclient.Options{Base: &base, MaxAttempts: 3, MaxBackoff: 50 * time.Millisecond})
			require.NoError(t, err)
			cat, err := policy.LoadCatalogue()
			require.NoError(t, err)
			reg, err := tech.NewRegistry(all.Plugins(), tech.Deps{Catalogue: cat})
			require.NoError(t, err)
			acct := monkey.Account{Type: "AWS", Name: "alpha", Identifier: sim.AccountIDs()[0], Active: true}
			require.NoError(t, s.CreateAccount(ctx, &acct))
			p, err := pipeline.New(pipeline.Options{Store: s, Technologies: reg,
				Sessions: map[string]pipeline.OpenSession{monkey.CloudAWS: cloud.Open}, Logger: slog.New(slog.DiscardHandler)})
			require.NoError(t, err)
			_, err = p.RunTask(ctx, "alpha", "securitygroup")
			require.NoError(t, err)

			fake, srv := newFakeJira(t)
			cfg := jira.Config{Server: srv.URL, Account: "monkey", Password: "jira-pass", Project: "SEC", IssueType: "Bug",
				URL: "https://monkey.example.com", Assignee: "secops", Open: "Open", Closed: "Closed", SSLVerify: true}
			sy, err := jira.New(cfg, s, srv.Client(), nil, nil)
			require.NoError(t, err)
			me, err := sy.Myself(ctx)
			require.NoError(t, err)
			require.Equal(t, "Security Monkey (monkey)", me)

			counts, err := s.OpenIssueCounts(ctx)
			require.NoError(t, err)
			var withIssues []store.AuditorSetting
			for _, c := range counts {
				if c.Count > 0 {
					withIssues = append(withIssues, c)
				}
			}
			require.GreaterOrEqual(t, len(withIssues), 2)
			res, err := sy.Sync(ctx)
			require.NoError(t, err)
			require.Equal(t, jira.Result{Created: len(withIssues)}, res)
			target := withIssues[0]
			summary := jira.Summary(target.IssueText, "securitygroup", "alpha")
			key, tk := fake.ticket(summary)
			require.NotEmpty(t, key)
			require.Equal(t, "secops", tk.Assignee)
			require.Contains(t, tk.Description, fmt.Sprintf("Number of issues: %d", target.Count))
			require.Contains(t, tk.Description, "https://monkey.example.com/#/issues/-/securitygroup/alpha/-/-/-/True/")

			// Someone writes above the marker; all issues get justified:
			// the ticket is closed and the text kept.
			fake.mu.Lock()
			fake.tickets[key].Description = "Owner: network team\n\n" + fake.tickets[key].Description
			fake.mu.Unlock()
			admin := monkey.User{Email: "admin@example.com", Active: true, Role: "Admin"}
			require.NoError(t, s.CreateUser(ctx, &admin))
			issues, _, err := s.ListIssues(ctx, store.IssueQuery{ItemQuery: store.ItemQuery{Accounts: []string{"alpha"}, Count: 500}})
			require.NoError(t, err)
			var mine []int64
			for _, is := range issues {
				if is.Issue.Text == target.IssueText && is.Technology == "securitygroup" {
					require.NoError(t, s.JustifyIssue(ctx, is.Issue.ID, admin.ID, "accepted"))
					mine = append(mine, is.Issue.ID)
				}
			}
			require.Len(t, mine, target.Count)
			res, err = sy.Sync(ctx)
			require.NoError(t, err)
			require.Equal(t, 1, res.Closed)
			require.Zero(t, res.Created)
			_, tk = fake.ticket(summary)
			require.Equal(t, "Closed", tk.Status)
			require.True(t, strings.HasPrefix(tk.Description, "Owner: network team\n\n"+jira.Marker), tk.Description)
			require.Contains(t, tk.Description, "Number of issues: 0")

			// One issue comes back: reopened.
			require.NoError(t, s.UnjustifyIssue(ctx, mine[0]))
			res, err = sy.Sync(ctx)
			require.NoError(t, err)
			require.Equal(t, 1, res.Reopened)
			_, tk = fake.ticket(summary)
			require.Equal(t, "Open", tk.Status)
			require.Contains(t, tk.Description, "Number of issues: 1")
			require.True(t, strings.HasPrefix(tk.Description, "Owner: network team"))

			// A disabled setting is skipped.
			require.NoError(t, s.SetAuditorSettingDisabled(ctx, target.ID, true))
			res, err = sy.Sync(ctx)
			require.NoError(t, err)
			require.Positive(t, res.Skipped)
			require.Zero(t, res.Created+res.Closed+res.Reopened)
			fake.mu.Lock()
			require.Empty(t, fake.bad, "every request was well-formed")
			fake.mu.Unlock()
		})
	}
}

func TestConfig(t *testing.T) {
	t.Parallel()
	path := t.TempDir() + "/jira.yaml"
	require.NoError(t, writeFile(path, "server: https://jira.example.com\naccount: monkey\npassword: pw\nproject: SEC\nissue_type: Bug\nurl: https://sm\ndisable_transitions: true\nonly_update_on_change: true\n"))
	c, err := jira.LoadConfig(path, true, "Open", "Closed")
	require.NoError(t, err)
	require.True(t, c.DisableTransitions)
	require.True(t, c.OnlyUpdateOnChange)
	require.NotContains(t, c.String(), "pw")
	require.NoError(t, writeFile(path, "server: x\n"))
	_, err = jira.LoadConfig(path, true, "Open", "Closed")
	require.ErrorContains(t, err, "missing")
}
