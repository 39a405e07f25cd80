package iamrole

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
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

var watcherEpoch = time.Date(2019, 3, 4, 5, 6, 7, 123456789, time.UTC)

func enc(doc string) *string { return aws.String(url.PathEscape(doc)) }

func watcherRole(i int) types.RoleDetail {
	name := fmt.Sprintf("role-%03d", i)
	return types.RoleDetail{
		Arn:                      aws.String("arn:aws:iam::123456789012:role/app/" + name),
		RoleName:                 aws.String(name),
		RoleId:                   aws.String(fmt.Sprintf("AROA%016d", i)),
		Path:                     aws.String("/app/"),
		CreateDate:               aws.Time(watcherEpoch.Add(time.Duration(i) * time.Hour)),
		AssumeRolePolicyDocument: enc(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`),
		RolePolicyList: []types.PolicyDetail{
			{PolicyName: aws.String("admin"), PolicyDocument: enc(`{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Sid":"with space+plus"}]}`)},
		},
		AttachedManagedPolicies: []types.AttachedPolicy{
			{PolicyName: aws.String("ReadOnlyAccess"), PolicyArn: aws.String("arn:aws:iam::aws:policy/ReadOnlyAccess")},
		},
		InstanceProfileList: []types.InstanceProfile{{
			Arn: aws.String("arn:aws:iam::123456789012:instance-profile/" + name), CreateDate: aws.Time(watcherEpoch),
			InstanceProfileId: aws.String("AIPA0001"), InstanceProfileName: aws.String(name), Path: aws.String("/"),
		}},
		Tags:         []types.Tag{{Key: aws.String("team"), Value: aws.String("sec")}},
		RoleLastUsed: &types.RoleLastUsed{LastUsedDate: aws.Time(watcherEpoch)},
	}
}

func TestWatcherNormalizeGolden(t *testing.T) {
	t.Parallel()
	bare := types.RoleDetail{
		Arn: aws.String("arn:aws:iam::123456789012:role/bare"), RoleName: aws.String("bare"),
		RoleId: aws.String("AROABARE"), Path: aws.String("/"), CreateDate: aws.Time(watcherEpoch),
		AssumeRolePolicyDocument: enc(`{"Statement":[]}`),
	}
	tests := []struct {
		name string
		in   types.RoleDetail
	}{
		{"full", watcherRole(1)},
		{"bare", bare},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg, err := normalize(&tc.in)
			require.NoError(t, err)
			watchtest.Golden(t, "watcher_"+tc.name+".golden.json", cfg)
		})
	}
}

func TestWatcherNormalizeBadDocument(t *testing.T) {
	t.Parallel()
	r := watcherRole(1)
	r.RolePolicyList[0].PolicyDocument = aws.String("%7B%22broken")
	_, err := normalize(&r)
	require.ErrorContains(t, err, "inline policy admin")
}

// fakeIAM serves GAAD pages of size page from roles.
type fakeIAM struct {
	roles []types.RoleDetail
	page  int
	err   error
	calls int
}

func (f *fakeIAM) GetAccountAuthorizationDetails(_ context.Context, in *iam.GetAccountAuthorizationDetailsInput, _ ...func(*iam.Options)) (*iam.GetAccountAuthorizationDetailsOutput, error) {
	f.calls++
	if len(in.Filter) != 1 || in.Filter[0] != types.EntityTypeRole {
		return nil, fmt.Errorf("unexpected filter %v", in.Filter)
	}
	start := 0
	if in.Marker != nil {
		start, _ = strconv.Atoi(*in.Marker)
	}
	if f.err != nil && start > 0 {
		return nil, f.err
	}
	end := min(start+f.page, len(f.roles))
	out := &iam.GetAccountAuthorizationDetailsOutput{RoleDetailList: f.roles[start:end]}
	if end < len(f.roles) {
		out.IsTruncated = true
		out.Marker = aws.String(strconv.Itoa(end))
	}
	return out, nil
}

func watcherScope() watch.Scope {
	return watchtest.FakeScope(monkey.Account{Name: "prod", Identifier: "123456789012", Type: "AWS"}, "us-east-1")
}

func TestWatcherCollect(t *testing.T) {
	t.Parallel()
	roles := make([]types.RoleDetail, 7)
	for i := range roles {
		roles[i] = watcherRole(i)
	}
	roles[3].RolePolicyList[0].PolicyDocument = aws.String("%7Bbroken")

	tests := []struct {
		name      string
		ignore    []string
		err       error
		wantNames []string
		wantFail  []watch.Failure
	}{
		{
			name:      "all pages",
			wantNames: []string{"role-000", "role-001", "role-002", "role-004", "role-005", "role-006"},
			wantFail:  []watch.Failure{{Region: "universal", Name: "role-003"}},
		},
		{
			name:      "ignore list",
			ignore:    []string{"ROLE-00", "nothing"},
			wantNames: []string{},
		},
		{
			name:     "listing fails",
			err:      errors.New("boom"),
			wantFail: []watch.Failure{{}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake := &fakeIAM{roles: roles, page: 3, err: tc.err}
			w := NewWatcher(withClient(func(aws.Config) iamAPI { return fake }))
			scope := watcherScope()
			scope.Ignore = tc.ignore
			res, err := w.Collect(context.Background(), scope)
			require.NoError(t, err)
			names := []string{}
			for _, it := range res.Items {
				names = append(names, it.Name)
				require.Equal(t, "iamrole", it.Technology)
				require.Equal(t, "universal", it.Region)
				require.Equal(t, it.Config["Arn"], it.ARN)
			}
			if tc.err != nil {
				// The roles of the pages read before the failure are real
				// and may be stored; the whole-account failure (checked
				// below) keeps every other stored role from being deleted.
				require.Equal(t, []string{"role-000", "role-001", "role-002"}, names, "only roles of the pages read")
				require.True(t, res.Failures[0].Whole(), "a failed listing covers the whole account")
			} else {
				require.Equal(t, tc.wantNames, names)
				require.Equal(t, 3, fake.calls, "paginated GAAD: 3 pages of 3")
			}
			require.Len(t, res.Failures, len(tc.wantFail))
			for i, f := range tc.wantFail {
				require.Equal(t, f.Region, res.Failures[i].Region)
				require.Equal(t, f.Name, res.Failures[i].Name)
				require.Error(t, res.Failures[i].Err)
			}
		})
	}
}

func TestWatcherConformance(t *testing.T) {
	t.Parallel()
	roles := []types.RoleDetail{watcherRole(1), watcherRole(2)}
	w := NewWatcher(withClient(func(aws.Config) iamAPI { return &fakeIAM{roles: roles, page: 1000} }))
	watchtest.Run(t, w, watcherScope(), watchtest.OptionalEphemeral("Region"))
}

func BenchmarkWatcherNormalize10000(b *testing.B) {
	roles := make([]types.RoleDetail, 10000)
	for i := range roles {
		roles[i] = watcherRole(i)
	}
	b.ReportAllocs()
	for b.Loop() {
		for i := range roles {
			if _, err := normalize(&roles[i]); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func TestWatcherSim(t *testing.T) {
	t.Parallel()
	const items = 12
	sim := watchtest.StartSim(t, awssim.Options{Accounts: 2, Seed: 11, Items: items})
	for i := range 2 {
		scope := sim.Scope(t, i)
		res := watchtest.Run(t, NewWatcher(), scope, watchtest.OptionalEphemeral("Region"))
		require.Len(t, res.Items, items)
		for _, it := range res.Items {
			require.Contains(t, it.ARN, ":"+scope.Account.Identifier+":role/", "items of the assumed account")
			watchtest.RequireKeys(t, it.Config, []string{"Arn", "RoleName", "RoleId", "Path", "CreateDate",
				"AssumeRolePolicyDocument", "InlinePolicies", "ManagedPolicies", "InstanceProfiles", "Tags", "_version"}, nil)
			require.IsType(t, map[string]any{}, it.Config["AssumeRolePolicyDocument"], "decoded trust policy")
			for _, doc := range it.Config["InlinePolicies"].(map[string]any) {
				require.IsType(t, map[string]any{}, doc, "decoded inline policy")
			}
			_, err := time.Parse("2006-01-02T15:04:05Z", it.Config["CreateDate"].(string))
			require.NoError(t, err, "CreateDate is ISO-Z")
		}
	}
	require.Equal(t, int64(2), sim.Client.Calls()["sts.AssumeRole"])
}

func TestWatcherSimFaults(t *testing.T) {
	t.Parallel()
	t.Run("iam fails", func(t *testing.T) {
		t.Parallel()
		watchtest.ServiceFails(t, NewWatcher(), awssim.Options{Accounts: 2, Seed: 11, Items: 5}, "iam", "universal", "anything")
	})
	t.Run("throttled", func(t *testing.T) {
		t.Parallel()
		got := watchtest.Throttled(t, NewWatcher(), awssim.Options{Accounts: 2, Seed: 11, Items: 150})
		require.Len(t, got.Items, 150)
	})
}

func BenchmarkWatcherCollectSim10000(b *testing.B) {
	sim := watchtest.StartSim(b, awssim.Options{Accounts: 1, Seed: 1, Items: 10000})
	scope := sim.Scope(b, 0)
	w := NewWatcher()
	var calls int64
	b.ReportAllocs()
	for b.Loop() {
		before := sim.Client.Calls()["iam.GetAccountAuthorizationDetails"]
		res, err := w.Collect(context.Background(), scope)
		if err != nil || len(res.Items) != 10000 || len(res.Failures) > 0 {
			b.Fatalf("collect: %v, %d items, %v", err, len(res.Items), res.Err())
		}
		calls = sim.Client.Calls()["iam.GetAccountAuthorizationDetails"] - before
	}
	b.ReportMetric(float64(b.N*10000)/b.Elapsed().Seconds(), "items/s")
	b.ReportMetric(float64(calls)/10, "calls/1000items")
}
