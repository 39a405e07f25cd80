package notify_test

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/notify"
)

var update = flag.Bool("update", false, "rewrite the golden files of the rendered reports")

// golden compares got with testdata/name (rewritten with -update).
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create %s", path)
	require.Equal(t, string(want), got, "%s differs (go test ./internal/notify -update rewrites it)", path)
}

func sampleChangeReport() *notify.ChangeReport {
	links := notify.Links{Base: "https://monkey.example.com/"}
	acct := monkey.Account{ID: 1, Name: "prod", Identifier: "123456789012", Type: "AWS"}
	sg := notify.TechChanges{Index: "securitygroup", Singular: "Security Group", Plural: "Security Groups",
		NewCount: 1, ChangedCount: 1, DeletedCount: 2, URL: links.Items("prod", "securitygroup"),
		New: []notify.ReportItem{{ID: 7, Change: "new", Region: "us-east-1", Name: "web <public>", URL: links.Item(7),
			ARN:  "arn:aws:ec2:us-east-1:123456789012:security-group/sg-7",
			New:  []notify.IssueLine{{Score: 10, Text: "Internet Accessible", Notes: "Entity: [cidr:0.0.0.0/0] Actions: [\"tcp:22\"]"}},
			Diff: notify.ConfigDiff(nil, []byte(`{"GroupName":"web","Rules":[{"cidr":"0.0.0.0/0","port":22}]}`))}},
		Changed: []notify.ReportItem{{ID: 8, Change: "changed", Region: "eu-west-1", Name: "db", URL: links.Item(8),
			Fixed:    []notify.IssueLine{{Score: 5, Text: "Internal Network Accessible"}},
			Existing: []notify.IssueLine{{Score: 3, Text: "Unused Security Group", Justified: true, Justification: "kept for DR"}},
			Diff: notify.ConfigDiff([]byte(`{"GroupName":"db","Rules":[{"cidr":"10.0.0.0/8","port":5432}],"Tags":{"env":"prod"}}`),
				[]byte(`{"GroupName":"db","Rules":[{"cidr":"10.1.0.0/16","port":5432}],"Tags":{"env":"prod"}}`))}},
		Deleted: []notify.ReportItem{{ID: 9, Change: "deleted", Region: "us-east-1", Name: "old", URL: links.Item(9),
			Diff: notify.ConfigDiff([]byte(`{"GroupName":"old"}`), nil)}},
	}
	role := notify.TechChanges{Index: "iamrole", Singular: "IAM Role", Plural: "IAM Roles", ChangedCount: 1,
		URL: links.Items("prod", "iamrole"),
		Changed: []notify.ReportItem{{ID: 3, Change: "changed", Region: "universal", Name: "admin", URL: links.Item(3),
			Existing: []notify.IssueLine{{Score: 10, Text: "Unknown Access", Notes: "Account: [999999999999]"}},
			Diff:     notify.ConfigDiff([]byte(`{"Path":"/","RoleName":"admin","Tags":{}}`), []byte(`{"Path":"/","RoleName":"admin","Tags":{"team":"sec"}}`))}},
	}
	return &notify.ChangeReport{Account: acct, ScannedAt: time.Date(2026, 12, 2, 3, 0, 0, 0, time.UTC),
		Technologies: []notify.TechChanges{role, sg}, New: 1, Changed: 2, Deleted: 2, Shown: 4, NewIssues: 1, FixedIssues: 1,
		HasNewIssue: true, HasIssues: true, HasUnjustified: true, URL: links.Items("prod", "")}
}

func TestRenderChangeReportGolden(t *testing.T) {
	t.Parallel()
	r, err := notify.NewRenderer(notify.Links{Base: "https://monkey.example.com/"})
	require.NoError(t, err)
	rep := sampleChangeReport()
	m, err := r.Change(rep)
	require.NoError(t, err)
	require.Equal(t, "NEW ISSUE - [prod] Changes in IAM Roles, Security Groups", m.Subject)
	golden(t, "change.html", m.HTML)
	golden(t, "change.txt", m.Text)
	require.Contains(t, m.HTML, "web &lt;public&gt;", "names are escaped")
	require.Equal(t, 1, m.Summary.NewIssues)
	require.Equal(t, 10, m.Summary.TopIssues[0].Score)
}

func TestSubjects(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name                                string
		newIssue, hasIssues, hasUnjustified bool
		want                                string
	}{
		{"new issue", true, true, true, "NEW ISSUE - [prod] Changes in IAM Roles, Security Groups"},
		{"existing", false, true, true, "[prod] Changes w/existing issues in IAM Roles, Security Groups"},
		{"justified", false, true, false, "[prod] Changes w/justified issues in IAM Roles, Security Groups"},
		{"plain", false, false, false, "[prod] Changes in IAM Roles, Security Groups"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := sampleChangeReport()
			r.HasNewIssue, r.HasIssues, r.HasUnjustified = tc.newIssue, tc.hasIssues, tc.hasUnjustified
			require.Equal(t, tc.want, r.Subject())
		})
	}
}

func TestChangeRecipients(t *testing.T) {
	t.Parallel()
	users := []monkey.User{
		{Email: "all@example.com", Active: true, ChangeReports: "ALL"},
		{Email: "issues@example.com", Active: true, ChangeReports: "ISSUES"},
		{Email: "none@example.com", Active: true, ChangeReports: "NONE"},
		{Email: "inactive@example.com", Active: false, ChangeReports: "ALL"},
	}
	team := []string{"sec@example.com", "ALL@example.com"}
	require.Equal(t, []string{"all@example.com", "sec@example.com"}, notify.ChangeRecipients(users, team, false))
	require.Equal(t, []string{"all@example.com", "issues@example.com", "sec@example.com"}, notify.ChangeRecipients(users, team, true))
}

func TestConfigDiff(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name          string
		before, after string
		want          []notify.DiffLine
	}{
		{"new", "", `{"a":1}`, []notify.DiffLine{{Op: "+", Text: "{"}, {Op: "+", Text: `  "a": 1`}, {Op: "+", Text: "}"}}},
		{"deleted", `{"a":1}`, "", []notify.DiffLine{{Op: "-", Text: "{"}, {Op: "-", Text: `  "a": 1`}, {Op: "-", Text: "}"}}},
		{"changed with context", `{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"h":8,"i":9}`, `{"a":1,"b":2,"c":3,"d":4,"e":50,"f":6,"g":7,"h":8,"i":9}`,
			[]notify.DiffLine{{Op: "~", Text: "… 2 unchanged lines"}, {Op: " ", Text: `  "b": 2,`}, {Op: " ", Text: `  "c": 3,`},
				{Op: " ", Text: `  "d": 4,`}, {Op: "-", Text: `  "e": 5,`}, {Op: "+", Text: `  "e": 50,`}, {Op: " ", Text: `  "f": 6,`},
				{Op: " ", Text: `  "g": 7,`}, {Op: " ", Text: `  "h": 8,`}, {Op: "~", Text: "… 2 unchanged lines"}}},
		{"unchanged", `{"a":1}`, `{"a":1}`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.want, notify.ConfigDiff([]byte(tc.before), []byte(tc.after)))
		})
	}
}
