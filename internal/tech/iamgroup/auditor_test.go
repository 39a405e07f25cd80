package iamgroup_test

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/audit"
	"github.com/secmonkey/monkey/internal/audit/audittest"
	"github.com/secmonkey/monkey/internal/policy"
	"github.com/secmonkey/monkey/internal/tech/iamgroup"
)

var I = audittest.I

var loadCat = sync.OnceValues(policy.LoadCatalogue)

func newAuditor(t testing.TB) *iamgroup.Auditor {
	t.Helper()
	c, err := loadCat()
	require.NoError(t, err)
	return iamgroup.NewAuditor(c, nil)
}

func TestConformance(t *testing.T) {
	t.Parallel()
	audittest.Run(t, newAuditor(t))
}

func group(policies string) string {
	return `{"group":{"arn":"arn:aws:iam::111122223333:group/g","group_name":"g","group_id":"AGPA","path":"/","create_date":"2016-05-06T07:08:09Z"},` +
		`"grouppolicies":` + policies + `,"users":{"arn:aws:iam::111122223333:user/u":"u"},"managed_policies":[{"name":"p","arn":"arn:aws:iam::aws:policy/ReadOnlyAccess","version":"v3"}]}`
}

func TestChecks(t *testing.T) {
	t.Parallel()
	a := newAuditor(t)
	ctx := audittest.Context(t)
	admin := `{"b":{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]},"a":{"Statement":{"Effect":"Allow","Action":["iam:*","s3:PutObjectAcl"],"NotResource":"x"}}}`
	for _, tc := range []struct {
		only string
		cfg  string
		want []audittest.Issue
	}{
		{"iamgroup.star_privileges", group(admin), []audittest.Issue{I("Administrator Access", 10, `Actions: ["*"] Resources: ["*"]`)}},
		{"iamgroup.iam_star_privileges", group(admin), []audittest.Issue{I("Administrator Access", 10, `Actions: ["iam:*"] Resources: ["*"]`)}},
		{"iamgroup.permissions", group(admin), []audittest.Issue{
			I("Sensitive Permissions", 10, `Service [iam] Category: [Permissions] Resources: ["*"]`),
			I("Sensitive Permissions", 10, `Service [s3] Category: [Permissions] Resources: ["*"]`)}},
		{"iamgroup.mutable_sensitive_services", group(admin), []audittest.Issue{
			I("Sensitive Permissions", 1, `Service [iam] Category: [DataPlaneWriteAccess] Resources: ["*"]`)}},
		{"iamgroup.iam_passrole", group(admin), []audittest.Issue{I("Sensitive Permissions", 10, `Actions: ["iam:passrole"] Resources: ["*"]`)}},
		{"iamgroup.notaction", group(admin), nil},
		{"iamgroup.notresource", group(admin), []audittest.Issue{I("Awkward Statement Construction", 10, `Construct: ["NotResource"]`)}},
		{"iamgroup.security_group_permissions", group(admin), nil},
		{"iamgroup.security_group_permissions", group(`{"a":{"Statement":[{"Effect":"Allow","Action":"ec2:AuthorizeSecurityGroupEgress","Resource":["r2","r1"]}]}}`),
			[]audittest.Issue{I("Sensitive Permissions", 7, `Actions: ["ec2:authorizesecuritygroupegress"] Resources: ["r1", "r2"]`)}},
		{"iamgroup.attached_managed_policies", group(admin), nil},
	} {
		fs := a.Audit(audit.Item{Account: audittest.Prod, Config: audittest.Config(t, tc.cfg)},
			&audit.Env{Context: ctx, Only: map[string]bool{tc.only: true},
				Support: map[string][]audit.Item{"policy": {{ID: 1, Config: audittest.Config(t, `{"arn":"arn:aws:iam::aws:policy/ReadOnlyAccess"}`)}}}})
		audittest.Expect(t, fs, tc.want...)
	}
}
