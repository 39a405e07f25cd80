package audit_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/audit"
	"github.com/secmonkey/monkey/internal/monkey"
)

func TestSupportByField(t *testing.T) {
	t.Parallel()
	env := &audit.Env{Support: map[string][]audit.Item{"securitygroup": {
		{ID: 1, Config: monkey.Config{"id": "sg-1"}},
		{ID: 2, Config: monkey.Config{"id": "sg-2"}},
		{ID: 3, Config: monkey.Config{}},
		{ID: 4, Config: monkey.Config{"id": "sg-1"}},
	}}}
	idx := env.SupportByField("securitygroup", "id")
	require.Equal(t, map[string][]int{"sg-1": {0, 3}, "sg-2": {1}}, idx)
	require.Empty(t, env.SupportByField("elb", "id"))
	env.Support["securitygroup"] = nil
	require.Equal(t, idx, env.SupportByField("securitygroup", "id"), "built once per Env")
}
