package change

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestCanonical(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   any
		want string
	}{
		{"sorted keys", map[string]any{"b": 1, "a": []any{true, nil, "x"}}, `{"a":[true,null,"x"],"b":1}`},
		{"nested", map[string]any{"z": map[string]any{"y": 1.5, "x": json.Number("2")}}, `{"z":{"x":2,"y":1.5}}`},
		{"escapes", map[string]any{"s": "a\"b\\c\n<&>\u2028\x01"}, `{"s":"a\"b\\c\n<&>\u2028\u0001"}`},
		{"invalid utf8", map[string]any{"s": "a\xffb"}, `{"s":"a\ufffdb"}`},
		{"non ascii kept", map[string]any{"s": "héllo"}, `{"s":"héllo"}`},
		{"integral float", map[string]any{"n": 3.0, "m": int64(-7)}, `{"m":-7,"n":3}`},
		{"typed struct", struct {
			B string `json:"b"`
			A int    `json:"a"`
		}{"x", 1}, `{"a":1,"b":"x"}`},
		{"string map", map[string]string{"k2": "v", "k1": "w"}, `{"k1":"w","k2":"v"}`},
		{"empty", map[string]any{}, `{}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Canonical(tt.in)
			require.NoError(t, err)
			require.Equal(t, tt.want, string(got))
			require.True(t, json.Valid(got))
		})
	}
}

func TestCanonicalRejectsNaNAndDepth(t *testing.T) {
	t.Parallel()
	_, err := Canonical(map[string]any{"n": mathNaN()})
	require.Error(t, err)
	var deep any = "x"
	for i := 0; i < maxDepth+10; i++ {
		deep = []any{deep}
	}
	_, err = Canonical(deep)
	require.ErrorIs(t, err, ErrTooDeep)
}

func TestCanonicalEqualForEqualValues(t *testing.T) {
	t.Parallel()
	a, err := Decode([]byte(`{"b":[1,2,{"d":1,"c":2}],"a":"x"}`))
	require.NoError(t, err)
	b, err := Decode([]byte(`{"a":"x","b":[1,2,{"c":2,"d":1}]}`))
	require.NoError(t, err)
	ca, _ := Canonical(a)
	cb, _ := Canonical(b)
	require.Equal(t, string(ca), string(cb))
}

func TestStrip(t *testing.T) {
	t.Parallel()
	cfg := func() map[string]any {
		m, err := Decode([]byte(`{"AccessKeys":[{"Id":"a","LastUsedDate":"d1","Region":"r"},{"Id":"b","LastUsedDate":"d2"}],
			"PasswordLastUsed":"x","_version":2,"Name":"n","Tags":{"a":{"t":1},"b":{"t":2}}}`))
		if err != nil {
			panic(err)
		}
		return m
	}
	tests := []struct {
		name  string
		paths []string
		want  string
	}{
		{"none", nil, `{"AccessKeys":[{"Id":"a","LastUsedDate":"d1","Region":"r"},{"Id":"b","LastUsedDate":"d2"}],"Name":"n","PasswordLastUsed":"x","Tags":{"a":{"t":1},"b":{"t":2}},"_version":2}`},
		{"top level", []string{"PasswordLastUsed", "_version"}, `{"AccessKeys":[{"Id":"a","LastUsedDate":"d1","Region":"r"},{"Id":"b","LastUsedDate":"d2"}],"Name":"n","Tags":{"a":{"t":1},"b":{"t":2}}}`},
		{"list glob", []string{"AccessKeys$*$LastUsedDate", "AccessKeys$*$Region"}, `{"AccessKeys":[{"Id":"a"},{"Id":"b"}],"Name":"n","PasswordLastUsed":"x","Tags":{"a":{"t":1},"b":{"t":2}},"_version":2}`},
		{"map glob", []string{"Tags$*$t"}, `{"AccessKeys":[{"Id":"a","LastUsedDate":"d1","Region":"r"},{"Id":"b","LastUsedDate":"d2"}],"Name":"n","PasswordLastUsed":"x","Tags":{"a":{},"b":{}},"_version":2}`},
		{"list index", []string{"AccessKeys$1"}, `{"AccessKeys":[{"Id":"a","LastUsedDate":"d1","Region":"r"},null],"Name":"n","PasswordLastUsed":"x","Tags":{"a":{"t":1},"b":{"t":2}},"_version":2}`},
		{"missing path", []string{"Nope$*$x", "Name$x"}, `{"AccessKeys":[{"Id":"a","LastUsedDate":"d1","Region":"r"},{"Id":"b","LastUsedDate":"d2"}],"Name":"n","PasswordLastUsed":"x","Tags":{"a":{"t":1},"b":{"t":2}},"_version":2}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			orig := cfg()
			before, _ := Canonical(orig)
			got, err := Canonical(Strip(orig, ParsePaths(tt.paths)))
			require.NoError(t, err)
			require.Equal(t, tt.want, string(got))
			after, _ := Canonical(orig)
			require.Equal(t, string(before), string(after), "Strip must not modify its input")
		})
	}
}

func TestFingerprintDurableVsEphemeral(t *testing.T) {
	t.Parallel()
	h := NewHasher([]string{"AccessKeys$*$LastUsedDate", "_version"})
	base, _ := Decode([]byte(`{"AccessKeys":[{"Id":"a","LastUsedDate":"d1"}],"_version":2,"Name":"n"}`))
	eph, _ := Decode([]byte(`{"AccessKeys":[{"Id":"a","LastUsedDate":"d9"}],"_version":3,"Name":"n"}`))
	dur, _ := Decode([]byte(`{"AccessKeys":[{"Id":"b","LastUsedDate":"d1"}],"_version":2,"Name":"n"}`))
	f0, err := h.Fingerprint(base)
	require.NoError(t, err)
	f1, _ := h.Fingerprint(eph)
	f2, _ := h.Fingerprint(dur)
	require.NotEqual(t, f0.CompleteHash, f1.CompleteHash)
	require.Equal(t, f0.DurableHash, f1.DurableHash, "ephemeral change keeps the durable hash")
	require.NotEqual(t, f0.DurableHash, f2.DurableHash, "durable change")
	noEph := NewHasher(nil)
	f3, _ := noEph.Fingerprint(base)
	require.Equal(t, f3.CompleteHash, f3.DurableHash)
	require.Equal(t, f0.CompleteHash, f3.CompleteHash)
}

func TestDiff(t *testing.T) {
	t.Parallel()
	a, _ := Decode([]byte(`{"a":1,"b":{"c":[1,2]},"d":"x"}`))
	b, _ := Decode([]byte(`{"a":1,"b":{"c":[1,3,4]},"e":true}`))
	got := Diff(a, b)
	var paths []string
	for _, d := range got {
		paths = append(paths, d.Kind+":"+d.Path)
	}
	require.Equal(t, "changed:b$c$1 added:b$c$2 removed:d added:e", strings.Join(paths, " "))
	require.Empty(t, Diff(a, a))
}

func TestDecodeRejectsNonObjects(t *testing.T) {
	t.Parallel()
	for _, in := range []string{`[]`, `null`, `"x"`, `{"a":1} {}`, `{`, `{"a":1}}`, `{"a":1}]`, `{"a":1} x`} {
		_, err := Decode([]byte(in))
		require.Error(t, err, in)
	}
}

// TestFingerprintMatchesStripAndHash: the one-pass durable hash equals the
// hash of the canonical JSON of the stripped config.
func TestFingerprintMatchesStripAndHash(t *testing.T) {
	t.Parallel()
	cfgs := []string{
		`{}`,
		`{"_version":2}`,
		`{"a":1,"_version":2,"AccessKeys":[{"Id":"k","LastUsedDate":"x","Region":"r"}],"PasswordLastUsed":"p"}`,
		`{"assigned_to":[{"instance_id":"i-1"}],"rules":[],"id":"sg-1"}`,
		`{"AccessKeys":[]}`,
	}
	paths := [][]string{nil, {"_version"}, {"assigned_to"}, {"PasswordLastUsed", "AccessKeys$*$LastUsedDate", "AccessKeys$*$Region", "_version"}, {"*$x"}, {"*"}, {"*", "a"}}
	for _, c := range cfgs {
		for _, p := range paths {
			m, err := Decode([]byte(c))
			require.NoError(t, err)
			fp, err := NewHasher(p).Fingerprint(m)
			require.NoError(t, err)
			canon, err := Canonical(m)
			require.NoError(t, err)
			require.Equal(t, string(canon), string(fp.Canonical))
			require.Equal(t, Hash(canon), fp.CompleteHash)
			stripped, err := Canonical(Strip(m, ParsePaths(p)))
			require.NoError(t, err)
			require.Equal(t, Hash(stripped), fp.DurableHash, "config %s paths %v", c, p)
		}
	}
}
