package audittest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/audit"
)

// ResourcePolicy runs one case per resource-policy check of auditors.md
// §4.1 (plus the secure variants that must stay silent) on an auditor
// whose policy sits where wrap puts it: wrap turns a policy document (JSON)
// into the item's config (JSON). singular is the auditor's name in the
// Internet Accessible action instructions. Each case runs only the check
// it is about, in the synthetic context (prod, partner friendly, vendor
// third party).
func ResourcePolicy(t *testing.T, a audit.Auditor, singular string, wrap func(policy string) string) {
	t.Helper()
	ctx := Context(t)
	tech := a.Technology()
	pol := func(principal, cond string) string {
		s := `{"Effect":"Allow","Principal":` + principal + `,"Action":["x:Write","x:Read"],"Resource":"*"`
		if cond != "" {
			s += `,"Condition":` + cond
		}
		return `{"Version":"2012-10-17","Statement":[` + s + `}]}`
	}
	aws := func(v string) string { return `{"AWS":"` + v + `"}` }
	const acts = ` Actions: ["x:Read", "x:Write"]`
	ai := "An " + singular + " with { 'Principal': { 'AWS': '*' } } must also have a strong condition block or it is Internet Accessible. "
	for _, tc := range []struct {
		name, check, policy string
		want                []Issue
	}{
		{"internet accessible", "internet_accessible", pol(`"*"`, ""),
			[]Issue{I("Internet Accessible", 10, "Entity: [principal:*]"+acts)}},
		{"internet accessible: any account's principal", "internet_accessible", pol(aws("arn:aws:iam::*:root"), ""),
			[]Issue{I("Internet Accessible", 10, "Entity: [principal:*]"+acts)}},
		{"internet accessible: narrowed by a condition", "internet_accessible",
			pol(`"*"`, `{"StringEquals":{"aws:SourceAccount":"111122223333"}}`), nil},
		{"friendly cross account", "friendly_cross_account", pol(aws("arn:aws:iam::444455556666:role/app"), ""),
			[]Issue{I("Friendly Cross Account", 0, "Account: [444455556666/partner] Entity: [principal:arn:aws:iam::444455556666:role/app]"+acts)}},
		{"thirdparty cross account", "thirdparty_cross_account", pol(aws("arn:aws:iam::999988887777:root"), ""),
			[]Issue{I("Thirdparty Cross Account", 0, "Account: [999988887777/vendor] Entity: [principal:arn:aws:iam::999988887777:root]"+acts)}},
		{"unknown cross account", "unknown_cross_account", pol(aws("arn:aws:iam::210987654321:root"), ""),
			[]Issue{I("Unknown Access", 10, "Entity: [principal:arn:aws:iam::210987654321:root]"+acts)}},
		{"unknown cross account: condition account", "unknown_cross_account",
			pol(`"*"`, `{"StringEquals":{"aws:SourceAccount":"777788889999"}}`),
			[]Issue{I("Unknown Access", 10, "Entity: [account:777788889999]"+acts)}},
		{"unknown cross account: internet accessible policy skipped", "unknown_cross_account", pol(`"*"`, ""), nil},
		{"unknown cross account: service principal skipped", "unknown_cross_account", pol(`{"Service":"events.amazonaws.com"}`, ""), nil},
		{"root cross account", "root_cross_account", pol(aws("arn:aws:iam::210987654321:root"), ""),
			[]Issue{I("Cross-Account Root IAM", 6, "Entity: [principal:arn:aws:iam::210987654321:root]"+acts)}},
		{"root cross account: a role is not root", "root_cross_account", pol(aws("arn:aws:iam::444455556666:role/app"), ""), nil},
		{"own account: no check fires", "", pol(aws("arn:aws:iam::111122223333:root"), ""), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			only := map[string]bool{}
			if tc.check != "" {
				only[tech+"."+tc.check] = true
			} else {
				for _, m := range []string{"internet_accessible", "friendly_cross_account", "thirdparty_cross_account", "unknown_cross_account", "root_cross_account"} {
					only[tech+"."+m] = true
				}
			}
			fs := a.Audit(audit.Item{Account: Prod, Technology: tech, Name: "item", Config: Config(t, wrap(tc.policy))},
				&audit.Env{Context: ctx, Only: only})
			Expect(t, fs, tc.want...)
			for _, f := range fs {
				if f.Text == "Internet Accessible" {
					require.NotNil(t, f.ActionInstructions)
					require.Equal(t, ai, *f.ActionInstructions)
				}
			}
		})
	}
}
