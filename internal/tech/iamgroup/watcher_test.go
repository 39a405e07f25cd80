package iamgroup

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

var watcherEpoch = time.Date(2016, 5, 6, 7, 8, 9, 0, time.UTC)

func enc(doc string) *string { return aws.String(url.PathEscape(doc)) }

func watcherGroup(i int, managed bool) types.GroupDetail {
	name := fmt.Sprintf("group-%d", i)
	g := types.GroupDetail{
		Arn: aws.String("arn:aws:iam::123456789012:group/" + name), GroupName: aws.String(name),
		GroupId: aws.String(fmt.Sprintf("AGPA%04d", i)), Path: aws.String("/"), CreateDate: aws.Time(watcherEpoch),
		GroupPolicyList: []types.PolicyDetail{{PolicyName: aws.String("iam"), PolicyDocument: enc(`{"Statement":[{"Effect":"Allow","Action":"iam:*","Resource":"*"}]}`)}},
	}
	if managed {
		g.AttachedManagedPolicies = []types.AttachedPolicy{
			{PolicyName: aws.String("Custom"), PolicyArn: aws.String("arn:aws:iam::123456789012:policy/Custom")},
			{PolicyName: aws.String("ReadOnlyAccess"), PolicyArn: aws.String("arn:aws:iam::aws:policy/ReadOnlyAccess")},
		}
	}
	return g
}

func watcherUsers() []types.UserDetail {
	return []types.UserDetail{
		{Arn: aws.String("arn:aws:iam::123456789012:user/alice"), UserName: aws.String("alice"), GroupList: []string{"group-1", "group-2"}},
		{Arn: aws.String("arn:aws:iam::123456789012:user/bob"), UserName: aws.String("bob"), GroupList: []string{"group-1"}},
		{Arn: aws.String("arn:aws:iam::123456789012:user/carol"), UserName: aws.String("carol")},
	}
}

var watcherVersions = map[string]string{
	"arn:aws:iam::123456789012:policy/Custom": "v3",
	"arn:aws:iam::aws:policy/ReadOnlyAccess":  "v87",
}

func TestWatcherNormalizeGolden(t *testing.T) {
	t.Parallel()
	members := map[string]map[string]any{}
	addMembers(members, watcherUsers())
	tests := []struct {
		name string
		in   types.GroupDetail
	}{
		{"managed", watcherGroup(1, true)},
		{"no_managed_no_members", watcherGroup(3, false)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg, err := normalize(&tc.in, members[aws.ToString(tc.in.GroupName)], watcherVersions)
			require.NoError(t, err)
			watchtest.Golden(t, "watcher_"+tc.name+".golden.json", cfg)
		})
	}
}

// fakeIAM serves prepared GAAD pages; the marker is the page index.
type fakeIAM struct {
	pages  []*iam.GetAccountAuthorizationDetailsOutput
	failAt int // page index that fails (-1: none)
	calls  int
}

func (f *fakeIAM) GetAccountAuthorizationDetails(_ context.Context, in *iam.GetAccountAuthorizationDetailsInput, _ ...func(*iam.Options)) (*iam.GetAccountAuthorizationDetailsOutput, error) {
	f.calls++
	i := 0
	if in.Marker != nil {
		i, _ = strconv.Atoi(*in.Marker)
	}
	if i == f.failAt {
		return nil, errors.New("AccessDenied")
	}
	out := *f.pages[i]
	if i+1 < len(f.pages) {
		out.IsTruncated = true
		out.Marker = aws.String(strconv.Itoa(i + 1))
	}
	return &out, nil
}

func watcherPages() []*iam.GetAccountAuthorizationDetailsOutput {
	bad := watcherGroup(9, false)
	bad.GroupPolicyList[0].PolicyDocument = aws.String("%7Bbad")
	return []*iam.GetAccountAuthorizationDetailsOutput{
		{GroupDetailList: []types.GroupDetail{watcherGroup(1, true), watcherGroup(2, false)}, UserDetailList: watcherUsers()[:1]},
		{GroupDetailList: []types.GroupDetail{bad, watcherGroup(3, false)}, UserDetailList: watcherUsers()[1:],
			Policies: []types.ManagedPolicyDetail{
				{Arn: aws.String("arn:aws:iam::123456789012:policy/Custom"), DefaultVersionId: aws.String("v3")},
				{Arn: aws.String("arn:aws:iam::aws:policy/ReadOnlyAccess"), DefaultVersionId: aws.String("v87")},
			}},
	}
}

func watcherScope() watch.Scope {
	return watchtest.FakeScope(monkey.Account{Name: "prod", Identifier: "123456789012", Type: "AWS"})
}

func TestWatcherCollect(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		failAt    int
		ignore    []string
		wantNames []string
		wantFail  []watch.Failure
	}{
		{name: "all", failAt: -1, wantNames: []string{"group-1", "group-2", "group-3"}, wantFail: []watch.Failure{{Region: "universal", Name: "group-9"}}},
		{name: "ignored", failAt: -1, ignore: []string{"GROUP-"}, wantNames: []string{}},
		{name: "second page fails", failAt: 1, wantNames: []string{}, wantFail: []watch.Failure{{}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake := &fakeIAM{pages: watcherPages(), failAt: tc.failAt}
			w := NewWatcher(withClient(func(aws.Config) iamAPI { return fake }))
			scope := watcherScope()
			scope.Ignore = tc.ignore
			res, err := w.Collect(context.Background(), scope)
			require.NoError(t, err)
			names := []string{}
			for _, it := range res.Items {
				names = append(names, it.Name)
			}
			require.Equal(t, tc.wantNames, names)
			require.Len(t, res.Failures, len(tc.wantFail))
			for i, f := range tc.wantFail {
				require.Equal(t, f.Region, res.Failures[i].Region)
				require.Equal(t, f.Name, res.Failures[i].Name)
			}
			if tc.name == "all" {
				g1 := res.Items[0].Config
				require.Equal(t, map[string]any{
					"arn:aws:iam::123456789012:user/alice": "alice",
					"arn:aws:iam::123456789012:user/bob":   "bob",
				}, g1["users"], "membership across pages")
				require.Equal(t, "v87", g1["managed_policies"].([]any)[1].(map[string]any)["version"],
					"version from a later page")
				_, has := res.Items[1].Config["managed_policies"]
				require.False(t, has, "managed_policies only when attached")
			}
		})
	}
}

func TestWatcherConformance(t *testing.T) {
	t.Parallel()
	pages := watcherPages()
	pages[1].GroupDetailList = pages[1].GroupDetailList[1:]
	w := NewWatcher(withClient(func(aws.Config) iamAPI { return &fakeIAM{pages: pages, failAt: -1} }))
	watchtest.Run(t, w, watcherScope())
}

func TestWatcherSim(t *testing.T) {
	t.Parallel()
	const items = 8
	sim := watchtest.StartSim(t, awssim.Options{Accounts: 2, Seed: 12, Items: items})
	for i := range 2 {
		scope := sim.Scope(t, i)
		res := watchtest.Run(t, NewWatcher(), scope)
		require.Len(t, res.Items, items)
		members, managed := 0, 0
		for _, it := range res.Items {
			require.Contains(t, it.ARN, ":"+scope.Account.Identifier+":group/")
			watchtest.RequireKeys(t, it.Config, []string{"group", "grouppolicies", "users"}, []string{"managed_policies"})
			watchtest.RequireKeys(t, it.Config["group"].(map[string]any),
				[]string{"arn", "group_name", "group_id", "path", "create_date"}, nil)
			members += len(it.Config["users"].(map[string]any))
			if mp, ok := it.Config["managed_policies"].([]any); ok {
				require.NotEmpty(t, mp)
				for _, p := range mp {
					require.Regexp(t, `^v[0-9]+$`, p.(map[string]any)["version"], "DefaultVersionId")
				}
				managed++
			}
		}
		require.Positive(t, members, "membership from the users' GroupList")
		require.Positive(t, managed)
	}
}

func TestWatcherSimFaults(t *testing.T) {
	t.Parallel()
	t.Run("iam fails", func(t *testing.T) {
		t.Parallel()
		watchtest.ServiceFails(t, NewWatcher(), awssim.Options{Accounts: 2, Seed: 12, Items: 5}, "iam", "universal", "x")
	})
	t.Run("throttled", func(t *testing.T) {
		t.Parallel()
		got := watchtest.Throttled(t, NewWatcher(), awssim.Options{Accounts: 2, Seed: 12, Items: 40})
		require.Len(t, got.Items, 40)
	})
}
