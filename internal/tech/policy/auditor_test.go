package policy_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/audit"
	"github.com/secmonkey/monkey/internal/audit/audittest"
	iampolicy "github.com/secmonkey/monkey/internal/policy"
	"github.com/secmonkey/monkey/internal/tech/policy"
)

var I = audittest.I

func newAuditor(t testing.TB) *policy.Auditor {
	t.Helper()
	c, err := iampolicy.LoadCatalogue()
	require.NoError(t, err)
	return policy.NewAuditor(c, nil)
}

func TestConformance(t *testing.T) {
	t.Parallel()
	audittest.Run(t, newAuditor(t))
}

func managed(arn, users, roles, groups, doc string) string {
	return `{"name":"p","arn":"` + arn + `","create_date":"2019-01-01 00:00:00+00:00","update_date":"2019-01-01 00:00:00+00:00",` +
		`"default_version_id":"v1","attachment_count":0,"attached_users":` + users + `,"attached_roles":` + roles +
		`,"attached_groups":` + groups + `,"policy":` + doc + `}`
}

func TestChecks(t *testing.T) {
	t.Parallel()
	a := newAuditor(t)
	ctx := audittest.Context(t)
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Allow","NotAction":"iam:*","Resource":"*"},
		{"Effect":"Allow","Action":["iam:PassRole","ec2:AuthorizeSecurityGroupIngress"],"Resource":"arn:aws:iam::111122223333:role/x"}]}`
	cust := managed("arn:aws:iam::111122223333:policy/p", "[]", "[]", "[]", doc)
	awsUnattached := managed("arn:aws:iam::aws:policy/AdministratorAccess", "[]", "[]", "[]", doc)
	awsAttached := managed("arn:aws:iam::aws:policy/AdministratorAccess", "[]", `["arn:aws:iam::111122223333:role/r"]`, "[]", doc)
	govUnattached := managed("arn:aws-us-gov:iam::aws:policy/AdministratorAccess", "[]", "[]", "[]", doc)
	for _, tc := range []struct {
		name string
		only string
		cfg  string
		want []audittest.Issue
	}{
		{"star customer", "policy.star_privileges", cust, []audittest.Issue{I("Administrator Access", 10, `Actions: ["*"] Resources: ["*"]`)}},
		{"star aws unattached skipped", "policy.star_privileges", awsUnattached, nil},
		{"star gov unattached skipped", "policy.star_privileges", govUnattached, nil},
		{"star aws attached", "policy.star_privileges", awsAttached, []audittest.Issue{I("Administrator Access", 10, `Actions: ["*"] Resources: ["*"]`)}},
		{"iam star", "policy.iam_star_privileges", cust, nil},
		{"notaction", "policy.notaction", cust, []audittest.Issue{I("Awkward Statement Construction", 10, `Construct: ["NotAction"]`)}},
		{"notresource", "policy.notresource", cust, nil},
		{"passrole: NotAction iam:* excludes it", "policy.iam_passrole", cust,
			[]audittest.Issue{I("Sensitive Permissions", 10, `Actions: ["iam:passrole"] Resources: ["arn:aws:iam::111122223333:role/x"]`)}},
		{"sg permissions", "policy.security_group_permissions", cust, []audittest.Issue{
			I("Sensitive Permissions", 7, `Actions: ["ec2:authorizesecuritygroupegress", "ec2:authorizesecuritygroupingress"] Resources: ["*"]`),
			I("Sensitive Permissions", 7, `Actions: ["ec2:authorizesecuritygroupingress"] Resources: ["arn:aws:iam::111122223333:role/x"]`)}},
		{"permissions", "policy.permissions",
			managed("arn:aws:iam::111122223333:policy/p", "[]", "[]", "[]", `{"Statement":{"Effect":"Allow","Action":["kms:CreateGrant","s3:PutObjectAcl","sts:AssumeRole"],"Resource":"*"}}`),
			[]audittest.Issue{I("Sensitive Permissions", 10, `Service [kms] Category: [Permissions] Resources: ["*"]`),
				I("Sensitive Permissions", 10, `Service [s3] Category: [Permissions] Resources: ["*"]`)}},
		{"mutable", "policy.mutable_sensitive_services",
			managed("arn:aws:iam::111122223333:policy/p", "[]", "[]", "[]", `{"Statement":{"Effect":"Allow","Action":["kms:CreateGrant","s3:PutObject","sts:AssumeRole","s3:GetObject"],"Resource":"*"}}`),
			[]audittest.Issue{I("Sensitive Permissions", 1, `Service [s3] Category: [DataPlaneWriteAccess] Resources: ["*"]`),
				I("Sensitive Permissions", 1, `Service [sts] Category: [DataPlaneWriteAccess] Resources: ["*"]`)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fs := a.Audit(audit.Item{Account: audittest.Prod, Config: audittest.Config(t, tc.cfg)},
				&audit.Env{Context: ctx, Only: map[string]bool{tc.only: true}})
			audittest.Expect(t, fs, tc.want...)
		})
	}
}
