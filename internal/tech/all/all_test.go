package all_test

import (
	"context"
	"os"
	"regexp"
	"slices"
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
				require.True(t, listed || p.Technology.Cloud != monkey.CloudAWS || len(auditors) > 0,
					"an auditor of %s that Appendix A does not know", idx)
				require.Len(t, auditors, 1)
				if listed {
					var methods []string
					for _, c := range auditors[0].Checks() {
						methods = append(methods, c.Method)
					}
					slices.Sort(methods)
					require.Equal(t, want.Class, auditors[0].Class(), "auditor class (Appendix A)")
					require.Equal(t, want.Methods, methods, "check methods (Appendix A)")
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
