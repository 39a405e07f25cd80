package securitygroup

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/awssim"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/watch"
	"github.com/secmonkey/monkey/internal/watch/watchtest"
)

func group(i int, vpc string) types.SecurityGroup {
	g := types.SecurityGroup{
		GroupId: aws.String(fmt.Sprintf("sg-%08d", i)), GroupName: aws.String(fmt.Sprintf("web-%d", i)),
		Description: aws.String("web tier"), OwnerId: aws.String("123456789012"),
		IpPermissions: []types.IpPermission{
			{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(22), ToPort: aws.Int32(22),
				IpRanges:   []types.IpRange{{CidrIp: aws.String("0.0.0.0/0")}, {CidrIp: aws.String("10.0.0.0/8")}},
				Ipv6Ranges: []types.Ipv6Range{{CidrIpv6: aws.String("::/0")}}},
			{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443),
				UserIdGroupPairs: []types.UserIdGroupPair{{UserId: aws.String("210987654321"), GroupId: aws.String("sg-other"), GroupName: aws.String("lb")}},
				PrefixListIds:    []types.PrefixListId{{PrefixListId: aws.String("pl-1")}}},
		},
		IpPermissionsEgress: []types.IpPermission{
			{IpProtocol: aws.String("-1"), IpRanges: []types.IpRange{{CidrIp: aws.String("0.0.0.0/0")}}},
		},
	}
	if vpc != "" {
		g.VpcId = aws.String(vpc)
	}
	return g
}

func instances() []types.Instance {
	return []types.Instance{
		{InstanceId: aws.String("i-2"), SecurityGroups: []types.GroupIdentifier{{GroupId: aws.String("sg-00000001")}},
			Tags: []types.Tag{{Key: aws.String("Name"), Value: aws.String("api")}}},
		{InstanceId: aws.String("i-1"), SecurityGroups: []types.GroupIdentifier{{GroupId: aws.String("sg-00000001")}, {GroupId: aws.String("sg-00000002")}}},
	}
}

func TestWatcherNormalizeGolden(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		g      types.SecurityGroup
		detail string
	}{
		{"vpc_full", group(1, "vpc-1"), DetailFull},
		{"classic_summary", group(1, ""), DetailSummary},
		{"unused_none", group(3, "vpc-1"), DetailNone},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var a any
			if tc.detail != DetailNone {
				var refs []instanceRef
				for _, in := range instances() {
					refs = append(refs, refOf(&in))
				}
				a = assignedTo(refs, tc.detail)[aws.ToString(tc.g.GroupId)]
			}
			cfg := normalize(&tc.g, "eu-west-1", "aws", "123456789012", a)
			watchtest.Golden(t, "watcher_"+tc.name+".golden.json", map[string]any{"name": itemName(&tc.g), "config": cfg})
		})
	}
}

type regionData struct {
	groups    []types.SecurityGroup
	instances []types.Instance
	err       error
}

// fakeEC2 serves one region, one item per page, and counts calls.
type fakeEC2 struct {
	data  regionData
	mu    *sync.Mutex
	calls map[string]int
}

func (f *fakeEC2) count(op string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls[op]++
}

func page(token *string) int {
	if token == nil {
		return 0
	}
	n, _ := strconv.Atoi(*token)
	return n
}

func (f *fakeEC2) DescribeSecurityGroups(_ context.Context, in *ec2.DescribeSecurityGroupsInput, _ ...func(*ec2.Options)) (*ec2.DescribeSecurityGroupsOutput, error) {
	f.count("DescribeSecurityGroups")
	if f.data.err != nil {
		return nil, f.data.err
	}
	i := page(in.NextToken)
	out := &ec2.DescribeSecurityGroupsOutput{}
	if i < len(f.data.groups) {
		out.SecurityGroups = f.data.groups[i : i+1]
	}
	if i+1 < len(f.data.groups) {
		out.NextToken = aws.String(strconv.Itoa(i + 1))
	}
	return out, nil
}

func (f *fakeEC2) DescribeInstances(_ context.Context, in *ec2.DescribeInstancesInput, _ ...func(*ec2.Options)) (*ec2.DescribeInstancesOutput, error) {
	f.count("DescribeInstances")
	i := page(in.NextToken)
	out := &ec2.DescribeInstancesOutput{}
	if i < len(f.data.instances) {
		out.Reservations = []types.Reservation{{Instances: f.data.instances[i : i+1]}}
	}
	if i+1 < len(f.data.instances) {
		out.NextToken = aws.String(strconv.Itoa(i + 1))
	}
	return out, nil
}

func newWatcher(t testing.TB, detail string, data map[string]regionData) (*Watcher, map[string]int) {
	t.Helper()
	mu := &sync.Mutex{}
	calls := map[string]int{}
	w, err := NewWatcher(detail, withClient(func(c aws.Config) ec2API {
		return &fakeEC2{data: data[c.Region], mu: mu, calls: calls}
	}))
	require.NoError(t, err)
	return w, calls
}

func newSimWatcher(t testing.TB, detail string) *Watcher {
	t.Helper()
	w, err := NewWatcher(detail)
	require.NoError(t, err)
	return w
}

func scope(regions ...string) watch.Scope {
	return watchtest.FakeScope(monkey.Account{Name: "prod", Identifier: "123456789012", Type: "AWS"}, regions...)
}

func TestWatcherCollect(t *testing.T) {
	t.Parallel()
	data := map[string]regionData{
		"us-east-1": {groups: []types.SecurityGroup{group(1, "vpc-1"), group(2, "vpc-1"), group(3, "")}, instances: instances()},
		"eu-west-1": {groups: []types.SecurityGroup{group(4, "vpc-9")}},
		"us-west-2": {err: errors.New("UnauthorizedOperation")},
	}
	tests := []struct {
		detail        string
		want1         any
		wantInstCalls int
	}{
		{"", []any{map[string]any{"instance_id": "i-1"}, map[string]any{"Name": "api", "instance_id": "i-2"}}, 3},
		{"summary", "2 instances", 3},
		{"NONE", nil, 0},
	}
	for _, tc := range tests {
		t.Run("detail "+tc.detail, func(t *testing.T) {
			t.Parallel()
			w, calls := newWatcher(t, strings.ToUpper(tc.detail), data)
			s := scope("eu-west-1", "us-east-1", "us-west-2")
			s.RegionConcurrency = 2
			res, err := w.Collect(context.Background(), s)
			require.NoError(t, err)
			require.Len(t, res.Failures, 1)
			require.Equal(t, "us-west-2", res.Failures[0].Region)
			require.Empty(t, res.Failures[0].Name)
			names := []string{}
			for _, it := range res.Items {
				names = append(names, it.Region+"|"+it.Name)
				require.Equal(t, "arn:aws:ec2:"+it.Region+":123456789012:security-group/"+it.Config["id"].(string), it.ARN)
			}
			require.Equal(t, []string{
				"eu-west-1|web-4 (sg-00000004 in vpc-9)",
				"us-east-1|web-1 (sg-00000001 in vpc-1)",
				"us-east-1|web-2 (sg-00000002 in vpc-1)",
				"us-east-1|web-3 (sg-00000003)",
			}, names)
			require.Equal(t, tc.want1, res.Items[1].Config["assigned_to"])
			require.Equal(t, 4+1, calls["DescribeSecurityGroups"], "paginated: 1+3 pages, 1 failing call")
			require.Equal(t, tc.wantInstCalls, calls["DescribeInstances"])
		})
	}
}

func TestWatcherCollectIgnoreAndBadSetting(t *testing.T) {
	t.Parallel()
	w, _ := newWatcher(t, "", map[string]regionData{"us-east-1": {groups: []types.SecurityGroup{group(1, "vpc-1"), group(22, "")}}})
	s := scope("us-east-1")
	s.Ignore = []string{"WEB-2"}
	res, err := w.Collect(context.Background(), s)
	require.NoError(t, err)
	require.Len(t, res.Items, 1)
	require.Equal(t, []any{}, res.Items[0].Config["assigned_to"], "FULL with no instance is an empty list")

	_, err = NewWatcher("verbose")
	require.ErrorContains(t, err, "want FULL, SUMMARY or NONE")
}

func TestWatcherConformance(t *testing.T) {
	t.Parallel()
	w, _ := newWatcher(t, "", map[string]regionData{
		"us-east-1": {groups: []types.SecurityGroup{group(1, "vpc-1"), group(3, "")}, instances: instances()},
		"eu-west-1": {groups: []types.SecurityGroup{group(1, "vpc-1")}},
	})
	watchtest.Run(t, w, scope("us-east-1", "eu-west-1"))
}

func BenchmarkWatcherNormalize10000(b *testing.B) {
	groups := make([]types.SecurityGroup, 10000)
	for i := range groups {
		groups[i] = group(i, "vpc-1")
	}
	b.ReportAllocs()
	for b.Loop() {
		for i := range groups {
			_ = normalize(&groups[i], "us-east-1", "aws", "123456789012", nil)
		}
	}
}

var sgKeys = []string{"id", "name", "description", "vpc_id", "owner_id", "region", "arn", "rules", "assigned_to"}

func TestWatcherSim(t *testing.T) {
	t.Parallel()
	const items = 18
	sim := watchtest.StartSim(t, awssim.Options{Accounts: 2, Seed: 15, Items: items})
	for i := range 2 {
		scope := sim.Scope(t, i)
		sess, err := awsclient.SessionOf(scope)
		require.NoError(t, err)
		regionList, err := sess.Regions(context.Background())
		require.NoError(t, err)
		require.Equal(t, []string{"eu-west-1", "us-east-1", "us-west-2"}, regionList)
		res := watchtest.Run(t, newSimWatcher(t, ""), scope)
		require.Len(t, res.Items, items)
		regions := map[string]int{}
		used, classic := 0, 0
		for _, it := range res.Items {
			regions[it.Region]++
			watchtest.RequireKeys(t, it.Config, sgKeys, nil)
			require.Equal(t, it.Region, it.Config["region"])
			require.Equal(t, "arn:aws:ec2:"+it.Region+":"+scope.Account.Identifier+":security-group/"+it.Config["id"].(string), it.ARN)
			if it.Config["vpc_id"] == nil {
				classic++
				require.NotContains(t, it.Name, " in ")
			}
			if l := it.Config["assigned_to"].([]any); len(l) > 0 {
				used++
				require.Contains(t, l[0], "instance_id")
			}
			for _, r := range it.Config["rules"].([]any) {
				watchtest.RequireKeys(t, r.(map[string]any), []string{"rule_type", "ip_protocol", "from_port", "to_port",
					"cidr_ip", "owner_id", "group_id", "name"}, nil)
			}
		}
		require.Len(t, regions, 3)
		require.Positive(t, used)
		require.Positive(t, classic)
	}

	scope := sim.Scope(t, 0)
	res, err := newSimWatcher(t, DetailSummary).Collect(context.Background(), scope)
	require.NoError(t, err)
	summaries := map[string]bool{}
	for _, it := range res.Items {
		summaries[it.Config["assigned_to"].(string)] = true
	}
	require.True(t, summaries["3 instances"], "real count: %v", summaries)
	require.True(t, summaries["0 instances"])

	before := sim.Client.Calls()["ec2.DescribeInstances"]
	res, err = newSimWatcher(t, DetailNone).Collect(context.Background(), scope)
	require.NoError(t, err)
	require.Nil(t, res.Items[0].Config["assigned_to"])
	require.Equal(t, before, sim.Client.Calls()["ec2.DescribeInstances"], "NONE: no DescribeInstances")
}

func TestWatcherSimFaults(t *testing.T) {
	t.Parallel()
	t.Run("failing region", func(t *testing.T) {
		t.Parallel()
		sim := watchtest.StartSim(t, awssim.Options{Accounts: 2, Seed: 15, Items: 9})
		scope := sim.Scope(t, 1)
		require.NoError(t, sim.Server.SetFaults(awssim.Faults{FailRegions: []string{"eu-west-1"}}))
		res, err := newSimWatcher(t, "").Collect(context.Background(), scope)
		require.NoError(t, err)
		require.Len(t, res.Failures, 1)
		require.Equal(t, "eu-west-1", res.Failures[0].Region)
		require.Empty(t, res.Failures[0].Name)
		require.Len(t, res.Items, 6, "the other regions' items")
		for _, it := range res.Items {
			require.NotEqual(t, "eu-west-1", it.Region)
		}
	})
	t.Run("throttled", func(t *testing.T) {
		t.Parallel()
		got := watchtest.Throttled(t, newSimWatcher(t, ""), awssim.Options{Accounts: 2, Seed: 15, Items: 30})
		require.Len(t, got.Items, 30)
	})
}

func BenchmarkWatcherCollectSim10000(b *testing.B) {
	sim := watchtest.StartSim(b, awssim.Options{Accounts: 1, Seed: 1, Items: 10000})
	scope := sim.Scope(b, 0)
	w := newSimWatcher(b, "")
	var calls int64
	b.ReportAllocs()
	for b.Loop() {
		before := sim.Client.Calls()
		res, err := w.Collect(context.Background(), scope)
		if err != nil || len(res.Items) != 10000 || len(res.Failures) > 0 {
			b.Fatalf("collect: %v, %d items, %v", err, len(res.Items), res.Err())
		}
		after := sim.Client.Calls()
		calls = after["ec2.DescribeSecurityGroups"] - before["ec2.DescribeSecurityGroups"] +
			after["ec2.DescribeInstances"] - before["ec2.DescribeInstances"]
	}
	b.ReportMetric(float64(b.N*10000)/b.Elapsed().Seconds(), "items/s")
	b.ReportMetric(float64(calls)/10, "calls/1000items")
}
