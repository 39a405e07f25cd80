// Package watchtest is the conformance suite every watcher runs, and the
// golden-file helper of watcher normalisation tests.
package watchtest

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/watch"
)

// Option adjusts a conformance run.
type Option func(*options)

type options struct {
	optionalEphemeral map[string]bool
	minItems          int
}

// OptionalEphemeral declares ephemeral paths whose first segment the stored
// shape does not always carry (e.g. iamrole's declared "Region").
func OptionalEphemeral(paths ...string) Option {
	return func(o *options) {
		for _, p := range paths {
			o.optionalEphemeral[p] = true
		}
	}
}

// MinItems requires at least n collected items (default 1).
func MinItems(n int) Option { return func(o *options) { o.minItems = n } }

// Run collects once from w in scope and checks the watcher contract: the
// Technology metadata is complete; items have a non-empty Name and Region
// and Technology = index; configs survive a JSON round trip; names are
// unique per region; the first segment of every ephemeral path exists in at
// least one config. It returns the result for further checks.
func Run(t *testing.T, w watch.Watcher, scope watch.Scope, opts ...Option) watch.Result {
	t.Helper()
	o := options{optionalEphemeral: map[string]bool{}, minItems: 1}
	for _, f := range opts {
		f(&o)
	}
	tech := w.Technology()
	require.NotEmpty(t, tech.Index, "technology index")
	require.NotEmpty(t, tech.Singular, "technology singular")
	require.NotEmpty(t, tech.Plural, "technology plural")
	require.NotEmpty(t, tech.Cloud, "technology cloud")
	require.NotNil(t, tech.EphemeralPaths, "technology ephemeral paths (use an empty list)")

	res, err := w.Collect(context.Background(), scope)
	require.NoError(t, err)
	require.NoError(t, res.Err(), "collect failures")
	require.GreaterOrEqual(t, len(res.Items), o.minItems, "items collected")

	seen := map[string]bool{}
	keys := map[string]bool{}
	for _, it := range res.Items {
		require.Equal(t, tech.Index, it.Technology, "item %s technology", it.Name)
		require.NotEmpty(t, it.Name, "item name")
		require.NotEmpty(t, it.Region, "item %s region", it.Name)
		if tech.Global {
			require.Equal(t, watch.Universal, it.Region, "global technology item %s region", it.Name)
		}
		loc := it.Region + "\x00" + it.Name
		require.False(t, seen[loc], "duplicate item %s in %s", it.Name, it.Region)
		seen[loc] = true
		require.NotNil(t, it.Config, "item %s config", it.Name)
		requireJSONNative(t, it.Name, "$", map[string]any(it.Config))

		b, err := json.Marshal(it.Config)
		require.NoError(t, err, "item %s config marshal", it.Name)
		var back monkey.Config
		require.NoError(t, json.Unmarshal(b, &back), "item %s config unmarshal", it.Name)
		b2, err := json.Marshal(back)
		require.NoError(t, err)
		require.JSONEq(t, string(b), string(b2), "item %s config round trip", it.Name)
		for k := range it.Config {
			keys[k] = true
		}
	}
	for _, p := range tech.EphemeralPaths {
		if o.optionalEphemeral[p] {
			continue
		}
		first, _, _ := strings.Cut(p, "$")
		require.True(t, keys[first], "ephemeral path %q: no config has key %q", p, first)
	}
	return res
}

// requireJSONNative fails unless v is made only of the values a stored
// config decodes to (objects, arrays, strings, finite numbers, booleans,
// null): anything else — an SDK struct, a time.Time, a []byte, a typed map
// or slice — would be stored as something other than what the watcher
// built, and audited differently.
func requireJSONNative(t *testing.T, item, path string, v any) {
	t.Helper()
	switch x := v.(type) {
	case nil, string, bool, json.Number, int, int32, int64:
	case float64:
		require.False(t, math.IsNaN(x) || math.IsInf(x, 0), "item %s: %s is %v, not a JSON number", item, path, x)
	case map[string]any:
		for k, e := range x {
			requireJSONNative(t, item, path+"$"+k, e)
		}
	case []any:
		for i, e := range x {
			requireJSONNative(t, item, path+"$"+strconv.Itoa(i), e)
		}
	default:
		require.Failf(t, "config value of a non-JSON type", "item %s: %s is a %T (%v); build configs of map[string]any, []any, string, numbers, bool and nil only", item, path, v, v)
	}
}

// Update reports whether golden files should be rewritten: the -update test
// flag when the package defines one, or MONKEY_UPDATE_GOLDEN=1. (watchtest
// does not define the flag itself: two packages registering "update" in one
// test binary would panic.)
func Update() bool {
	if f := flag.Lookup("update"); f != nil && f.Value.String() == "true" {
		return true
	}
	return os.Getenv("MONKEY_UPDATE_GOLDEN") == "1"
}

// Golden compares v, rendered as indented JSON with sorted keys, with the
// file testdata/<name>; with Update() it rewrites the file instead.
func Golden(t *testing.T, name string, v any) {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	require.NoError(t, err)
	got = append(got, '\n')
	path := filepath.Join("testdata", name)
	if Update() {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "golden file %s missing: run with -update or MONKEY_UPDATE_GOLDEN=1", path)
	require.Equal(t, string(bytes.TrimSpace(want)), string(bytes.TrimSpace(got)), "golden file %s", path)
}

// RequireKeys checks that cfg has every key of required, and no key outside
// required and optional.
func RequireKeys(t testing.TB, cfg map[string]any, required, optional []string) {
	t.Helper()
	allowed := map[string]bool{}
	for _, k := range required {
		_, ok := cfg[k]
		require.True(t, ok, "config key %q missing in %v", k, keysOf(cfg))
		allowed[k] = true
	}
	for _, k := range optional {
		allowed[k] = true
	}
	for k := range cfg {
		require.True(t, allowed[k], "unexpected config key %q", k)
	}
}

func keysOf(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
