package alb

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/audit"
	"github.com/secmonkey/monkey/internal/audit/audittest"
	"github.com/secmonkey/monkey/internal/awssim"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/tech/securitygroup"
	"github.com/secmonkey/monkey/internal/watch"
	"github.com/secmonkey/monkey/internal/watch/watchtest"
)

const lbARN = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/0123456789abcdef"

func fullRaw() *raw {
	at := time.Date(2019, 3, 4, 5, 6, 7, 0, time.UTC)
	tg := "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web/0123456789abcdef"
	listener := "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/web/0123456789abcdef/fedcba9876543210"
	forward := []types.Action{{Type: types.ActionTypeEnumForward, TargetGroupArn: aws.String(tg)}}
	return &raw{
		LB: &types.LoadBalancer{
			LoadBalancerArn: aws.String(lbARN), DNSName: aws.String("web-1.eu-west-1.elb.amazonaws.com"), CanonicalHostedZoneId: aws.String("Z1"),
			CreatedTime: aws.Time(at), LoadBalancerName: aws.String("web"), Scheme: types.LoadBalancerSchemeEnumInternetFacing,
			VpcId: aws.String("vpc-1"), State: &types.LoadBalancerState{Code: types.LoadBalancerStateEnumActive},
			Type:              types.LoadBalancerTypeEnumApplication,
			AvailabilityZones: []types.AvailabilityZone{{ZoneName: aws.String("eu-west-1a"), SubnetId: aws.String("subnet-1")}},
			SecurityGroups:    []string{"sg-1"}, IpAddressType: types.IpAddressTypeIpv4,
		},
		Listeners: []types.Listener{{ListenerArn: aws.String(listener), LoadBalancerArn: aws.String(lbARN), Port: aws.Int32(443),
			Protocol: types.ProtocolEnumHttps, SslPolicy: aws.String("ELBSecurityPolicy-2016-08"),
			Certificates: []types.Certificate{{CertificateArn: aws.String("arn:aws:acm:eu-west-1:123456789012:certificate/c")}}, DefaultActions: forward}},
		Rules: []types.Rule{{RuleArn: aws.String("arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener-rule/app/web/0123456789abcdef/fedcba9876543210/1"),
			Priority: aws.String("default"), IsDefault: aws.Bool(true), Conditions: []types.RuleCondition{}, Actions: forward}},
		Attributes: []types.LoadBalancerAttribute{{Key: aws.String("access_logs.s3.enabled"), Value: aws.String("true")},
			{Key: aws.String("deletion_protection.enabled"), Value: aws.String("false")}},
		Tags: []types.TagDescription{{ResourceArn: aws.String(lbARN), Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("prod")}}}},
		TargetGroups: []types.TargetGroup{{TargetGroupArn: aws.String(tg), TargetGroupName: aws.String("web"), Protocol: types.ProtocolEnumHttp,
			Port: aws.Int32(80), VpcId: aws.String("vpc-1"), LoadBalancerArns: []string{lbARN}, TargetType: types.TargetTypeEnumInstance}},
		TargetGroupAttributes: []types.TargetGroupAttribute{{Key: aws.String("stickiness.enabled"), Value: aws.String("false")}},
		TargetGroupHealth: []types.TargetHealthDescription{{Target: &types.TargetDescription{Id: aws.String("i-1"), Port: aws.Int32(80)},
			TargetHealth: &types.TargetHealth{State: types.TargetHealthStateEnumHealthy}}},
	}
}

func TestWatcherNormalizeGolden(t *testing.T) {
	t.Parallel()
	watchtest.Golden(t, "watcher_full.golden.json", normalize(fullRaw(), "eu-west-1"))
	watchtest.Golden(t, "watcher_bare.golden.json", normalize(&raw{LB: &types.LoadBalancer{LoadBalancerName: aws.String("bare")}}, "eu-west-1"))
}

// auditedGroups collects and audits the security groups of scope: the
// support items of the listener-linked check, as the pipeline stores them.
func auditedGroups(t *testing.T, scope watch.Scope) []audit.Item {
	t.Helper()
	w, err := securitygroup.NewWatcher("")
	require.NoError(t, err)
	res, err := w.Collect(context.Background(), scope)
	require.NoError(t, err)
	a := securitygroup.NewAuditor(nil)
	ctx := audittest.Context(t)
	var out []audit.Item
	for k, it := range res.Items {
		item := audit.Item{ID: int64(k + 1), Account: scope.Account, Technology: "securitygroup", Name: it.Name, Config: it.Config}
		for _, f := range a.Audit(item, &audit.Env{Context: ctx}) {
			item.Issues = append(item.Issues, monkey.Issue{Text: f.Text, Score: f.Score, Notes: f.Notes})
		}
		out = append(out, item)
	}
	return out
}

var keys = []string{"LoadBalancerArn", "DNSName", "CanonicalHostedZoneId", "CreatedTime", "LoadBalancerName", "Scheme", "VpcId",
	"State", "Type", "AvailabilityZones", "SecurityGroups", "IpAddressType", "Arn", "Region", "Listeners", "Rules", "Attributes",
	"Tags", "TargetGroups", "TargetGroupAttributes", "TargetGroupHealth", "_version"}

// TestWatcherSim collects the seeded load balancers and audits them with
// the account's audited security groups: every check fires, and the
// internet-facing ALB behind the group open on 443 and 80 gets the linked
// issue.
func TestWatcherSim(t *testing.T) {
	t.Parallel()
	sim := watchtest.StartSim(t, awssim.Options{Accounts: 2, Seed: 28, Items: 6})
	scope := sim.Scope(t, 1)
	res := watchtest.Run(t, NewWatcher(), scope)
	require.Len(t, res.Items, 6)
	env := &audit.Env{Context: audittest.Context(t), Support: map[string][]audit.Item{"securitygroup": auditedGroups(t, scope)}}
	a := NewAuditor()
	fired := map[string]bool{}
	linked := map[string]bool{}
	for _, it := range res.Items {
		watchtest.RequireKeys(t, it.Config, keys, nil)
		require.Equal(t, it.Name, it.Config["LoadBalancerName"])
		require.Equal(t, it.ARN, it.Config["Arn"])
		require.Len(t, it.Config["TargetGroups"], 1)
		require.Len(t, it.Config["TargetGroupHealth"], 1)
		require.Len(t, it.Config["Tags"], 1)
		for _, c := range a.Checks() {
			only := &audit.Env{Context: env.Context, Support: env.Support, Only: map[string]bool{c.ID: true}}
			for _, f := range a.Audit(audit.Item{Account: scope.Account, Config: it.Config}, only) {
				fired[c.ID] = true
				if len(f.LinkedItemIDs) > 0 {
					linked[it.Name+": "+f.Text] = true
				}
			}
		}
	}
	for _, c := range a.Checks() {
		require.True(t, fired[c.ID], "the seeded load balancers exercise %s", c.ID)
	}
	require.Equal(t, map[string]bool{"sim-alb-web-1: Internet Accessible": true}, linked)
	calls := sim.Client.Calls()
	const svc = "elastic load balancing v2."
	require.Equal(t, int64(3), calls[svc+"DescribeLoadBalancers"])
	require.Equal(t, int64(3), calls[svc+"DescribeTargetGroups"], "once per region")
	require.Equal(t, int64(3), calls[svc+"DescribeTags"])
	require.Equal(t, int64(6), calls[svc+"DescribeListeners"])
	require.Equal(t, int64(8), calls[svc+"DescribeRules"], "one per listener")
	require.Equal(t, int64(6), calls[svc+"DescribeTargetGroupAttributes"])
	require.Equal(t, int64(6), calls[svc+"DescribeTargetHealth"])
}

func TestWatcherSimFaults(t *testing.T) {
	t.Parallel()
	opts := awssim.Options{Accounts: 2, Seed: 28, Items: 6}
	t.Run("failing region", func(t *testing.T) {
		t.Parallel()
		sim := watchtest.StartSim(t, opts)
		scope := sim.Scope(t, 1)
		require.NoError(t, sim.Server.SetFaults(awssim.Faults{FailRegions: []string{"eu-west-1"}}))
		res, err := NewWatcher().Collect(context.Background(), scope)
		require.NoError(t, err)
		require.Len(t, res.Failures, 1)
		require.Equal(t, "eu-west-1", res.Failures[0].Region)
		require.Empty(t, res.Failures[0].Name)
		require.Len(t, res.Items, 4)
	})
	t.Run("elbv2 fails", func(t *testing.T) {
		t.Parallel()
		watchtest.ServiceFails(t, NewWatcher(), opts, "elasticloadbalancingv2", "us-east-1", "sim-alb-ssh-0")
	})
	t.Run("throttled", func(t *testing.T) {
		t.Parallel()
		require.Len(t, watchtest.Throttled(t, NewWatcher(), awssim.Options{Accounts: 2, Seed: 28, Items: 3}).Items, 3)
	})
	t.Run("ignore list", func(t *testing.T) {
		t.Parallel()
		sim := watchtest.StartSim(t, opts)
		scope := sim.Scope(t, 0)
		scope.Ignore = []string{"SIM-ALB-WEB", "sim-alb-nlb"}
		res, err := NewWatcher().Collect(context.Background(), scope)
		require.NoError(t, err)
		require.Len(t, res.Items, 4)
		require.Equal(t, int64(4), sim.Client.Calls()["elastic load balancing v2.DescribeListeners"], "no call for an ignored load balancer")
	})
}

// failing fails the rules of one listener's load balancer and the target
// group listing when asked.
type failing struct {
	elbv2API
	rulesOf string // load balancer name
	groups  bool
}

var boom = &smithy.GenericAPIError{Code: "InternalFailure", Message: "boom"}

func (f failing) DescribeRules(ctx context.Context, in *elbv2.DescribeRulesInput, optFns ...func(*elbv2.Options)) (*elbv2.DescribeRulesOutput, error) {
	if f.rulesOf != "" && strings.Contains(aws.ToString(in.ListenerArn), "/"+f.rulesOf+"/") {
		return nil, boom
	}
	return f.elbv2API.DescribeRules(ctx, in, optFns...)
}

func (f failing) DescribeTargetGroups(ctx context.Context, in *elbv2.DescribeTargetGroupsInput, optFns ...func(*elbv2.Options)) (*elbv2.DescribeTargetGroupsOutput, error) {
	if f.groups {
		return nil, boom
	}
	return f.elbv2API.DescribeTargetGroups(ctx, in, optFns...)
}

// TestWatcherFailures: a failed per-item call fails its load balancer; a
// failed target group listing fails the region. Nothing is missing.
func TestWatcherFailures(t *testing.T) {
	t.Parallel()
	sim := watchtest.StartSim(t, awssim.Options{Accounts: 1, Seed: 28, Items: 6})
	scope := sim.Scope(t, 0)
	for _, tc := range []struct {
		fake  failing
		want  []watch.Failure
		items int
	}{
		{failing{rulesOf: "sim-alb-web-1"}, []watch.Failure{{Region: "us-west-2", Name: "sim-alb-web-1"}}, 5},
		{failing{groups: true}, []watch.Failure{{Region: "eu-west-1"}, {Region: "us-east-1"}, {Region: "us-west-2"}}, 0},
	} {
		w := NewWatcher()
		w.newClient = func(c aws.Config) elbv2API {
			f := tc.fake
			f.elbv2API = elbv2.NewFromConfig(c)
			return f
		}
		res, err := w.Collect(context.Background(), scope)
		require.NoError(t, err)
		require.Len(t, res.Items, tc.items)
		require.Len(t, res.Failures, len(tc.want))
		for i, f := range tc.want {
			require.Equal(t, f.Region, res.Failures[i].Region)
			require.Equal(t, f.Name, res.Failures[i].Name)
		}
	}
}

func BenchmarkWatcherCollectSim10000(b *testing.B) {
	watchtest.BenchmarkCollect(b, NewWatcher(), "elasticloadbalancingv2", 10000)
}
