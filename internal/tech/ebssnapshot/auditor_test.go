package ebssnapshot_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/audit"
	"github.com/secmonkey/monkey/internal/audit/audittest"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/tech/ebssnapshot"
)

var _ = audittest.DefineUpdateFlag()

var I = audittest.I

const ai = "An EBS Snapshot with { 'Principal': { 'AWS': '*' } } must also have a strong condition block or it is Internet Accessible. "

func TestConformance(t *testing.T) {
	t.Parallel()
	audittest.Run(t, ebssnapshot.NewAuditor())
}

func snapshot(perms string) string {
	return `{"name":"snap-1","snapshot_id":"snap-1","ownerId":"111122223333","create_volume_permissions":` + perms +
		`,"product_codes":[],"tags":[],"encrypted":false}`
}

const everyone = `[{"Group":"all"},{"UserId":"aws-marketplace"},{"UserId":"111122223333"},{"UserId":"444455556666"},` +
	`{"UserId":"999988887777"},{"UserId":"127311923021"},{"UserId":"555555555555"},{"UserId":"000000000000"}]`

func TestChecks(t *testing.T) {
	t.Parallel()
	a := ebssnapshot.NewAuditor()
	ctx := audittest.Context(t)
	for _, tc := range []struct {
		name, only, cfg string
		want            []audittest.Issue
	}{
		{"public", "ebssnapshot.internet_accessible", snapshot(everyone),
			[]audittest.Issue{I("Internet Accessible", 10, `Entity: [shared_ebs:public] Actions: ["createEBSVolume"]`)}},
		{"not public", "ebssnapshot.internet_accessible", snapshot(`[{"UserId":"all"},{"Group":"other"}]`), nil},
		{"marketplace", "ebssnapshot.marketplace_access", snapshot(everyone),
			[]audittest.Issue{I("Internet Accessible", 10, `Entity: [shared_ebs:aws-marketplace] Actions: ["createEBSVolume"]`)}},
		{"not marketplace", "ebssnapshot.marketplace_access", snapshot(`[{"Group":"aws-marketplace"}]`), nil},
		{"friendly: own account is SAME", "ebssnapshot.friendly_access", snapshot(everyone),
			[]audittest.Issue{I("Friendly Cross Account", 0, `Account: [444455556666/partner] Entity: [account:444455556666] Actions: ["createEBSVolume"]`)}},
		{"third party", "ebssnapshot.thirdparty_access", snapshot(everyone),
			[]audittest.Issue{
				I("Thirdparty Cross Account", 0, `Account: [999988887777/vendor] Entity: [account:999988887777] Actions: ["createEBSVolume"]`),
				I("Thirdparty Cross Account", 0, `Account: [127311923021/ELB Logs (us-east-1)] Entity: [account:127311923021] Actions: ["createEBSVolume"]`)}},
		{"unknown: not the marketplace, not the whitelist pseudo-account", "ebssnapshot.unknown_access", snapshot(everyone),
			[]audittest.Issue{I("Unknown Access", 10, `Entity: [account:555555555555] Actions: ["createEBSVolume"]`)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fs := a.Audit(audit.Item{Account: audittest.Prod, Config: audittest.Config(t, tc.cfg)},
				&audit.Env{Context: ctx, Only: map[string]bool{tc.only: true}})
			audittest.Expect(t, fs, tc.want...)
			for _, f := range fs {
				if f.Text == "Internet Accessible" {
					require.Equal(t, ai, *f.ActionInstructions)
				} else {
					require.Nil(t, f.ActionInstructions)
				}
			}
		})
	}
}

func TestAllChecksTogether(t *testing.T) {
	t.Parallel()
	fs := ebssnapshot.NewAuditor().Audit(audit.Item{Account: audittest.Prod, Config: audittest.Config(t, snapshot(everyone))},
		&audit.Env{Context: audittest.Context(t), Scores: []monkey.AuditScore{
			{Technology: "ebssnapshot", Method: "check_marketplace_access (EBSSnapshotAuditor)", Score: 7}}})
	audittest.Expect(t, fs,
		I("Internet Accessible", 10, `Entity: [shared_ebs:public] Actions: ["createEBSVolume"]`),
		I("Internet Accessible", 7, `Entity: [shared_ebs:aws-marketplace] Actions: ["createEBSVolume"]`),
		I("Friendly Cross Account", 0, `Account: [444455556666/partner] Entity: [account:444455556666] Actions: ["createEBSVolume"]`),
		I("Thirdparty Cross Account", 0, `Account: [999988887777/vendor] Entity: [account:999988887777] Actions: ["createEBSVolume"]`),
		I("Thirdparty Cross Account", 0, `Account: [127311923021/ELB Logs (us-east-1)] Entity: [account:127311923021] Actions: ["createEBSVolume"]`),
		I("Unknown Access", 10, `Entity: [account:555555555555] Actions: ["createEBSVolume"]`))
}
