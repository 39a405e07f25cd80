package rdssnapshot_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/audit"
	"github.com/secmonkey/monkey/internal/audit/audittest"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/tech/rdssnapshot"
)

var I = audittest.I

func TestConformance(t *testing.T) {
	t.Parallel()
	audittest.Run(t, rdssnapshot.NewAuditor())
}

func snapshot(restore string) string {
	return `{"DBSnapshotIdentifier":"nightly","SnapshotType":"manual","Arn":"arn:aws:rds:us-east-1:111122223333:snapshot:nightly",` +
		`"Attributes":{"restore":` + restore + `}}`
}

const ai = "An RDS Snapshot with { 'Principal': { 'AWS': '*' } } must also have a strong condition block or it is Internet Accessible. "

func TestChecks(t *testing.T) {
	t.Parallel()
	ctx := audittest.Context(t) // prod, partner friendly; vendor and the AWS-owned accounts third party
	a := rdssnapshot.NewAuditor()
	for _, tc := range []struct {
		name, only, cfg string
		want            []audittest.Issue
	}{
		{"internet", "rdssnapshot.internet_accessible", snapshot(`["all", "444455556666"]`),
			[]audittest.Issue{I("Internet Accessible", 10, `Entity: [account:all] Actions: ["restore"]`)}},
		{"not internet", "rdssnapshot.internet_accessible", snapshot(`["444455556666"]`), nil},
		{"friendly, own account included", "rdssnapshot.friendly_cross_account", snapshot(`["444455556666", "111122223333", "all", "999988887777", "123456789012"]`),
			[]audittest.Issue{I("Friendly Cross Account", 0, `Account: [444455556666/partner] Entity: [account:444455556666] Actions: ["restore"]`),
				I("Friendly Cross Account", 0, `Account: [111122223333/prod] Entity: [account:111122223333] Actions: ["restore"]`)}},
		{"thirdparty", "rdssnapshot.thirdparty_cross_account", snapshot(`["999988887777", "127311923021", "444455556666"]`),
			[]audittest.Issue{I("Thirdparty Cross Account", 0, `Account: [999988887777/vendor] Entity: [account:999988887777] Actions: ["restore"]`),
				I("Thirdparty Cross Account", 0, `Account: [127311923021/ELB Logs (us-east-1)] Entity: [account:127311923021] Actions: ["restore"]`)}},
		{"unknown", "rdssnapshot.unknown_cross_account", snapshot(`["123456789012", "all", "444455556666", 42]`),
			[]audittest.Issue{I("Unknown Access", 10, `Entity: [account:123456789012] Actions: ["restore"]`),
				I("Unknown Access", 10, `Entity: [account:42] Actions: ["restore"]`)}},
		{"private", "", snapshot(`[]`), nil},
		{"no attributes", "", `{"DBSnapshotIdentifier":"x","Attributes":{}}`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var only map[string]bool
			if tc.only != "" {
				only = map[string]bool{tc.only: true}
			}
			fs := a.Audit(audit.Item{Account: audittest.Prod, Config: audittest.Config(t, tc.cfg)}, &audit.Env{Context: ctx, Only: only})
			audittest.Expect(t, fs, tc.want...)
			for _, f := range fs {
				if f.Text == "Internet Accessible" {
					require.NotNil(t, f.ActionInstructions)
					require.Equal(t, ai, *f.ActionInstructions)
				}
			}
		})
	}
}

func TestOverride(t *testing.T) {
	t.Parallel()
	scores := []monkey.AuditScore{{Technology: "rdssnapshot", Method: "check_unknown_cross_account (RDSSnapshotAuditor)", Score: 4,
		Patterns: []monkey.AccountPatternScore{{AccountField: "name", AccountPattern: "prod", Score: 7}}}}
	fs := rdssnapshot.NewAuditor().Audit(audit.Item{Account: audittest.Prod, Config: audittest.Config(t, snapshot(`["123456789012"]`))},
		&audit.Env{Context: audittest.Context(t), Scores: scores})
	audittest.Expect(t, fs, I("Unknown Access", 7, `Entity: [account:123456789012] Actions: ["restore"]`))
}
