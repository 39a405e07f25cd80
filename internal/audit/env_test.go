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

// TestRegistrySupportFields: the fields kept of a support technology's
// configs are the union of what its readers declare, and every field as
// soon as one reader declares nothing.
func TestRegistrySupportFields(t *testing.T) {
	t.Parallel()
	checker := func(tech, class string, support ...string) *audit.Checker {
		return audit.NewChecker(tech, class, support, false)
	}
	g := audit.NewRegistry()
	require.NoError(t, g.Register(checker("securitygroup", "SecurityGroupAuditor")))
	require.NoError(t, g.Register(checker("flowlog", "FlowLogAuditor")))
	require.NoError(t, g.Register(checker("policy", "ManagedPolicyAuditor")))
	require.NoError(t, g.Register(checker("elb", "ELBAuditor", "securitygroup").ReadsSupport("securitygroup", "id")))
	require.NoError(t, g.Register(checker("alb", "ELBv2Auditor", "securitygroup").ReadsSupport("securitygroup", "vpc_id", "id")))
	require.NoError(t, g.Register(checker("vpc", "VPCAuditor", "flowlog", "policy").ReadsSupport("flowlog", "flow_log_id")))
	require.NoError(t, g.Register(checker("iamrole", "IAMRoleAuditor", "policy").ReadsSupport("policy")))

	for _, tc := range []struct {
		tech   string
		fields []string
		all    bool
	}{
		{tech: "securitygroup", fields: []string{"id", "vpc_id"}},
		{tech: "flowlog", fields: []string{"flow_log_id"}},
		{tech: "policy", all: true}, // vpc reads policy without declaring fields
		{tech: "elb"},               // nobody reads it
	} {
		fields, all := g.SupportFields(tc.tech)
		require.Equal(t, tc.all, all, tc.tech)
		require.Equal(t, tc.fields, fields, tc.tech)
	}
}
