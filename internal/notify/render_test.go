package notify_test

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

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
	return notify.SampleChangeReport(notify.Links{Base: "https://monkey.example.com/"})
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
