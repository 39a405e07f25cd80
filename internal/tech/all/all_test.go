package all_test

import (
	"context"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/audit/audittest"
	"github.com/secmonkey/monkey/internal/awssim"
	"github.com/secmonkey/monkey/internal/change"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/policy"
	"github.com/secmonkey/monkey/internal/tech"
	"github.com/secmonkey/monkey/internal/tech/all"
	"github.com/secmonkey/monkey/internal/watch/watchtest"
)

func registry(t *testing.T) *tech.Registry {
	t.Helper()
	cat, err := policy.LoadCatalogue()
	require.NoError(t, err)
	r, err := tech.NewRegistry(all.Plugins(), tech.Deps{Catalogue: cat})
	require.NoError(t, err)
	return r
}

// TestEveryPluginIsComplete is the checklist of docs/adding-a-technology.md:
// a watcher, an auditor whose checks are those of auditors.md Appendix A or
// an explicit reason for having none, a simulator resource, a README row.
func TestEveryPluginIsComplete(t *testing.T) {
	t.Parallel()
	plugins := all.Plugins()
	var indexes []string
	for _, p := range plugins {
		indexes = append(indexes, p.Technology.Index)
	}
	require.True(t, slices.IsSorted(indexes), "all.Plugins is sorted by index: %v", indexes)
	require.Len(t, slices.Compact(slices.Clone(indexes)), len(indexes), "no index twice")

	r := registry(t)
	appendixA := audittest.AppendixA()
	simulated := awssim.Technologies()
	readme, err := os.ReadFile("../../../README.md")
	require.NoError(t, err)
	techDocs, err := os.ReadFile("../../../docs/technologies.md")
	require.NoError(t, err)
	for _, p := range plugins {
		idx := p.Technology.Index
		t.Run(idx, func(t *testing.T) {
			require.NoError(t, p.Validate())
			require.NotNil(t, p.Shape, "a stored shape for audit-file")
			w, ok := r.Watcher(idx)
			require.True(t, ok)
			require.Equal(t, p.Technology, w.Technology(), "the watcher reports the plugin's technology")
			want, listed := appendixA[idx]
			auditors := r.Auditors().For(idx)
			if p.NewAuditor == nil {
				require.NotEmpty(t, p.NoAuditor, "a technology without auditor says why")
				require.False(t, listed, "Appendix A lists checks for %s: it needs an auditor", idx)
				require.Empty(t, auditors)
			} else {
				require.Len(t, auditors, 1)
				var methods []string
				for _, c := range auditors[0].Checks() {
					methods = append(methods, c.Method)
				}
				slices.Sort(methods)
				if !listed && p.Technology.Cloud == monkey.CloudAWS {
					// A technology beyond the reference documents its auditor.
					class, documented, ok := documentedAuditor(string(techDocs), idx)
					require.True(t, ok, "an auditor of %s that Appendix A does not know: document it in docs/technologies.md "+
						"(a section \"## `%s`\" with a row \"| auditor | `Class`: `check_…`, … |\")", idx, idx)
					want.Class, want.Methods = class, documented
				}
				if want.Class != "" {
					require.Equal(t, want.Class, auditors[0].Class(), "auditor class (Appendix A or docs/technologies.md)")
					require.Equal(t, want.Methods, methods, "check methods (Appendix A or docs/technologies.md)")
				}
			}
			if p.Technology.Cloud == monkey.CloudAWS {
				require.Contains(t, simulated, idx, "aws-sim serves %s", idx)
			}
			row := regexp.MustCompile("(?m)^\\| `" + regexp.QuoteMeta(idx) + "` \\|")
			require.Regexp(t, row, string(readme), "README's technology table has a row for %s", idx)
		})
	}
}

// documentedAuditor reads the auditor row of a technology's section of
// docs/technologies.md: "| auditor | `Class`: `check_a`, `check_b` … |".
// It returns the class and the sorted check methods.
func documentedAuditor(doc, index string) (string, []string, bool) {
	start := strings.Index(doc, "\n## `"+index+"`")
	if start < 0 {
		return "", nil, false
	}
	section := doc[start+1:]
	if end := strings.Index(section[1:], "\n## "); end >= 0 {
		section = section[:end+1]
	}
	m := regexp.MustCompile("(?m)^\\| auditor \\| `([A-Za-z0-9]+)`: ([^|]*)\\|").FindStringSubmatch(section)
	if m == nil {
		return "", nil, false
	}
	var methods []string
	for _, c := range regexp.MustCompile("`(check_[a-z0-9_]+)`").FindAllStringSubmatch(m[2], -1) {
		methods = append(methods, c[1])
	}
	slices.Sort(methods)
	return m[1], methods, len(methods) > 0
}

func TestDocumentedAuditor(t *testing.T) {
	t.Parallel()
	doc := "# x\n\n## `a` — A\n\n| auditor | `AAuditor`: `check_b`, `check_a` (policy key `Policy`) |\n\n## `b` — B\n\n| auditor | – |\n"
	class, methods, ok := documentedAuditor(doc, "a")
	require.True(t, ok)
	require.Equal(t, "AAuditor", class)
	require.Equal(t, []string{"check_a", "check_b"}, methods)
	_, _, ok = documentedAuditor(doc, "b")
	require.False(t, ok, "no class and checks")
	_, _, ok = documentedAuditor(doc, "c")
	require.False(t, ok, "no section")
}

func TestFacts(t *testing.T) {
	t.Parallel()
	r := registry(t)
	kr := func(kind, v string) monkey.KnownResource { return monkey.KnownResource{Kind: kind, Value: v} }
	for _, tc := range []struct {
		tech, name string
		cfg        monkey.Config
		want       []monkey.KnownResource
	}{
		{"s3", "bucket", monkey.Config{"Name": "ignored"}, []monkey.KnownResource{kr("s3_bucket", "bucket")}},
		{"iamuser", "u", monkey.Config{"UserId": "AIDA1"}, []monkey.KnownResource{kr("userid", "AIDA1")}},
		{"iamrole", "r", monkey.Config{"RoleId": "AROA1", "UserId": "x"}, []monkey.KnownResource{kr("userid", "AROA1")}},
		{"iamrole", "r", monkey.Config{"RoleId": 3}, nil},
		{"securitygroup", "sg", monkey.Config{"id": "sg-1"}, nil},
		{"nosuchtech", "x", monkey.Config{"id": "x"}, nil},
	} {
		require.Equal(t, tc.want, r.Facts(tc.tech, tc.name, tc.cfg), tc.tech)
	}
}

func TestSettingsAreDeclaredOnce(t *testing.T) {
	t.Parallel()
	settings, err := tech.AllSettings(all.Plugins())
	require.NoError(t, err)
	var names []string
	for _, s := range settings {
		names = append(names, s.Name)
	}
	require.Equal(t, []string{"SECURITYGROUP_INSTANCE_DETAIL", "SENSITIVE_SERVICES"}, names)
}

// TestCollectedConfigsFitTheirShape: what every watcher collects from the
// simulator, stored and decoded again, fits the shape the plugin declares
// for `monkey audit-file` (a shape stricter than the stored configs would
// reject real items).
func TestCollectedConfigsFitTheirShape(t *testing.T) {
	t.Parallel()
	r := registry(t)
	sim := watchtest.StartSim(t, awssim.Options{Accounts: 2, Seed: 5, Items: 12})
	scope := sim.Scope(t, 1)
	for _, p := range all.Plugins() {
		if p.Shape == nil || p.Technology.Cloud != monkey.CloudAWS {
			continue
		}
		t.Run(p.Technology.Index, func(t *testing.T) {
			t.Parallel()
			w, _ := r.Watcher(p.Technology.Index)
			res, err := w.Collect(context.Background(), scope)
			require.NoError(t, err)
			require.NoError(t, res.Err())
			require.NotEmpty(t, res.Items)
			for _, it := range res.Items {
				canon, err := change.Canonical(it.Config)
				require.NoError(t, err)
				stored, err := change.Decode(canon)
				require.NoError(t, err)
				require.NoError(t, p.Shape(stored), "%s %s", p.Technology.Index, it.Name)
			}
		})
	}
}
