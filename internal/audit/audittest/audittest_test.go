package audittest_test

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/audit/audittest"
)

// Appendix A: 37 auditors, 174 auditor × check pairs, sorted lists.
func TestAppendixA(t *testing.T) {
	t.Parallel()
	a := audittest.AppendixA()
	require.Len(t, a, 37)
	n := 0
	classes := map[string]bool{}
	for tech, e := range a {
		require.True(t, slices.IsSorted(e.Methods), tech)
		require.False(t, classes[e.Class], e.Class)
		classes[e.Class] = true
		n += len(e.Methods)
	}
	require.Equal(t, 174, n)
	for tech, want := range map[string]int{"iamrole": 14, "iamuser": 15, "iamgroup": 9, "policy": 8, "s3": 13, "securitygroup": 9} {
		require.Len(t, a[tech].Methods, want, tech)
	}
}
