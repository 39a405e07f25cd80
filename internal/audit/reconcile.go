package audit

import (
	"slices"

	"github.com/secmonkey/monkey/internal/monkey"
)

// Reconcile compares the findings of auditor class with an item's stored
// issues (auditors.md §2.8). Stored issues of other classes are untouched;
// stored issues with a null (empty) class are fixed; a regression keeps its
// justification (only Fixed changes); linked items never change the key but
// are updated on kept and reopened issues when they differ.
func Reconcile(class string, stored []monkey.Issue, found []Finding) Reconciliation {
	var rec Reconciliation
	byKey := map[string][]int{}
	for i, s := range stored {
		if s.AuditorClass == class {
			byKey[s.Key()] = append(byKey[s.Key()], i)
		}
	}
	matched := make([]bool, len(stored))
	seen := map[string]bool{}
	for _, f := range found {
		k := f.Key(class)
		if seen[k] {
			continue
		}
		seen[k] = true
		idx, ok := byKey[k]
		if !ok {
			rec.Create = append(rec.Create, f)
			continue
		}
		for _, i := range idx {
			matched[i] = true
			s := stored[i]
			if s.Fixed {
				rec.Reopen = append(rec.Reopen, s.ID)
			}
			if !sameLinks(s.LinkedItemIDs, f.LinkedItemIDs) {
				if rec.Links == nil {
					rec.Links = map[int64][]int64{}
				}
				rec.Links[s.ID] = append([]int64(nil), f.LinkedItemIDs...)
			}
		}
	}
	for i, s := range stored {
		if matched[i] || s.Fixed {
			continue
		}
		if s.AuditorClass == class || s.AuditorClass == "" {
			rec.Fix = append(rec.Fix, s.ID)
		}
	}
	return rec
}

func sameLinks(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}
