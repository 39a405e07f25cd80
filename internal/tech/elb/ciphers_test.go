package elb

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// The cipher lists of auditors.md §5.10: 13 export, 11 deprecated, 45 not
// recommended ciphers, disjoint.
func TestCipherLists(t *testing.T) {
	t.Parallel()
	require.Len(t, exportCiphers, 13)
	require.Len(t, deprecatedCiphers, 11)
	require.Len(t, notRecommendedCiphers, 45)
	for c := range exportCiphers {
		require.False(t, deprecatedCiphers[c] || notRecommendedCiphers[c], c)
	}
	for c := range deprecatedCiphers {
		require.False(t, notRecommendedCiphers[c], c)
	}
}
