package iamrole_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/audit"
	"github.com/secmonkey/monkey/internal/audit/audittest"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/policy"
	"github.com/secmonkey/monkey/internal/tech"
	"github.com/secmonkey/monkey/internal/tech/iamrole"
)

var I, N = audittest.I, audittest.N

var loadCat = sync.OnceValues(policy.LoadCatalogue)

func newAuditor(t testing.TB) *iamrole.Auditor {
	t.Helper()
	c, err := loadCat()
	require.NoError(t, err)
	return iamrole.NewAuditor(c, nil)
}

func TestConformance(t *testing.T) {
	t.Parallel()
	audittest.Run(t, newAuditor(t))
	require.Equal(t, []string{"policy"}, newAuditor(t).Support())
	require.False(t, newAuditor(t).TimeDependent())
}

func role(trust, inline string) string {
	return `{"Arn":"arn:aws:iam::111122223333:role/r","RoleName":"r","RoleId":"AROAR","Path":"/","CreateDate":"2019-01-01T00:00:00Z",` +
		`"AssumeRolePolicyDocument":` + trust + `,"InlinePolicies":` + inline + `,"ManagedPolicies":[{"name":"p","arn":"arn:aws:iam::111122223333:policy/p"}],` +
		`"InstanceProfiles":[],"Tags":{},"_version":3}`
}

const ec2Trust = `{"Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`

func inline(stmts ...string) string {
	out := "{"
	for i, s := range stmts {
		if i > 0 {
			out += ","
		}
		out += fmt.Sprintf(`"p%d":{"Version":"2012-10-17","Statement":%s}`, i, s)
	}
	return out + "}"
}

func TestChecks(t *testing.T) {
	t.Parallel()
	a := newAuditor(t)
	ctx := audittest.Context(t)
	for _, tc := range []struct {
		name     string
		only     string
		cfg      string
		settings tech.Settings
		want     []audittest.Issue
	}{
		{"star privileges: first match notes", "iamrole.star_privileges",
			role(ec2Trust, inline(
				`[{"Effect":"Deny","Action":"*","Resource":"x"},{"Effect":"Allow","Action":"*","Resource":["b","a"]},{"Effect":"Allow","Action":"*","Resource":"c"}]`,
				`{"Effect":"Allow","Action":["*"]}`)),
			nil, []audittest.Issue{I("Administrator Access", 10, `Actions: ["*"] Resources: ["a", "b"]`)}},
		{"iam star privileges", "iamrole.iam_star_privileges",
			role(ec2Trust, inline(`[{"Effect":"Allow","Action":"IAM:*","Resource":"*"},{"Effect":"Allow","Action":"iam:*"}]`)),
			nil, []audittest.Issue{I("Administrator Access", 10, `Actions: ["iam:*"] Resources: ["*"]`)}},
		{"permissions per service", "iamrole.permissions",
			role(ec2Trust, inline(`[{"Effect":"Allow","Action":["iam:PutRolePolicy","s3:PutBucketPolicy","s3:GetObject","kms:Decrypt"],"Resource":"*"},
				{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"kms:CreateGrant","Resource":"*"},
				{"Effect":"Allow","Action":"kms:Create*","NotResource":"arn:x"}]`)),
			nil, []audittest.Issue{
				I("Sensitive Permissions", 10, `Service [iam] Category: [Permissions] Resources: ["*"]`),
				I("Sensitive Permissions", 10, `Service [s3] Category: [Permissions] Resources: ["*"]`),
				I("Sensitive Permissions", 10, `Service [kms] Category: [Permissions] Resources: ["*"]`)}},
		{"mutable sensitive services: ALL default", "iamrole.mutable_sensitive_services",
			role(ec2Trust, inline(`{"Effect":"Allow","Action":["iam:PassRole","s3:GetObject","sqs:SendMessage","newsvc:Do"]}`)),
			nil, []audittest.Issue{
				I("Sensitive Permissions", 1, `Service [iam] Category: [DataPlaneWriteAccess] Resources: [null]`),
				I("Sensitive Permissions", 1, `Service [sqs] Category: [DataPlaneWriteAccess] Resources: [null]`)}},
		{"mutable sensitive services: list", "iamrole.mutable_sensitive_services",
			role(ec2Trust, inline(`{"Effect":"Allow","Action":["iam:PassRole","sqs:SendMessage"],"Resource":"*"}`)),
			tech.Settings{"SENSITIVE_SERVICES": "s3, sqs"}, []audittest.Issue{
				I("Sensitive Permissions", 1, `Service [sqs] Category: [DataPlaneWriteAccess] Resources: ["*"]`)}},
		{"mutable sensitive services: disabled", "iamrole.mutable_sensitive_services",
			role(ec2Trust, inline(`{"Effect":"Allow","Action":["iam:PassRole"],"Resource":"*"}`)),
			tech.Settings{"SENSITIVE_SERVICES": ""}, nil},
		{"iam passrole first match", "iamrole.iam_passrole",
			role(ec2Trust, inline(`[{"Effect":"Allow","Action":"iam:Pass*","Resource":"arn:aws:iam::111122223333:role/a"},{"Effect":"Allow","Action":"iam:PassRole","Resource":"b"}]`)),
			nil, []audittest.Issue{I("Sensitive Permissions", 10, `Actions: ["iam:passrole"] Resources: ["arn:aws:iam::111122223333:role/a"]`)}},
		{"iam passrole via NotAction; star excluded", "iamrole.iam_passrole",
			role(ec2Trust, inline(`[{"Effect":"Allow","Action":"*","Resource":"x"},{"Effect":"Allow","NotAction":"s3:*","Resource":"y"}]`)),
			nil, []audittest.Issue{I("Sensitive Permissions", 10, `Actions: ["iam:passrole"] Resources: ["y"]`)}},
		{"notaction", "iamrole.notaction",
			role(ec2Trust, inline(`[{"Effect":"Allow","NotAction":"s3:*"},{"Effect":"Deny","NotAction":"iam:*"},{"Effect":"Allow","NotAction":[]}]`)),
			nil, []audittest.Issue{I("Awkward Statement Construction", 10, `Construct: ["NotAction"]`)}},
		{"notresource", "iamrole.notresource",
			role(ec2Trust, inline(`[{"Effect":"Allow","Action":"s3:GetObject","NotResource":"arn:aws:s3:::b/*"}]`)),
			nil, []audittest.Issue{I("Awkward Statement Construction", 10, `Construct: ["NotResource"]`)}},
		{"security group permissions narrowing", "iamrole.security_group_permissions",
			role(ec2Trust, inline(
				`[{"Effect":"Allow","Action":"ec2:Authorize*","Resource":"a"},{"Effect":"Allow","Action":"ec2:AuthorizeSecurityGroupIngress","Resource":"b"},{"Effect":"Allow","Action":"ec2:AuthorizeSecurityGroup*","Resource":"c"}]`)),
			nil, []audittest.Issue{
				I("Sensitive Permissions", 7, `Actions: ["ec2:authorizesecuritygroupegress", "ec2:authorizesecuritygroupingress"] Resources: ["a"]`),
				I("Sensitive Permissions", 7, `Actions: ["ec2:authorizesecuritygroupingress"] Resources: ["b"]`),
				I("Sensitive Permissions", 7, `Actions: ["ec2:authorizesecuritygroupingress"] Resources: ["c"]`)}},
		{"security group permissions silenced by earlier statement", "iamrole.security_group_permissions",
			role(ec2Trust, inline(`[{"Effect":"Allow","Action":"s3:GetObject","Resource":"a"}]`, `[{"Effect":"Allow","Action":"ec2:*","Resource":"b"}]`)),
			nil, nil},
		{"attached managed policies never an issue", "iamrole.attached_managed_policies",
			role(ec2Trust, inline()), nil, nil},
		// §4.1 on the trust policy.
		{"trust: friendly root", "iamrole.friendly_cross_account",
			role(`{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"sts:AssumeRole"}}`, inline()),
			nil, []audittest.Issue{I("Friendly Cross Account", 0, `Account: [444455556666/partner] Entity: [principal:arn:aws:iam::444455556666:root] Actions: ["sts:AssumeRole"]`)}},
		{"trust: friendly root is also cross-account root", "iamrole.root_cross_account",
			role(`{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"sts:AssumeRole"}}`, inline()),
			nil, []audittest.Issue{I("Cross-Account Root IAM", 6, `Account: [444455556666/partner] Entity: [principal:arn:aws:iam::444455556666:root] Actions: ["sts:AssumeRole"]`)}},
		{"trust: bare account number is not root", "iamrole.root_cross_account",
			role(`{"Statement":{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"sts:AssumeRole"}}`, inline()), nil, nil},
		{"trust: thirdparty", "iamrole.thirdparty_cross_account",
			role(`{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999988887777:role/x"},"Action":"sts:AssumeRole"}}`, inline()),
			nil, []audittest.Issue{I("Thirdparty Cross Account", 0, `Account: [999988887777/vendor] Entity: [principal:arn:aws:iam::999988887777:role/x] Actions: ["sts:AssumeRole"]`)}},
		{"trust: internet accessible", "iamrole.internet_accessible",
			role(`{"Statement":{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}}`, inline()),
			nil, []audittest.Issue{I("Internet Accessible", 10, `Entity: [principal:*] Actions: ["sts:AssumeRole"]`)}},
		{"trust: service principal not unknown", "iamrole.unknown_cross_account", role(ec2Trust, inline()), nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ta := a
			if tc.settings != nil {
				cat, err := loadCat()
				require.NoError(t, err)
				ta = iamrole.NewAuditor(cat, tc.settings)
			}
			fs := ta.Audit(audit.Item{Account: audittest.Prod, Config: audittest.Config(t, tc.cfg)},
				&audit.Env{Context: ctx, Only: map[string]bool{tc.only: true}})
			audittest.Expect(t, fs, tc.want...)
		})
	}
}

// §4.1 consequences: unregistered root → Unknown Access + Cross-Account Root.
func TestUnregisteredRoot(t *testing.T) {
	t.Parallel()
	a := newAuditor(t)
	cfg := audittest.Config(t, role(`{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::555566667777:root"},"Action":"sts:AssumeRole"}}`, inline()))
	fs := a.Audit(audit.Item{Account: audittest.Prod, Config: cfg}, &audit.Env{Context: audittest.Context(t)})
	audittest.Expect(t, fs,
		I("Unknown Access", 10, `Entity: [principal:arn:aws:iam::555566667777:root] Actions: ["sts:AssumeRole"]`),
		I("Cross-Account Root IAM", 6, `Entity: [principal:arn:aws:iam::555566667777:root] Actions: ["sts:AssumeRole"]`))
	for _, f := range fs {
		require.Nil(t, f.ActionInstructions)
	}
}

// The override of the running check applies to recorders and Parse Error;
// a Parse Error raised under two checks with different overrides yields
// two issues.
func TestOverrideAppliesToSideEffects(t *testing.T) {
	t.Parallel()
	a := newAuditor(t)
	cfg := audittest.Config(t, role(`{"Statement":{"Effect":"Allow","Principal":{"AWS":"bogus"},"Action":"sts:AssumeRole"}}`, inline()))
	scores := []monkey.AuditScore{{Technology: "iamrole", Method: "check_friendly_cross_account (IAMRoleAuditor)", Score: 1}}
	fs := a.Audit(audit.Item{Account: audittest.Prod, Config: cfg}, &audit.Env{Context: audittest.Context(t), Scores: scores})
	audittest.Expect(t, fs,
		I("Parse Error", 1, "Could not parse ARN - bogus"),
		I("Parse Error", 3, "Could not parse ARN - bogus"),
		I("Unknown Access", 10, `Entity: [principal:bogus] Actions: ["sts:AssumeRole"]`))
}

// BenchmarkAudit100kRoles audits 100,000 roles (one b.N iteration =
// 100,000 roles). "typical": least-privilege inline policies and an
// Administrator role; "notaction": every third role has an Allow NotAction
// statement, which yields ~190 Sensitive Permissions issues per role.
func BenchmarkAudit100kRoles(b *testing.B) {
	a := newAuditor(b)
	ctx := audittest.Context(b)
	typical := []monkey.Config{
		audittest.Config(b, role(ec2Trust, inline(`[{"Effect":"Allow","Action":["s3:Get*","s3:List*","sqs:*"],"Resource":"*"}]`))),
		audittest.Config(b, role(`{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"sts:AssumeRole"}}`,
			inline(`[{"Effect":"Allow","Action":"*","Resource":"*"}]`))),
		audittest.Config(b, role(ec2Trust, inline(`[{"Effect":"Allow","Action":["ec2:Describe*","ec2:AuthorizeSecurityGroupIngress","iam:PassRole","logs:*"],"Resource":"*"}]`))),
	}
	notaction := append([]monkey.Config{audittest.Config(b, role(ec2Trust, inline(`{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}`)))}, typical[:2]...)
	for _, bc := range []struct {
		name string
		cfgs []monkey.Config
	}{{"typical", typical}, {"notaction", notaction}} {
		b.Run(bc.name, func(b *testing.B) {
			env := &audit.Env{Context: ctx}
			for b.Loop() {
				for i := range 100000 {
					a.Audit(audit.Item{Account: audittest.Prod, Config: bc.cfgs[i%len(bc.cfgs)]}, env)
				}
			}
		})
	}
}

// One catalogue and one context are shared by concurrent audits.
func TestConcurrentAudits(t *testing.T) {
	t.Parallel()
	a := newAuditor(t)
	ctx := audittest.Context(t)
	cfg := audittest.Config(t, role(ec2Trust, inline(`[{"Effect":"Allow","Action":["s3:Get*","iam:Pass*","ec2:Authorize*"],"Resource":"*"}]`)))
	want := a.Audit(audit.Item{Account: audittest.Prod, Config: cfg}, &audit.Env{Context: ctx})
	require.NotEmpty(t, want)
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := audittest.Config(t, role(ec2Trust, inline(fmt.Sprintf(`[{"Effect":"Allow","Action":["s3:Get*","iam:Pass*","ec2:Authorize*","svc%d:*"],"Resource":"*"}]`, i))))
			for range 50 {
				a.Audit(audit.Item{Account: audittest.Prod, Config: c}, &audit.Env{Context: ctx})
			}
		}()
	}
	wg.Wait()
	require.Equal(t, want, a.Audit(audit.Item{Account: audittest.Prod, Config: cfg}, &audit.Env{Context: ctx}))
}
