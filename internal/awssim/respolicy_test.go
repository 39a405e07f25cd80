package awssim_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// requireFlavours checks that the resource policies of the first items of
// a technology cover every seeded flavour: owner only, public, the next
// account, a stranger account, a condition narrowing "*", none (""), and
// that every policy is a JSON document.
func requireFlavours(t *testing.T, policies []string, noneAllowed bool) {
	t.Helper()
	seen := map[string]bool{}
	for _, p := range policies {
		if p == "" {
			seen["none"] = true
			continue
		}
		doc := map[string]any{}
		require.NoError(t, json.Unmarshal([]byte(p), &doc), p)
		for _, k := range []string{"OwnerOnly", "Public", "PartnerAccount", "UnknownAccount", "SourceAccount", "ThirdParty", "Service", "sim-mutation-1"} {
			if strings.Contains(p, `"Sid":"`+k+`"`) {
				seen[k] = true
			}
		}
	}
	for _, k := range []string{"OwnerOnly", "Public", "PartnerAccount", "UnknownAccount", "SourceAccount", "ThirdParty"} {
		require.True(t, seen[k], "flavour %s among %d policies", k, len(policies))
	}
	if noneAllowed {
		require.True(t, seen["none"], "an item without policy")
	} else {
		require.True(t, seen["Service"], "a service principal policy")
	}
}
