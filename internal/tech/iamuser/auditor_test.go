package iamuser_test

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/audit"
	"github.com/secmonkey/monkey/internal/audit/audittest"
	"github.com/secmonkey/monkey/internal/policy"
	"github.com/secmonkey/monkey/internal/tech/iamuser"
)

var I = audittest.I

var loadCat = sync.OnceValues(policy.LoadCatalogue)

func newAuditor(t testing.TB) *iamuser.Auditor {
	t.Helper()
	c, err := loadCat()
	require.NoError(t, err)
	return iamuser.NewAuditor(c, nil)
}

func TestConformance(t *testing.T) {
	t.Parallel()
	a := newAuditor(t)
	audittest.Run(t, a)
	require.True(t, a.TimeDependent())
	require.Equal(t, []string{"policy"}, a.Support())
}

// audittest.Now is 2026-01-01T00:00:00Z, so T90 = 2025-10-03T00:00:00Z.
func user(keys, login, mfa string) string {
	return `{"Arn":"arn:aws:iam::111122223333:user/u","UserName":"u","UserId":"AIDAU","Path":"/","CreateDate":"2019-01-01T00:00:00Z",` +
		`"AccessKeys":` + keys + `,"InlinePolicies":{"p":{"Statement":[{"Effect":"Allow","Action":"iam:PassRole","Resource":"*"}]}},` +
		`"ManagedPolicies":[],"MfaDevices":` + mfa + `,"LoginProfile":` + login + `,"SigningCertificates":{},"_version":2}`
}

const keys = `[
 {"UserName":"u","AccessKeyId":"AKIAOLD","Status":"Active","CreateDate":"2025-01-01 00:00:00+00:00","LastUsedDate":"2025-12-30 10:00:00+00:00"},
 {"UserName":"u","AccessKeyId":"AKIANEW","Status":"Active","CreateDate":"2025-12-01 00:00:00.123000+00:00"},
 {"UserName":"u","AccessKeyId":"AKIASTALE","Status":"Active","CreateDate":"2025-12-01T00:00:00Z","LastUsedDate":"2025-10-02 23:59:59+00:00"},
 {"UserName":"u","AccessKeyId":"AKIAUNUSED","Status":"Active","CreateDate":"2025-06-01T00:00:00+00:00"},
 {"UserName":"u","AccessKeyId":"AKIAOFF","Status":"Inactive","CreateDate":"2019-01-01 00:00:00+00:00"},
 {"UserName":"u","AccessKeyId":"AKIANOSTATUS","CreateDate":"2019-01-01 00:00:00+00:00"},
 "junk"
]`

const login = `{"UserName":"u","CreateDate":"2020-01-01 00:00:00+00:00","PasswordResetRequired":false}`

func TestChecks(t *testing.T) {
	t.Parallel()
	a := newAuditor(t)
	ctx := audittest.Context(t)
	for _, tc := range []struct {
		name string
		only string
		cfg  string
		want []audittest.Issue
	}{
		{"active keys", "iamuser.active_access_keys", user(keys, "null", "{}"), []audittest.Issue{
			I("Informational", 1, "Active Accesskey [AKIAOLD]"), I("Informational", 1, "Active Accesskey [AKIANEW]"),
			I("Informational", 1, "Active Accesskey [AKIASTALE]"), I("Informational", 1, "Active Accesskey [AKIAUNUSED]")}},
		{"inactive keys", "iamuser.inactive_access_keys", user(keys, "null", "{}"), []audittest.Issue{
			I("Informational", 0, "Inactive Accesskey [AKIAOFF]")}},
		{"rotation", "iamuser.access_key_rotation", user(keys, "null", "{}"), []audittest.Issue{
			I("Needs Rotation", 1, "Active Accesskey [AKIAOLD] last rotated > 90 days ago on 2025-01-01 00:00:00+00:00"),
			I("Needs Rotation", 1, "Active Accesskey [AKIAUNUSED] last rotated > 90 days ago on 2025-06-01T00:00:00+00:00")}},
		{"last used", "iamuser.access_key_last_used", user(keys, "null", "{}"), []audittest.Issue{
			I("Unused Access", 1, "Active Accesskey [AKIASTALE] last used > 90 days ago on 2025-10-02 23:59:59+00:00"),
			I("Unused Access", 1, "Active Accesskey [AKIAUNUSED] last used > 90 days ago on 2025-06-01T00:00:00+00:00")}},
		{"no mfa", "iamuser.no_mfa", user("[]", login, "{}"), []audittest.Issue{
			I("Insecure Configuration", 1, "User with password login and no MFA devices")}},
		{"no mfa: absent key", "iamuser.no_mfa", `{"LoginProfile":{"x":1}}`, []audittest.Issue{
			I("Insecure Configuration", 1, "User with password login and no MFA devices")}},
		{"mfa present", "iamuser.no_mfa", user("[]", login, `{"arn:aws:iam::111122223333:mfa/u":{"SerialNumber":"x"}}`), nil},
		{"no login profile", "iamuser.no_mfa", user("[]", "null", "{}"), nil},
		{"login plus keys", "iamuser.loginprofile_plus_akeys", user(keys, login, "{}"), []audittest.Issue{
			I("Informational", 1, "User with password login and API access")}},
		{"login, inactive keys only", "iamuser.loginprofile_plus_akeys",
			user(`[{"AccessKeyId":"A","Status":"Inactive"}]`, login, "{}"), nil},
		{"inline policy checks run", "iamuser.iam_passrole", user("[]", "null", "{}"), []audittest.Issue{
			I("Sensitive Permissions", 10, `Actions: ["iam:passrole"] Resources: ["*"]`)}},
		{"attached managed policies", "iamuser.attached_managed_policies", user("[]", "null", "{}"), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fs := a.Audit(audit.Item{Account: audittest.Prod, Config: audittest.Config(t, tc.cfg)},
				&audit.Env{Context: ctx, Only: map[string]bool{tc.only: true}})
			audittest.Expect(t, fs, tc.want...)
		})
	}
}

func TestParseDate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"2019-03-04 05:06:07+00:00", time.Date(2019, 3, 4, 5, 6, 7, 0, time.UTC), true},
		{"2019-03-04 05:06:07.250000+02:00", time.Date(2019, 3, 4, 3, 6, 7, 250000000, time.UTC), true},
		{"2019-03-04T05:06:07Z", time.Date(2019, 3, 4, 5, 6, 7, 0, time.UTC), true},
		{"2019-03-04T05:06:07+00:00", time.Date(2019, 3, 4, 5, 6, 7, 0, time.UTC), true},
		{"None", time.Time{}, false},
		{"garbage", time.Time{}, false},
	} {
		got, ok := iamuser.ParseDate(tc.in)
		require.Equal(t, tc.ok, ok, tc.in)
		require.True(t, tc.want.Equal(got), tc.in)
	}
}
