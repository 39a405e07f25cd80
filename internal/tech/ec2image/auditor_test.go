package ec2image_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/audit"
	"github.com/secmonkey/monkey/internal/audit/audittest"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/tech/ec2image"
)

var _ = audittest.DefineUpdateFlag()

var I = audittest.I

const ai = "An EC2 Image with { 'Principal': { 'AWS': '*' } } must also have a strong condition block or it is Internet Accessible. "

func TestConformance(t *testing.T) {
	t.Parallel()
	audittest.Run(t, ec2image.NewAuditor())
}

func image(public bool, perms string) string {
	p := "false"
	if public {
		p = "true"
	}
	return `{"ImageId":"ami-1","Public":` + p + `,"LaunchPermissions":` + perms + `,"Arn":"arn:aws:ec2:us-east-1::image/ami-1","Region":"us-east-1","_version":1}`
}

func TestChecks(t *testing.T) {
	t.Parallel()
	a := ec2image.NewAuditor()
	ctx := audittest.Context(t)
	for _, tc := range []struct {
		name, only, cfg string
		want            []audittest.Issue
	}{
		{"public flag", "ec2image.internet_accessible", image(true, `[]`),
			[]audittest.Issue{I("Internet Accessible", 10, `Entity: [account:all] Actions: ["LaunchPermissions"]`)}},
		{"group all", "ec2image.internet_accessible", image(false, `[{"Group":"all"},{"UserId":"444455556666"}]`),
			[]audittest.Issue{I("Internet Accessible", 10, `Entity: [account:all] Actions: ["LaunchPermissions"]`)}},
		{"private", "ec2image.internet_accessible", image(false, `[{"UserId":"444455556666"}]`), nil},
		{"friendly, own account included", "ec2image.friendly_cross_account",
			image(true, `[{"Group":"all"},{"UserId":"444455556666"},{"UserId":"111122223333"},{"UserId":"999988887777"},{"UserId":"555555555555"}]`),
			[]audittest.Issue{
				I("Friendly Cross Account", 0, `Account: [444455556666/partner] Entity: [account:444455556666] Actions: ["LaunchPermissions"]`),
				I("Friendly Cross Account", 0, `Account: [111122223333/prod] Entity: [account:111122223333] Actions: ["LaunchPermissions"]`)}},
		{"third party, AWS-owned accounts included", "ec2image.thirdparty_cross_account",
			image(false, `[{"UserId":"999988887777"},{"UserId":"127311923021"},{"UserId":"444455556666"}]`),
			[]audittest.Issue{
				I("Thirdparty Cross Account", 0, `Account: [999988887777/vendor] Entity: [account:999988887777] Actions: ["LaunchPermissions"]`),
				I("Thirdparty Cross Account", 0, `Account: [127311923021/ELB Logs (us-east-1)] Entity: [account:127311923021] Actions: ["LaunchPermissions"]`)}},
		{"unknown", "ec2image.unknown_cross_account",
			image(false, `[{"UserId":"555555555555"},{"Group":"all"},{"UserId":"444455556666"},{"OrganizationArn":"arn:aws:organizations::555555555555:organization/o-x"},{}]`),
			[]audittest.Issue{
				I("Unknown Access", 10, `Entity: [account:555555555555] Actions: ["LaunchPermissions"]`),
				I("Unknown Access", 10, `Entity: [account:arn:aws:organizations::555555555555:organization/o-x] Actions: ["LaunchPermissions"]`),
				I("Unknown Access", 10, `Entity: [account:None] Actions: ["LaunchPermissions"]`)}},
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

func TestOverride(t *testing.T) {
	t.Parallel()
	a := ec2image.NewAuditor()
	scores := []monkey.AuditScore{
		{Technology: "ec2image", Method: "check_unknown_cross_account (EC2ImageAuditor)", Score: 4},
		{Technology: "ec2image", Method: "check_internet_accessible (EC2ImageAuditor)", Disabled: true},
	}
	fs := a.Audit(audit.Item{Account: audittest.Prod, Config: audittest.Config(t, image(true, `[{"UserId":"555555555555"}]`))},
		&audit.Env{Context: audittest.Context(t), Scores: scores})
	audittest.Expect(t, fs, I("Unknown Access", 4, `Entity: [account:555555555555] Actions: ["LaunchPermissions"]`))
}
