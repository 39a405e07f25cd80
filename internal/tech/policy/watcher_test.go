package policy

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"strings"
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

var watcherEpoch = time.Date(2019, 3, 4, 5, 6, 7, 0, time.UTC)

func enc(doc string) *string { return aws.String(url.PathEscape(doc)) }

func watcherPolicy(name, arn string, count int32) types.ManagedPolicyDetail {
	return types.ManagedPolicyDetail{
		PolicyName: aws.String(name), Arn: aws.String(arn), AttachmentCount: aws.Int32(count),
		CreateDate: aws.Time(watcherEpoch), UpdateDate: aws.Time(watcherEpoch.Add(1500 * time.Microsecond)),
		DefaultVersionId: aws.String("v2"), IsAttachable: true,
		PolicyVersionList: []types.PolicyVersion{
			{VersionId: aws.String("v1"), Document: enc(`{"Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}`)},
			{VersionId: aws.String("v2"), IsDefaultVersion: true, Document: enc(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:Get*","s3:List*"],"Resource":"*"}]}`)},
		},
	}
}

const (
	customARN = "arn:aws:iam::123456789012:policy/custom"
	roARN     = "arn:aws:iam::aws:policy/ReadOnlyAccess"
	unusedARN = "arn:aws:iam::aws:policy/Unused"
)

func TestWatcherNormalizeGolden(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   types.ManagedPolicyDetail
		att  attachments
	}{
		{"attached", watcherPolicy("custom", customARN, 3), attachments{
			Users:  []string{"arn:aws:iam::123456789012:user/zed", "arn:aws:iam::123456789012:user/amy"},
			Groups: []string{"arn:aws:iam::123456789012:group/g"},
			Roles:  []string{"arn:aws:iam::123456789012:role/r"},
		}},
		{"unattached", watcherPolicy("custom", customARN, 0), attachments{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg, err := normalize(&tc.in, tc.att)
			require.NoError(t, err)
			watchtest.Golden(t, "watcher_"+tc.name+".golden.json", cfg)
		})
	}
}

func TestWatcherNormalizeNoDefault(t *testing.T) {
	t.Parallel()
	p := watcherPolicy("x", customARN, 0)
	p.PolicyVersionList = p.PolicyVersionList[:1]
	_, err := normalize(&p, attachments{})
	require.ErrorContains(t, err, `default version "v2" not returned`)
}

type fakeIAM struct {
	pages  []*iam.GetAccountAuthorizationDetailsOutput
	failAt int
}

func (f *fakeIAM) GetAccountAuthorizationDetails(_ context.Context, in *iam.GetAccountAuthorizationDetailsInput, _ ...func(*iam.Options)) (*iam.GetAccountAuthorizationDetailsOutput, error) {
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
	attached := []types.AttachedPolicy{{PolicyArn: aws.String(customARN)}, {PolicyArn: aws.String(roARN)}}
	return []*iam.GetAccountAuthorizationDetailsOutput{
		{
			Policies:       []types.ManagedPolicyDetail{watcherPolicy("ReadOnlyAccess", roARN, 2), watcherPolicy("Unused", unusedARN, 0)},
			UserDetailList: []types.UserDetail{{Arn: aws.String("arn:aws:iam::123456789012:user/u"), AttachedManagedPolicies: attached}},
		},
		{
			Policies:        []types.ManagedPolicyDetail{watcherPolicy("custom", customARN, 3), watcherPolicy("ReadOnlyAccess", "arn:aws:iam::123456789012:policy/ReadOnlyAccess", 0)},
			GroupDetailList: []types.GroupDetail{{Arn: aws.String("arn:aws:iam::123456789012:group/g"), AttachedManagedPolicies: attached[:1]}},
			RoleDetailList:  []types.RoleDetail{{Arn: aws.String("arn:aws:iam::123456789012:role/r"), AttachedManagedPolicies: attached}},
		},
	}
}

func watcherScope() watch.Scope {
	return watchtest.FakeScope(monkey.Account{Name: "prod", Identifier: "123456789012", Type: "AWS"})
}

func TestWatcherCollect(t *testing.T) {
	t.Parallel()
	type want struct{ name, arn string }
	tests := []struct {
		name     string
		opts     []Option
		ignore   []string
		failAt   int
		want     []want
		wantFail int
	}{
		{name: "attached aws-managed only", failAt: -1, want: []want{
			{"custom", customARN}, {"ReadOnlyAccess", "arn:aws:iam::123456789012:policy/ReadOnlyAccess"},
		}},
		{name: "with unattached", failAt: -1, opts: []Option{WithUnattachedAWSManaged(true)}, want: []want{
			{"custom", customARN}, {"ReadOnlyAccess", "arn:aws:iam::123456789012:policy/ReadOnlyAccess"}, {"Unused", ""},
		}},
		{name: "ignore by arn and name", failAt: -1, ignore: []string{"arn:aws:iam::123456789012:policy/cu", "readonly"}, want: []want{}},
		{name: "listing fails", failAt: 1, want: []want{}, wantFail: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			opts := append([]Option{withClient(func(aws.Config) iamAPI { return &fakeIAM{pages: watcherPages(), failAt: tc.failAt} })}, tc.opts...)
			scope := watcherScope()
			scope.Ignore = tc.ignore
			res, err := NewWatcher(opts...).Collect(context.Background(), scope)
			require.NoError(t, err)
			got := []want{}
			for _, it := range res.Items {
				got = append(got, want{it.Name, it.ARN})
			}
			require.ElementsMatch(t, tc.want, got)
			require.Len(t, res.Failures, tc.wantFail)
			if tc.name == "attached aws-managed only" {
				byName := map[string]monkey.Config{}
				for _, it := range res.Items {
					byName[it.Name] = it.Config
				}
				c := byName["custom"]
				require.Equal(t, []any{"arn:aws:iam::123456789012:user/u"}, c["attached_users"])
				require.Equal(t, []any{"arn:aws:iam::123456789012:group/g"}, c["attached_groups"])
				require.Equal(t, []any{"arn:aws:iam::123456789012:role/r"}, c["attached_roles"])
				require.Equal(t, "arn:aws:iam::123456789012:policy/ReadOnlyAccess", byName["ReadOnlyAccess"]["arn"],
					"customer-managed policy wins a name clash")
			}
		})
	}
}

func TestWatcherAWSManagedHasNoARN(t *testing.T) {
	t.Parallel()
	pages := watcherPages()
	pages[1].Policies = pages[1].Policies[:1] // no name clash
	res, err := NewWatcher(withClient(func(aws.Config) iamAPI { return &fakeIAM{pages: pages, failAt: -1} })).
		Collect(context.Background(), watcherScope())
	require.NoError(t, err)
	require.Len(t, res.Items, 2)
	require.Equal(t, "ReadOnlyAccess", res.Items[0].Name, "items sorted by name")
	require.Empty(t, res.Items[0].ARN)
	require.Equal(t, roARN, res.Items[0].Config["arn"])
}

func TestWatcherConformance(t *testing.T) {
	t.Parallel()
	w := NewWatcher(withClient(func(aws.Config) iamAPI { return &fakeIAM{pages: watcherPages(), failAt: -1} }))
	watchtest.Run(t, w, watcherScope())
}

func TestWatcherSim(t *testing.T) {
	t.Parallel()
	const items = 8
	sim := watchtest.StartSim(t, awssim.Options{Accounts: 2, Seed: 13, Items: items})
	for i := range 2 {
		scope := sim.Scope(t, i)
		res := watchtest.Run(t, NewWatcher(), scope)
		customer, awsManaged, attached := 0, 0, 0
		for _, it := range res.Items {
			watchtest.RequireKeys(t, it.Config, []string{"name", "arn", "create_date", "update_date", "default_version_id",
				"attachment_count", "attached_users", "attached_groups", "attached_roles", "policy"}, nil)
			require.IsType(t, map[string]any{}, it.Config["policy"])
			arn := it.Config["arn"].(string)
			n := len(it.Config["attached_users"].([]any)) + len(it.Config["attached_groups"].([]any)) + len(it.Config["attached_roles"].([]any))
			require.Equal(t, it.Config["attachment_count"], n, "%s: attachments from the inverted GAAD pass", arn)
			if n > 0 {
				attached++
			}
			if strings.Contains(arn, ":iam::aws:policy") {
				awsManaged++
				require.Empty(t, it.ARN, "AWS-managed policies have no item ARN")
				require.Positive(t, n, "AWS-managed policies only when attached")
			} else {
				customer++
				require.Equal(t, arn, it.ARN)
				require.Contains(t, arn, ":"+scope.Account.Identifier+":policy/")
			}
			require.Regexp(t, `^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?\+00:00$`, it.Config["create_date"], "PY-STR")
		}
		require.Equal(t, items, customer)
		require.Positive(t, awsManaged)
		require.Positive(t, attached)
	}
}

func TestWatcherSimFaults(t *testing.T) {
	t.Parallel()
	t.Run("iam fails", func(t *testing.T) {
		t.Parallel()
		watchtest.ServiceFails(t, NewWatcher(), awssim.Options{Accounts: 2, Seed: 13, Items: 5}, "iam", "universal", "x")
	})
	t.Run("throttled", func(t *testing.T) {
		t.Parallel()
		got := watchtest.Throttled(t, NewWatcher(), awssim.Options{Accounts: 2, Seed: 13, Items: 40})
		require.GreaterOrEqual(t, len(got.Items), 40)
	})
}
