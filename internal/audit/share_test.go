package audit_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/audit"
)

func TestAccountShareChecks(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	shared := func(r *audit.Run) audit.AccountShare {
		list, _ := r.Item.Config["Shared"].([]any)
		public, _ := r.Item.Config["Public"].(bool)
		return audit.AccountShare{Accounts: list, Public: public}
	}
	checks := audit.AccountShareChecks("Thing", "share", shared)
	a := audit.NewChecker("thing", "ThingAuditor", nil, false, checks...)
	ai := audit.Str("An Thing with { 'Principal': { 'AWS': '*' } } must also have a strong condition block or it is Internet Accessible. ")
	for _, tc := range []struct {
		name   string
		only   string
		shared []any
		public bool
		want   []audit.Finding
	}{
		{"all", "thing.internet_accessible", []any{"444455556666", "all"}, false,
			[]audit.Finding{{Score: 10, Text: "Internet Accessible", Notes: audit.Str(`Entity: [account:all] Actions: ["share"]`), ActionInstructions: ai}}},
		{"public flag", "thing.internet_accessible", nil, true,
			[]audit.Finding{{Score: 10, Text: "Internet Accessible", Notes: audit.Str(`Entity: [account:all] Actions: ["share"]`), ActionInstructions: ai}}},
		{"public flag and all: one issue", "thing.internet_accessible", []any{"all"}, true,
			[]audit.Finding{{Score: 10, Text: "Internet Accessible", Notes: audit.Str(`Entity: [account:all] Actions: ["share"]`), ActionInstructions: ai}}},
		{"private", "thing.internet_accessible", []any{"444455556666"}, false, nil},
		{"friendly includes the item's own account", "thing.friendly_cross_account", []any{"444455556666", "111122223333", "999988887777", "all", "555555555555"}, false,
			[]audit.Finding{
				{Score: 0, Text: "Friendly Cross Account", Notes: audit.Str(`Account: [444455556666/partner] Entity: [account:444455556666] Actions: ["share"]`)},
				{Score: 0, Text: "Friendly Cross Account", Notes: audit.Str(`Account: [111122223333/prod] Entity: [account:111122223333] Actions: ["share"]`)},
			}},
		{"third party", "thing.thirdparty_cross_account", []any{"444455556666", "999988887777", "all"}, false,
			[]audit.Finding{{Score: 0, Text: "Thirdparty Cross Account", Notes: audit.Str(`Account: [999988887777/vendor] Entity: [account:999988887777] Actions: ["share"]`)}}},
		{"unknown: undescribed ids and non-ids, never all", "thing.unknown_cross_account", []any{"555555555555", "all", "444455556666", nil, 111122223333.0}, true,
			[]audit.Finding{
				{Score: 10, Text: "Unknown Access", Notes: audit.Str(`Entity: [account:555555555555] Actions: ["share"]`)},
				{Score: 10, Text: "Unknown Access", Notes: audit.Str(`Entity: [account:None] Actions: ["share"]`)},
				{Score: 10, Text: "Unknown Access", Notes: audit.Str(`Entity: [account:111122223333] Actions: ["share"]`)},
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fs := a.Audit(audit.Item{Account: prod, Config: map[string]any{"Shared": tc.shared, "Public": tc.public}},
				&audit.Env{Context: ctx, Only: map[string]bool{tc.only: true}})
			require.Equal(t, tc.want, fs)
		})
	}
}
