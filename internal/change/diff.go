package change

import (
	"reflect"
	"slices"
	"strconv"
)

// Difference is one changed value between two configs. Path uses the same
// "$" separator as ephemeral paths, with list indexes as numbers.
type Difference struct {
	Path string `json:"path"`
	Kind string `json:"kind"` // "added", "removed", "changed"
	Old  any    `json:"old,omitempty"`
	New  any    `json:"new,omitempty"`
}

// Diff lists the differences from old to new, in path order.
func Diff(old, new map[string]any) []Difference {
	var out []Difference
	diffValue(&out, "", old, new)
	return out
}

func join(prefix, seg string) string {
	if prefix == "" {
		return seg
	}
	return prefix + "$" + seg
}

func diffValue(out *[]Difference, path string, a, b any) {
	switch x := a.(type) {
	case map[string]any:
		if y, ok := b.(map[string]any); ok {
			keys := make([]string, 0, len(x)+len(y))
			for k := range x {
				keys = append(keys, k)
			}
			for k := range y {
				if _, ok := x[k]; !ok {
					keys = append(keys, k)
				}
			}
			slices.Sort(keys)
			for _, k := range keys {
				av, aok := x[k]
				bv, bok := y[k]
				p := join(path, k)
				switch {
				case !aok:
					*out = append(*out, Difference{Path: p, Kind: "added", New: bv})
				case !bok:
					*out = append(*out, Difference{Path: p, Kind: "removed", Old: av})
				default:
					diffValue(out, p, av, bv)
				}
			}
			return
		}
	case []any:
		if y, ok := b.([]any); ok {
			n := max(len(x), len(y))
			for i := 0; i < n; i++ {
				p := join(path, strconv.Itoa(i))
				switch {
				case i >= len(x):
					*out = append(*out, Difference{Path: p, Kind: "added", New: y[i]})
				case i >= len(y):
					*out = append(*out, Difference{Path: p, Kind: "removed", Old: x[i]})
				default:
					diffValue(out, p, x[i], y[i])
				}
			}
			return
		}
	}
	if !equalJSON(a, b) {
		*out = append(*out, Difference{Path: path, Kind: "changed", Old: a, New: b})
	}
}

func equalJSON(a, b any) bool {
	ca, err1 := Canonical(a)
	cb, err2 := Canonical(b)
	if err1 != nil || err2 != nil {
		return reflect.DeepEqual(a, b)
	}
	return string(ca) == string(cb)
}
