package s3_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/audit"
	"github.com/secmonkey/monkey/internal/audit/audittest"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/tech/s3"
)

var _ = audittest.DefineUpdateFlag()

var I, N = audittest.I, audittest.N

const ai = "An S3 Bucket with { 'Principal': { 'AWS': '*' } } must also have a strong condition block or it is Internet Accessible. "

func TestConformance(t *testing.T) {
	t.Parallel()
	audittest.Run(t, s3.NewAuditor())
}

func bucket(grants, policy string) string {
	return `{"Arn":"arn:aws:s3:::b","Name":"b","Region":"us-east-1","Owner":{"ID":"OWNERCANON"},"Grants":` + grants +
		`,"Policy":` + policy + `,"_version":9}`
}

const ownerOnly = `{"OWNERCANON":["FULL_CONTROL"]}`

func pol(stmts string) string { return `{"Version":"2012-10-17","Statement":` + stmts + `}` }

func TestChecks(t *testing.T) {
	t.Parallel()
	a := s3.NewAuditor()
	ctx := audittest.Context(t,
		monkey.KnownResource{Account: "444455556666", Kind: "s3_bucket", Value: "partner-bucket"},
		monkey.KnownResource{Account: "111122223333", Kind: "userid", Value: "AROAPROD"})
	for _, tc := range []struct {
		name string
		only string
		cfg  string
		want []audittest.Issue
	}{
		{"policy internet accessible", "s3.internet_accessible",
			bucket(ownerOnly, pol(`[{"Effect":"Allow","Principal":"*","Action":["s3:PutObject","s3:GetObject"],"Resource":"arn:aws:s3:::b/*"},
				{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::*:root"},"Action":"s3:ListBucket","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-1"}}},
				{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::*:role/r"},"Action":"s3:DeleteObject"}]`)),
			[]audittest.Issue{I("Internet Accessible", 10, `Entity: [principal:*] Actions: ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"]`)}},
		{"policy open cidr condition", "s3.internet_accessible",
			bucket(ownerOnly, pol(`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Condition":{"IpAddress":{"aws:SourceIp":["10.1.0.0/16","0.0.0.0/0"]}}}`)),
			[]audittest.Issue{I("Internet Accessible", 10, `Entity: [principal:*] Actions: ["s3:GetObject"]`)}},
		{"friendly root", "s3.friendly_cross_account",
			bucket(ownerOnly, pol(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"s3:GetObject"}`)),
			[]audittest.Issue{I("Friendly Cross Account", 0, `Account: [444455556666/partner] Entity: [principal:arn:aws:iam::444455556666:root] Actions: ["s3:GetObject"]`)}},
		{"friendly via bucket arn condition", "s3.friendly_cross_account",
			bucket(ownerOnly, pol(`{"Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"s3:PutObject","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:s3:::partner-bucket"}}}`)),
			[]audittest.Issue{I("Friendly Cross Account", 0, `Account: [444455556666/partner] Entity: [arn:arn:aws:s3:::partner-bucket] Actions: ["s3:PutObject"]`)}},
		{"thirdparty: ELB log delivery account", "s3.thirdparty_cross_account",
			bucket(ownerOnly, pol(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::127311923021:root"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::b/AWSLogs/*"}`)),
			[]audittest.Issue{I("Thirdparty Cross Account", 0, `Account: [127311923021/ELB Logs (us-east-1)] Entity: [principal:arn:aws:iam::127311923021:root] Actions: ["s3:PutObject"]`)}},
		{"unknown account condition", "s3.unknown_cross_account",
			bucket(ownerOnly, pol(`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Condition":{"StringEquals":{"aws:SourceAccount":"777788889999"}}}`)),
			[]audittest.Issue{I("Unknown Access", 10, `Entity: [account:777788889999] Actions: ["s3:GetObject"]`)}},
		{"unknown skips internet accessible policies and service principals", "s3.unknown_cross_account",
			bucket(ownerOnly, pol(`[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject"},{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::555555555555:root"},"Action":"s3:GetObject"}]`)),
			nil},
		{"unknown: service principal skipped, org-id never classified", "s3.unknown_cross_account",
			bucket(ownerOnly, pol(`{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com","AWS":"*"},"Action":"s3:PutObject","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc"}}}`)),
			nil},
		{"unknown userid and parse error", "s3.unknown_cross_account",
			bucket(ownerOnly, pol(`{"Effect":"Allow","Principal":{"AWS":["AROAPROD:x","notanarn"]},"Action":"s3:GetObject","Condition":{"StringLike":{"aws:userid":["AROAPROD:*","AROAOTHER:*"]}}}`)),
			[]audittest.Issue{
				I("Unknown Access", 10, `Entity: [userid:AROAOTHER:*] Actions: ["s3:GetObject"]`),
				I("Unknown Access", 10, `Entity: [principal:AROAPROD:x] Actions: ["s3:GetObject"]`),
				I("Unknown Access", 10, `Entity: [principal:notanarn] Actions: ["s3:GetObject"]`),
				I("Parse Error", 3, "Could not parse ARN - AROAPROD:x"),
				I("Parse Error", 3, "Could not parse ARN - notanarn")}},
		{"root: friendly", "s3.root_cross_account",
			bucket(ownerOnly, pol(`{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::444455556666:root","444455556666","arn:aws:iam::111122223333:root"]},"Action":"s3:GetObject"}`)),
			[]audittest.Issue{I("Cross-Account Root IAM", 6, `Account: [444455556666/partner] Entity: [principal:arn:aws:iam::444455556666:root] Actions: ["s3:GetObject"]`)}},
		{"root: unknown", "s3.root_cross_account",
			bucket(ownerOnly, pol(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::555555555555:root"},"Action":"s3:GetObject"}`)),
			[]audittest.Issue{I("Cross-Account Root IAM", 6, `Entity: [principal:arn:aws:iam::555555555555:root] Actions: ["s3:GetObject"]`)}},
		{"acl internet", "s3.acl_internet_accessible",
			bucket(`{"OWNERCANON":["FULL_CONTROL"],"http://acs.amazonaws.com/groups/global/AllUsers":["READ"],"http://acs.amazonaws.com/groups/global/AuthenticatedUsers":["WRITE","READ"]}`, "null"),
			[]audittest.Issue{I("Internet Accessible", 10, `Account: [AWS/AWS] Entity: [ACL:http://acs.amazonaws.com/groups/global/AllUsers] Actions: ["READ"]`),
				I("Internet Accessible", 10, `Account: [AWS/AWS] Entity: [ACL:http://acs.amazonaws.com/groups/global/AuthenticatedUsers] Actions: ["WRITE", "READ"]`)}},
		{"acl log delivery", "s3.acl_log_delivery",
			bucket(`{"http://acs.amazonaws.com/groups/s3/LogDelivery":["READ_ACP","WRITE"]}`, "null"),
			[]audittest.Issue{I("Thirdparty Cross Account", 0, `Account: [AWS/AWS] Entity: [ACL:http://acs.amazonaws.com/groups/s3/LogDelivery] Actions: ["READ_ACP", "WRITE"]`)}},
		{"acl friendly legacy", "s3.acl_friendly_legacy",
			bucket(`{"Partner-S3":["READ"],"vendor-s3":["READ"]}`, "null"),
			[]audittest.Issue{I("Friendly Cross Account", 0, `Account: [444455556666/partner] Entity: [ACL:Partner-S3] Actions: ["READ"]`)}},
		{"acl thirdparty legacy", "s3.acl_thirdparty_legacy",
			bucket(`{"Partner-S3":["READ"],"vendor-s3":["READ"]}`, "null"),
			[]audittest.Issue{I("Thirdparty Cross Account", 0, `Account: [999988887777/vendor] Entity: [ACL:vendor-s3] Actions: ["READ"]`)}},
		{"acl friendly canonical (owner excluded)", "s3.acl_friendly_canonical",
			`{"Owner":{"ID":"partnercanon"},"Grants":{"PARTNERCANON":["FULL_CONTROL"]}}`, nil},
		{"acl friendly canonical", "s3.acl_friendly_canonical",
			bucket(`{"PARTNERCANON":["FULL_CONTROL"]}`, "null"),
			[]audittest.Issue{I("Friendly Cross Account", 0, `Account: [444455556666/partner] Entity: [ACL:PARTNERCANON] Actions: ["FULL_CONTROL"]`)}},
		{"acl thirdparty canonical", "s3.acl_thirdparty_canonical",
			bucket(`{"vendorcanon":["READ"]}`, "null"),
			[]audittest.Issue{I("Thirdparty Cross Account", 0, `Account: [999988887777/vendor] Entity: [ACL:vendorcanon] Actions: ["READ"]`)}},
		{"acl unknown: owner reported (normative consequence)", "s3.acl_unknown",
			bucket(`{"OWNERCANON":["FULL_CONTROL"],"PARTNERCANON":["READ"],"http://acs.amazonaws.com/groups/global/AllUsers":["READ"],"STRANGER":[]}`, "null"),
			[]audittest.Issue{I("Unknown Access", 10, `Entity: [ACL:OWNERCANON] Actions: ["FULL_CONTROL"]`),
				I("Unknown Access", 10, `Entity: [ACL:STRANGER] Actions: []`)}},
		{"policy exists: null", "s3.policy_exists", bucket(ownerOnly, "null"), []audittest.Issue{N("POLICY - No Policy.", 0)}},
		{"policy exists: empty", "s3.policy_exists", bucket(ownerOnly, "{}"), []audittest.Issue{N("POLICY - No Policy.", 0)}},
		{"policy exists: absent", "s3.policy_exists", `{"Name":"b"}`, []audittest.Issue{N("POLICY - No Policy.", 0)}},
		{"policy exists: present", "s3.policy_exists", bucket(ownerOnly, pol(`[]`)), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fs := a.Audit(audit.Item{Account: audittest.Prod, Name: "b", Config: audittest.Config(t, tc.cfg)},
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

// With the owner's canonical id registered, the owner grant disappears.
func TestOwnerCanonicalRegistered(t *testing.T) {
	t.Parallel()
	a := s3.NewAuditor()
	in := audit.ContextInput{AccountNumber: "111122223333", AccountName: "prod",
		FriendlyAccounts: []audit.AccountRef{{ID: "111122223333", Name: "prod", CanonicalID: "ownercanon"}}}
	ctx, err := audit.NewContext(in)
	require.NoError(t, err)
	cfg := audittest.Config(t, bucket(ownerOnly, pol(`[]`)))
	audittest.Expect(t, a.Audit(audit.Item{Account: audittest.Prod, Config: cfg}, &audit.Env{Context: ctx}))
	ctx2, err := audit.NewContext(audit.ContextInput{AccountNumber: "111122223333", AccountName: "prod"})
	require.NoError(t, err)
	audittest.Expect(t, a.Audit(audit.Item{Account: audittest.Prod, Config: cfg}, &audit.Env{Context: ctx2}),
		I("Unknown Access", 10, `Entity: [ACL:OWNERCANON] Actions: ["FULL_CONTROL"]`))
}

// A full bucket through RunFile (the audit-file path), golden.
func TestRunFileGolden(t *testing.T) {
	t.Parallel()
	reg := audit.NewRegistry()
	require.NoError(t, reg.Register(s3.NewAuditor()))
	cfg := audittest.Config(t, bucket(`{"OWNERCANON":["FULL_CONTROL"],"http://acs.amazonaws.com/groups/s3/LogDelivery":["READ_ACP","WRITE"]}`,
		pol(`[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::127311923021:root","arn:aws:iam::444455556666:root"]},"Action":"s3:PutObject","Resource":"arn:aws:s3:::b/*"},
		{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]`)))
	in := audit.ContextInput{AccountNumber: "111122223333", AccountName: "prod",
		FriendlyAccounts: []audit.AccountRef{{ID: "444455556666", Name: "partner"}}}
	fs, err := audit.RunFile(reg, "s3", cfg, in, nil)
	require.NoError(t, err)
	audittest.GoldenFile(t, "runfile.json", audittest.Golden(fs))

	fs, err = audit.RunFile(reg, "s3", cfg, in, []string{"s3.policy_exists", "s3.acl_log_delivery"})
	require.NoError(t, err)
	audittest.Expect(t, fs, I("Thirdparty Cross Account", 0, `Account: [AWS/AWS] Entity: [ACL:http://acs.amazonaws.com/groups/s3/LogDelivery] Actions: ["READ_ACP", "WRITE"]`))

	_, err = audit.RunFile(reg, "s3", cfg, in, []string{"s3.nope"})
	require.ErrorContains(t, err, "s3.nope")
	require.ErrorContains(t, err, "s3.acl_unknown")
	_, err = audit.RunFile(reg, "sqs", cfg, in, nil)
	require.ErrorContains(t, err, "known: s3")
}
