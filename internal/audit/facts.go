package audit

import "github.com/secmonkey/monkey/internal/monkey"

// FactsOf returns one known resource of kind per non-empty string value
// (other values are skipped), without duplicates: the building block of the
// technology plugins' Facts functions (technologies.md Part E). Account is
// left empty (the store fills it).
func FactsOf(kind string, values ...any) []monkey.KnownResource {
	var out []monkey.KnownResource
	for _, v := range values {
		s, ok := v.(string)
		if !ok || s == "" {
			continue
		}
		k := monkey.KnownResource{Kind: kind, Value: s}
		dup := false
		for _, o := range out {
			dup = dup || o == k
		}
		if !dup {
			out = append(out, k)
		}
	}
	return out
}
