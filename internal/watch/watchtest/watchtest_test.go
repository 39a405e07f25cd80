package watchtest

import (
	"testing"
	"time"
)

// failsOn runs the check on a testing.T of its own, in its own goroutine
// (require stops it with runtime.Goexit), and reports whether it failed.
func failsOn(v any) bool {
	ft := &testing.T{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		requireJSONNative(ft, "x", "$", v)
	}()
	<-done
	return ft.Failed()
}

func TestRequireJSONNativeCanFail(t *testing.T) {
	t.Parallel()
	good := map[string]any{"a": []any{"s", 1.5, true, nil, map[string]any{"n": 3}}}
	if failsOn(good) {
		t.Fatal("a JSON-native config was rejected")
	}
	for name, bad := range map[string]any{
		"time":        map[string]any{"CreateDate": time.Now()},
		"typed slice": map[string]any{"Names": []string{"a"}},
		"typed map":   map[string]any{"Tags": map[string]string{"k": "v"}},
		"struct":      map[string]any{"x": struct{ A int }{1}},
		"bytes":       map[string]any{"b": []byte("x")},
	} {
		if !failsOn(bad) {
			t.Errorf("%s: a non-JSON value was accepted", name)
		}
	}
}
