package change

import (
	"encoding/json"
	"strings"
	"testing"
)

func mathNaN() float64 { var z float64; return z / z }

// FuzzCanonical: any JSON object canonicalises to valid JSON that decodes to
// an equal value and is a fixed point.
func FuzzCanonical(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":[1,2,{"b":null}]}`, `{"s":"\u00e9\ud83d\ude00"}`, `{"n":1e400}`, `{"x":-0.0000001}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Decode(data)
		if err != nil {
			return
		}
		c, err := Canonical(m)
		if err != nil {
			return // NaN-like or too deep: an error, never a panic
		}
		if !json.Valid(c) {
			t.Fatalf("invalid canonical JSON %q from %q", c, data)
		}
		m2, err := Decode(c)
		if err != nil {
			t.Fatalf("canonical output does not decode: %v", err)
		}
		c2, err := Canonical(m2)
		if err != nil || string(c2) != string(c) {
			t.Fatalf("canonical not a fixed point:\n%s\n%s", c, c2)
		}
	})
}

// FuzzStrip: stripping any path never panics, never modifies the input and
// is idempotent.
func FuzzStrip(f *testing.F) {
	f.Add([]byte(`{"a":[{"b":1,"c":2}],"d":{"e":3}}`), "a$*$b")
	f.Add([]byte(`{"a":[1,2,3]}`), "a$1")
	f.Add([]byte(`{"a":{"b":{"c":1}}}`), "*$*$c")
	f.Fuzz(func(t *testing.T, data []byte, path string) {
		m, err := Decode(data)
		if err != nil {
			return
		}
		before, err := Canonical(m)
		if err != nil {
			return
		}
		paths := ParsePaths(strings.Split(path, ","))
		once := Strip(m, paths)
		after, _ := Canonical(m)
		if string(before) != string(after) {
			t.Fatalf("input modified")
		}
		a, _ := Canonical(once)
		b, _ := Canonical(Strip(once, paths))
		if string(a) != string(b) {
			t.Fatalf("strip not idempotent: %s vs %s", a, b)
		}
		fp, err := NewHasher(strings.Split(path, ",")).Fingerprint(m)
		if err != nil {
			t.Fatalf("fingerprint: %v", err)
		}
		if fp.CompleteHash != Hash(before) || fp.DurableHash != Hash(a) {
			t.Fatalf("one-pass hashes differ from strip+hash for %s with %q", before, path)
		}
	})
}
