package iamuser

import (
	"context"
	"errors"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/watch"
	"github.com/secmonkey/monkey/internal/watch/watchtest"
)

var (
	t0 = time.Date(2019, 3, 4, 5, 6, 7, 0, time.UTC)
	t1 = time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	t2 = time.Date(2021, 6, 7, 8, 9, 10, 0, time.UTC)
)

func enc(doc string) *string { return aws.String(url.PathEscape(doc)) }

func user(name string) types.UserDetail {
	return types.UserDetail{
		Arn: aws.String("arn:aws:iam::123456789012:user/" + name), UserName: aws.String(name),
		UserId: aws.String("AIDA" + name), Path: aws.String("/"), CreateDate: aws.Time(t0),
		UserPolicyList:          []types.PolicyDetail{{PolicyName: aws.String("inline"), PolicyDocument: enc(`{"Statement":[{"Effect":"Allow","Action":"iam:PassRole","Resource":"*"}]}`)}},
		AttachedManagedPolicies: []types.AttachedPolicy{{PolicyName: aws.String("ReadOnlyAccess"), PolicyArn: aws.String("arn:aws:iam::aws:policy/ReadOnlyAccess")}},
	}
}

const reportCSV = `user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated
<root_account>,arn:aws:iam::123456789012:root,2019-03-04T05:06:07+00:00,not_supported,2021-06-07T08:09:10+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
alice,arn:aws:iam::123456789012:user/alice,2019-03-04T05:06:07+00:00,true,2021-06-07T08:09:10+00:00,N/A,N/A,true,true,2019-03-04T05:06:07+00:00,2021-06-07T08:09:00+00:00,us-east-1,s3,false,2020-01-02T03:04:05+00:00,N/A,N/A,N/A,false,N/A,false,N/A
bob,arn:aws:iam::123456789012:user/bob,2019-03-04T05:06:07+00:00,false,N/A,N/A,N/A,false,true,2020-01-02T03:04:05+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,true,2019-03-04T05:06:07+00:00,false,N/A
`

// fakeIAM serves three users; carol is absent from the report.
type fakeIAM struct {
	mu          sync.Mutex
	calls       map[string]int
	reportErr   error
	notReadyFor int // GetCredentialReport answers ReportInProgress this many times
	keysErr     map[string]error
	gaadErr     error
}

func newFake() *fakeIAM { return &fakeIAM{calls: map[string]int{}, keysErr: map[string]error{}} }

func (f *fakeIAM) count(op string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls[op]++
}

func (f *fakeIAM) GetAccountAuthorizationDetails(context.Context, *iam.GetAccountAuthorizationDetailsInput, ...func(*iam.Options)) (*iam.GetAccountAuthorizationDetailsOutput, error) {
	f.count("GetAccountAuthorizationDetails")
	if f.gaadErr != nil {
		return nil, f.gaadErr
	}
	return &iam.GetAccountAuthorizationDetailsOutput{UserDetailList: []types.UserDetail{user("alice"), user("bob"), user("carol")}}, nil
}

func (f *fakeIAM) GenerateCredentialReport(context.Context, *iam.GenerateCredentialReportInput, ...func(*iam.Options)) (*iam.GenerateCredentialReportOutput, error) {
	f.count("GenerateCredentialReport")
	if f.reportErr != nil {
		return nil, f.reportErr
	}
	return &iam.GenerateCredentialReportOutput{State: types.ReportStateTypeStarted}, nil
}

func (f *fakeIAM) GetCredentialReport(context.Context, *iam.GetCredentialReportInput, ...func(*iam.Options)) (*iam.GetCredentialReportOutput, error) {
	f.count("GetCredentialReport")
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.notReadyFor > 0 {
		f.notReadyFor--
		return nil, &types.CredentialReportNotReadyException{Message: aws.String("in progress")}
	}
	return &iam.GetCredentialReportOutput{Content: []byte(reportCSV)}, nil
}

func (f *fakeIAM) ListAccessKeys(_ context.Context, in *iam.ListAccessKeysInput, _ ...func(*iam.Options)) (*iam.ListAccessKeysOutput, error) {
	f.count("ListAccessKeys")
	name := aws.ToString(in.UserName)
	if err := f.keysErr[name]; err != nil {
		return nil, err
	}
	switch name {
	case "alice":
		return &iam.ListAccessKeysOutput{AccessKeyMetadata: []types.AccessKeyMetadata{
			{UserName: in.UserName, AccessKeyId: aws.String("AKIAALICE1"), Status: types.StatusTypeActive, CreateDate: aws.Time(t0)},
			{UserName: in.UserName, AccessKeyId: aws.String("AKIAALICE2"), Status: types.StatusTypeInactive, CreateDate: aws.Time(t1)},
		}}, nil
	case "bob", "carol":
		return &iam.ListAccessKeysOutput{AccessKeyMetadata: []types.AccessKeyMetadata{
			{UserName: in.UserName, AccessKeyId: aws.String("AKIA" + name), Status: types.StatusTypeActive, CreateDate: aws.Time(t1)},
		}}, nil
	}
	return &iam.ListAccessKeysOutput{}, nil
}

func (f *fakeIAM) GetAccessKeyLastUsed(_ context.Context, in *iam.GetAccessKeyLastUsedInput, _ ...func(*iam.Options)) (*iam.GetAccessKeyLastUsedOutput, error) {
	f.count("GetAccessKeyLastUsed")
	return &iam.GetAccessKeyLastUsedOutput{AccessKeyLastUsed: &types.AccessKeyLastUsed{
		LastUsedDate: aws.Time(t2), Region: aws.String("eu-west-1"), ServiceName: aws.String("iam"),
	}}, nil
}

func (f *fakeIAM) ListMFADevices(_ context.Context, in *iam.ListMFADevicesInput, _ ...func(*iam.Options)) (*iam.ListMFADevicesOutput, error) {
	f.count("ListMFADevices")
	if aws.ToString(in.UserName) != "alice" {
		return &iam.ListMFADevicesOutput{}, nil
	}
	return &iam.ListMFADevicesOutput{MFADevices: []types.MFADevice{{UserName: in.UserName, SerialNumber: aws.String("arn:aws:iam::123456789012:mfa/alice"), EnableDate: aws.Time(t1)}}}, nil
}

func (f *fakeIAM) GetLoginProfile(_ context.Context, in *iam.GetLoginProfileInput, _ ...func(*iam.Options)) (*iam.GetLoginProfileOutput, error) {
	f.count("GetLoginProfile")
	if aws.ToString(in.UserName) != "alice" {
		return nil, &types.NoSuchEntityException{Message: aws.String("no login profile")}
	}
	return &iam.GetLoginProfileOutput{LoginProfile: &types.LoginProfile{UserName: in.UserName, CreateDate: aws.Time(t0), PasswordResetRequired: true}}, nil
}

func (f *fakeIAM) ListUsers(context.Context, *iam.ListUsersInput, ...func(*iam.Options)) (*iam.ListUsersOutput, error) {
	f.count("ListUsers")
	return &iam.ListUsersOutput{Users: []types.User{
		{UserName: aws.String("alice"), PasswordLastUsed: aws.Time(t1)},
		{UserName: aws.String("carol"), PasswordLastUsed: aws.Time(t2)},
	}}, nil
}

func (f *fakeIAM) ListSigningCertificates(_ context.Context, in *iam.ListSigningCertificatesInput, _ ...func(*iam.Options)) (*iam.ListSigningCertificatesOutput, error) {
	f.count("ListSigningCertificates")
	if aws.ToString(in.UserName) != "bob" {
		return &iam.ListSigningCertificatesOutput{}, nil
	}
	return &iam.ListSigningCertificatesOutput{Certificates: []types.SigningCertificate{{
		UserName: in.UserName, CertificateId: aws.String("CERT1"), CertificateBody: aws.String("-----BEGIN CERTIFICATE-----"),
		Status: types.StatusTypeActive, UploadDate: aws.Time(t0),
	}}}, nil
}

func scope() watch.Scope {
	return watchtest.FakeScope(monkey.Account{Name: "prod", Identifier: "123456789012", Type: "AWS"})
}

func collect(t *testing.T, f *fakeIAM, s watch.Scope) (map[string]monkey.Config, watch.Result) {
	t.Helper()
	w := NewWatcher(withClient(func(aws.Config) iamAPI { return f }), withReportPoll(time.Millisecond, 5), WithConcurrency(2))
	res, err := w.Collect(context.Background(), s)
	require.NoError(t, err)
	out := map[string]monkey.Config{}
	for _, it := range res.Items {
		require.Equal(t, "universal", it.Region)
		require.Equal(t, it.Config["Arn"], it.ARN)
		out[it.Name] = it.Config
	}
	return out, res
}

func TestWatcherCollectWithReport(t *testing.T) {
	t.Parallel()
	f := newFake()
	f.notReadyFor = 2
	items, res := collect(t, f, scope())
	require.Empty(t, res.Failures)
	require.Len(t, items, 3)
	for name, cfg := range items {
		watchtest.Golden(t, "watcher_"+name+".golden.json", cfg)
	}
	// alice: password + MFA in the report → calls; keys matched by slot.
	// bob: no password, no MFA → no calls; certificate slot → list.
	// carol: not in the report → every per-user call.
	require.Equal(t, map[string]int{
		"GetAccountAuthorizationDetails": 1,
		"GenerateCredentialReport":       1,
		"GetCredentialReport":            3,
		"ListAccessKeys":                 3,
		"GetAccessKeyLastUsed":           1, // carol only
		"GetLoginProfile":                2, // alice, carol
		"ListMFADevices":                 2, // alice, carol
		"ListSigningCertificates":        2, // bob, carol
		"ListUsers":                      1, // carol's PasswordLastUsed
	}, f.calls)
	require.Equal(t, "2021-06-07T08:09:10Z", items["carol"]["PasswordLastUsed"])
	require.Nil(t, items["carol"]["LoginProfile"], "NoSuchEntity → null")
	require.Nil(t, items["bob"]["LoginProfile"])
	require.Equal(t, "2021-06-07T08:09:10Z", items["alice"]["PasswordLastUsed"])
	_, has := items["bob"]["PasswordLastUsed"]
	require.False(t, has)
}

func TestWatcherCollectWithoutReport(t *testing.T) {
	t.Parallel()
	f := newFake()
	f.reportErr = &types.ServiceFailureException{Message: aws.String("nope")}
	items, res := collect(t, f, scope())
	require.Empty(t, res.Failures, "a missing report only costs calls")
	require.Len(t, items, 3)
	require.Equal(t, 4, f.calls["GetAccessKeyLastUsed"])
	require.Equal(t, 3, f.calls["GetLoginProfile"])
	require.Equal(t, 3, f.calls["ListMFADevices"])
	require.Equal(t, 1, f.calls["ListUsers"])
	require.Equal(t, "2020-01-02T03:04:05Z", items["alice"]["PasswordLastUsed"])
	key := items["alice"]["AccessKeys"].([]any)[0].(map[string]any)
	require.Equal(t, "2021-06-07 08:09:10+00:00", key["LastUsedDate"])
	require.Equal(t, "iam", key["ServiceName"])
}

func TestWatcherCollectFailures(t *testing.T) {
	t.Parallel()
	t.Run("one user fails", func(t *testing.T) {
		t.Parallel()
		f := newFake()
		f.keysErr["bob"] = errors.New("connection reset")
		items, res := collect(t, f, scope())
		require.Len(t, items, 2)
		require.Len(t, res.Failures, 1)
		require.Equal(t, watch.Failure{Region: "universal", Name: "bob", Err: res.Failures[0].Err}, res.Failures[0])
	})
	t.Run("listing fails", func(t *testing.T) {
		t.Parallel()
		f := newFake()
		f.gaadErr = errors.New("AccessDenied")
		items, res := collect(t, f, scope())
		require.Empty(t, items)
		require.Len(t, res.Failures, 1)
		require.Equal(t, "", res.Failures[0].Region)
		require.Equal(t, 0, f.calls["ListAccessKeys"])
	})
	t.Run("ignored users get no calls", func(t *testing.T) {
		t.Parallel()
		f := newFake()
		s := scope()
		s.Ignore = []string{"AL", "Bo"}
		items, _ := collect(t, f, s)
		require.Len(t, items, 1)
		require.Equal(t, 1, f.calls["ListAccessKeys"])
	})
}

func TestParseReport(t *testing.T) {
	t.Parallel()
	r, err := parseReport([]byte(reportCSV))
	require.NoError(t, err)
	require.Len(t, r, 2)
	require.True(t, r["alice"].PasswordEnabled)
	require.True(t, r["alice"].MFAActive)
	require.False(t, r["alice"].HasCertificates)
	require.True(t, r["bob"].HasCertificates)
	require.Nil(t, r["bob"].Keys[0].LastUsed)
	require.Equal(t, "N/A", r["bob"].Keys[0].Region)
	_, err = parseReport([]byte("a,b\n1,2\n"))
	require.ErrorContains(t, err, `column "user" missing`)
}

func TestWatcherConformance(t *testing.T) {
	t.Parallel()
	w := NewWatcher(withClient(func(aws.Config) iamAPI { return newFake() }), withReportPoll(time.Millisecond, 2))
	watchtest.Run(t, w, scope())
}

// noReport is a real IAM client whose credential report is unavailable, so
// the watcher makes every per-user call.
type noReport struct{ iamAPI }

func (noReport) GenerateCredentialReport(context.Context, *iam.GenerateCredentialReportInput, ...func(*iam.Options)) (*iam.GenerateCredentialReportOutput, error) {
	return nil, &types.ServiceFailureException{Message: aws.String("disabled by test")}
}

func TestWatcherSim(t *testing.T) {
	t.Parallel()
	const items = 12
	sim := watchtest.StartSim(t, awssim.Options{Accounts: 2, Seed: 14, Items: items})
	for i := range 2 {
		scope := sim.Scope(t, i)
		before := sim.Client.Calls()
		res := watchtest.Run(t, NewWatcher(), scope)
		after := sim.Client.Calls()
		require.Len(t, res.Items, items)
		logins := 0
		for _, it := range res.Items {
			require.Contains(t, it.ARN, ":"+scope.Account.Identifier+":user/")
			watchtest.RequireKeys(t, it.Config, []string{"Arn", "UserName", "UserId", "Path", "CreateDate", "AccessKeys",
				"InlinePolicies", "ManagedPolicies", "MfaDevices", "LoginProfile", "SigningCertificates", "_version"},
				[]string{"PasswordLastUsed"})
			if it.Config["LoginProfile"] != nil {
				logins++
			}
		}
		require.Positive(t, logins)
		require.Equal(t, int64(items), after["iam.ListAccessKeys"]-before["iam.ListAccessKeys"])
		require.Less(t, after["iam.GetLoginProfile"]-before["iam.GetLoginProfile"], int64(items), "report skips users without password")
		require.Less(t, after["iam.ListMFADevices"]-before["iam.ListMFADevices"], int64(items), "report skips users without MFA")

		// The per-user calls must yield exactly the same configs.
		slow := NewWatcher(withClient(func(c aws.Config) iamAPI { return noReport{iam.NewFromConfig(c)} }))
		res2, err := slow.Collect(context.Background(), scope)
		require.NoError(t, err)
		require.Empty(t, res2.Failures)
		require.Equal(t, res.Items, res2.Items, "credential report and per-user calls agree")
	}
}

func TestWatcherSimFaults(t *testing.T) {
	t.Parallel()
	t.Run("iam fails", func(t *testing.T) {
		t.Parallel()
		watchtest.ServiceFails(t, NewWatcher(), awssim.Options{Accounts: 2, Seed: 14, Items: 5}, "iam", "universal", "x")
	})
	t.Run("throttled", func(t *testing.T) {
		t.Parallel()
		got := watchtest.Throttled(t, NewWatcher(), awssim.Options{Accounts: 2, Seed: 14, Items: 6})
		require.Len(t, got.Items, 6)
	})
}
