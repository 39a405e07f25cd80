package change

import (
	"strconv"
	"strings"
)

// Path is a parsed ephemeral path: segments separated by "$", where "*"
// matches any key or list index at that level (technologies.md §0.2).
type Path []string

// ParsePaths parses $-separated ephemeral paths; empty paths are dropped.
func ParsePaths(paths []string) []Path {
	out := make([]Path, 0, len(paths))
	for _, p := range paths {
		if p == "" {
			continue
		}
		out = append(out, Path(strings.Split(p, "$")))
	}
	return out
}

// Strip returns cfg without the values at the ephemeral paths. cfg is not
// modified: containers on a stripped path are copied, the rest is shared.
func Strip(cfg map[string]any, paths []Path) map[string]any {
	out, _ := stripAll(cfg, paths)
	return out
}

// stripAll is Strip that also reports whether anything was removed.
func stripAll(cfg map[string]any, paths []Path) (map[string]any, bool) {
	out, stripped := cfg, false
	for _, p := range paths {
		if v, changed := strip(out, p); changed {
			out, stripped = v.(map[string]any), true
		}
	}
	return out, stripped
}

// strip removes path p from v, returning the new value and whether anything
// changed (copy-on-write).
func strip(v any, p Path) (any, bool) {
	if len(p) == 0 {
		return v, false
	}
	seg, rest := p[0], p[1:]
	switch x := v.(type) {
	case map[string]any:
		var out map[string]any
		change := func(k string, nv any, del bool) {
			if out == nil {
				out = make(map[string]any, len(x))
				for kk, vv := range x {
					out[kk] = vv
				}
			}
			if del {
				delete(out, k)
			} else {
				out[k] = nv
			}
		}
		visit := func(k string, val any) {
			if len(rest) == 0 {
				change(k, nil, true)
				return
			}
			if nv, ok := strip(val, rest); ok {
				change(k, nv, false)
			}
		}
		if seg == "*" {
			for k, val := range x {
				visit(k, val)
			}
		} else if val, ok := x[seg]; ok {
			visit(seg, val)
		}
		if out == nil {
			return v, false
		}
		return out, true
	case []any:
		// A matched list element is replaced by null rather than removed,
		// so indexes stay stable and stripping is idempotent.
		var out []any
		visit := func(i int) {
			var nv any
			if len(rest) > 0 {
				var ok bool
				if nv, ok = strip(x[i], rest); !ok {
					return
				}
			} else if x[i] == nil {
				return
			}
			if out == nil {
				out = append([]any(nil), x...)
			}
			out[i] = nv
		}
		if seg == "*" {
			for i := range x {
				visit(i)
			}
		} else if i, err := strconv.Atoi(seg); err == nil && i >= 0 && i < len(x) {
			visit(i)
		}
		if out == nil {
			return v, false
		}
		return out, true
	}
	return v, false
}
