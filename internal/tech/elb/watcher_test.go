package elb

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	lb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
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

func fullRaw() *raw {
	at := time.Date(2019, 3, 4, 5, 6, 7, 0, time.UTC)
	return &raw{
		LB: &types.LoadBalancerDescription{
			LoadBalancerName: aws.String("web"), DNSName: aws.String("web-1.eu-west-1.elb.amazonaws.com"),
			CanonicalHostedZoneName: aws.String("web-1.eu-west-1.elb.amazonaws.com"), CanonicalHostedZoneNameID: aws.String("Z1"),
			ListenerDescriptions: []types.ListenerDescription{
				{Listener: &types.Listener{Protocol: aws.String("HTTPS"), LoadBalancerPort: 443, InstanceProtocol: aws.String("HTTP"),
					InstancePort: aws.Int32(80), SSLCertificateId: aws.String("arn:aws:iam::123456789012:server-certificate/web")},
					PolicyNames: []string{"tls", "sticky"}},
				{Listener: &types.Listener{Protocol: aws.String("TCP"), LoadBalancerPort: 22, InstanceProtocol: aws.String("TCP"), InstancePort: aws.Int32(22)}},
			},
			Policies: &types.Policies{LBCookieStickinessPolicies: []types.LBCookieStickinessPolicy{{PolicyName: aws.String("sticky"), CookieExpirationPeriod: aws.Int64(60)}},
				OtherPolicies: []string{"tls"}, AppCookieStickinessPolicies: []types.AppCookieStickinessPolicy{}},
			BackendServerDescriptions: []types.BackendServerDescription{},
			AvailabilityZones:         []string{"eu-west-1a"}, Subnets: []string{"subnet-1"}, VPCId: aws.String("vpc-1"),
			Instances:           []types.Instance{{InstanceId: aws.String("i-1")}, {InstanceId: aws.String("i-2")}},
			HealthCheck:         &types.HealthCheck{Target: aws.String("HTTP:80/"), Interval: aws.Int32(30), Timeout: aws.Int32(5), UnhealthyThreshold: aws.Int32(2), HealthyThreshold: aws.Int32(10)},
			SourceSecurityGroup: &types.SourceSecurityGroup{OwnerAlias: aws.String("123456789012"), GroupName: aws.String("web")},
			SecurityGroups:      []string{"sg-1"}, CreatedTime: aws.Time(at), Scheme: aws.String("internet-facing"),
		},
		Attributes: &types.LoadBalancerAttributes{
			AccessLog:              &types.AccessLog{Enabled: true, S3BucketName: aws.String("logs"), EmitInterval: aws.Int32(60), S3BucketPrefix: aws.String("web")},
			ConnectionDraining:     &types.ConnectionDraining{Enabled: true, Timeout: aws.Int32(300)},
			ConnectionSettings:     &types.ConnectionSettings{IdleTimeout: aws.Int32(60)},
			CrossZoneLoadBalancing: &types.CrossZoneLoadBalancing{Enabled: true},
			AdditionalAttributes:   []types.AdditionalAttribute{{Key: aws.String("elb.http.desyncmitigationmode"), Value: aws.String("defensive")}},
		},
		Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("prod")}},
		Policies: []types.PolicyDescription{
			{PolicyName: aws.String("tls"), PolicyTypeName: aws.String("SSLNegotiationPolicyType"), PolicyAttributeDescriptions: []types.PolicyAttributeDescription{
				{AttributeName: aws.String("Protocol-SSLv2"), AttributeValue: aws.String("false")},
				{AttributeName: aws.String("Protocol-TLSv1.2"), AttributeValue: aws.String("true")},
				{AttributeName: aws.String("Server-Defined-Cipher-Order"), AttributeValue: aws.String("true")},
				{AttributeName: aws.String("Reference-Security-Policy"), AttributeValue: aws.String("ELBSecurityPolicy-2016-08")},
				{AttributeName: aws.String("RC4-SHA"), AttributeValue: aws.String("false")},
				{AttributeName: aws.String("ECDHE-RSA-AES128-GCM-SHA256"), AttributeValue: aws.String("true")},
				{AttributeName: aws.String("AES128-SHA"), AttributeValue: aws.String("true")},
			}},
			{PolicyName: aws.String("sticky"), PolicyTypeName: aws.String("LBCookieStickinessPolicyType")},
		},
	}
}

func TestWatcherNormalizeGolden(t *testing.T) {
	t.Parallel()
	bare := &raw{LB: &types.LoadBalancerDescription{LoadBalancerName: aws.String("bare")}}
	for _, tc := range []struct {
		name, detail string
		r            *raw
	}{
		{"full", securitygroup.DetailFull, fullRaw()},
		{"summary", securitygroup.DetailSummary, fullRaw()},
		{"bare_none", securitygroup.DetailNone, bare},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			watchtest.Golden(t, "watcher_"+tc.name+".golden.json", normalize(tc.r, "eu-west-1", "123456789012", tc.detail))
		})
	}
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

var keys = []string{"LoadBalancerName", "DNSName", "CanonicalHostedZoneNameID", "Scheme", "Subnets", "AvailabilityZones",
	"SecurityGroups", "SourceSecurityGroup", "HealthCheck", "BackendServerDescriptions", "Policies", "CreatedTime",
	"ListenerDescriptions", "Instances", "Attributes", "Tags", "PolicyDescriptions", "Arn", "Region", "_version"}

// TestWatcherSim collects the seeded load balancers and audits them with
// the account's audited security groups: every check fires, and the
// internet-facing ones behind open ports get the linked issues.
func TestWatcherSim(t *testing.T) {
	t.Parallel()
	sim := watchtest.StartSim(t, awssim.Options{Accounts: 2, Seed: 27, Items: 12})
	scope := sim.Scope(t, 1)
	w, err := NewWatcher("")
	require.NoError(t, err)
	res := watchtest.Run(t, w, scope)
	require.Len(t, res.Items, 12)
	env := &audit.Env{Context: audittest.Context(t), Support: map[string][]audit.Item{"securitygroup": auditedGroups(t, scope)}}
	a := NewAuditor()
	fired := map[string]bool{}
	linked := map[string]bool{}
	for _, it := range res.Items {
		watchtest.RequireKeys(t, it.Config, keys, []string{"VPCId", "CanonicalHostedZoneName"})
		require.Equal(t, it.Name, it.Config["LoadBalancerName"])
		require.Equal(t, "arn:aws:elasticloadbalancing:"+it.Region+":"+scope.Account.Identifier+":loadbalancer/"+it.Name, it.ARN)
		require.Equal(t, it.ARN, it.Config["Arn"])
		require.Len(t, it.Config["Instances"], 1)
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
	require.Equal(t, map[string]bool{"sim-elb-ssh-0: Internet Accessible": true, "sim-elb-ssh-6: Internet Accessible": true,
		"sim-elb-tls2011-1: Internet Accessible": true, "sim-elb-tls2011-7: Internet Accessible": true}, linked)
	calls := sim.Client.Calls()
	require.Equal(t, int64(3), calls["elastic load balancing.DescribeLoadBalancers"])
	require.Equal(t, int64(3), calls["elastic load balancing.DescribeTags"], "one batch per region")
	require.Equal(t, int64(12), calls["elastic load balancing.DescribeLoadBalancerAttributes"])
	require.Equal(t, int64(10), calls["elastic load balancing.DescribeLoadBalancerPolicies"], "not for the two without listener policies")
}

func TestWatcherInstanceDetail(t *testing.T) {
	t.Parallel()
	sim := watchtest.StartSim(t, awssim.Options{Accounts: 1, Seed: 27, Items: 3})
	scope := sim.Scope(t, 0)
	for detail, want := range map[string]any{"SUMMARY": "1 Instance(s)", "NONE": nil} {
		w, err := NewWatcher(detail)
		require.NoError(t, err)
		res, err := w.Collect(context.Background(), scope)
		require.NoError(t, err)
		require.Len(t, res.Items, 3)
		v, ok := res.Items[0].Config["Instances"]
		require.Equal(t, want != nil, ok, detail)
		require.Equal(t, want, v, detail)
	}
	_, err := NewWatcher("ALL")
	require.ErrorContains(t, err, "want FULL, SUMMARY or NONE")
}

func TestWatcherSimFaults(t *testing.T) {
	t.Parallel()
	opts := awssim.Options{Accounts: 2, Seed: 27, Items: 6}
	newW := func() *Watcher {
		w, err := NewWatcher("")
		require.NoError(t, err)
		return w
	}
	t.Run("failing region", func(t *testing.T) {
		t.Parallel()
		sim := watchtest.StartSim(t, opts)
		scope := sim.Scope(t, 1)
		require.NoError(t, sim.Server.SetFaults(awssim.Faults{FailRegions: []string{"us-west-2"}}))
		res, err := newW().Collect(context.Background(), scope)
		require.NoError(t, err)
		require.Len(t, res.Failures, 1)
		require.Equal(t, "us-west-2", res.Failures[0].Region)
		require.Empty(t, res.Failures[0].Name)
		require.Len(t, res.Items, 4)
	})
	t.Run("elb fails", func(t *testing.T) {
		t.Parallel()
		watchtest.ServiceFails(t, newW(), opts, "elasticloadbalancing", "us-east-1", "sim-elb-ssh-0")
	})
	t.Run("throttled", func(t *testing.T) {
		t.Parallel()
		require.Len(t, watchtest.Throttled(t, newW(), awssim.Options{Accounts: 2, Seed: 27, Items: 3}).Items, 3)
	})
	t.Run("ignore list", func(t *testing.T) {
		t.Parallel()
		sim := watchtest.StartSim(t, opts)
		scope := sim.Scope(t, 0)
		scope.Ignore = []string{"SIM-ELB-TLS"}
		res, err := newW().Collect(context.Background(), scope)
		require.NoError(t, err)
		require.Len(t, res.Items, 4)
		require.Equal(t, int64(4), sim.Client.Calls()["elastic load balancing.DescribeLoadBalancerAttributes"], "no call for an ignored load balancer")
	})
}

// failing fails the tag call naming tags and the policy call of policies.
type failing struct {
	elbAPI
	tags, policies string
}

var boom = &smithy.GenericAPIError{Code: "InternalFailure", Message: "boom"}

func (f failing) DescribeTags(ctx context.Context, in *lb.DescribeTagsInput, optFns ...func(*lb.Options)) (*lb.DescribeTagsOutput, error) {
	for _, n := range in.LoadBalancerNames {
		if n == f.tags {
			return nil, boom
		}
	}
	return f.elbAPI.DescribeTags(ctx, in, optFns...)
}

func (f failing) DescribeLoadBalancerPolicies(ctx context.Context, in *lb.DescribeLoadBalancerPoliciesInput, optFns ...func(*lb.Options)) (*lb.DescribeLoadBalancerPoliciesOutput, error) {
	if aws.ToString(in.LoadBalancerName) == f.policies {
		return nil, boom
	}
	return f.elbAPI.DescribeLoadBalancerPolicies(ctx, in, optFns...)
}

// TestWatcherItemFailures: a failed tag batch fails its load balancers, a
// failed policy call its load balancer; they are item failures, never
// missing items.
func TestWatcherItemFailures(t *testing.T) {
	t.Parallel()
	sim := watchtest.StartSim(t, awssim.Options{Accounts: 1, Seed: 27, Items: 6})
	scope := sim.Scope(t, 0)
	for _, tc := range []struct {
		fake       failing
		wantFailed []string
	}{
		{failing{tags: "sim-elb-tls2011-1"}, []string{"sim-elb-tls2011-1", "sim-elb-tls2015-4"}}, // one batch in us-west-2
		{failing{policies: "sim-elb-tls2015-4"}, []string{"sim-elb-tls2015-4"}},
		{failing{}, nil},
	} {
		w, err := NewWatcher("")
		require.NoError(t, err)
		w.newClient = func(c aws.Config) elbAPI {
			f := tc.fake
			f.elbAPI = lb.NewFromConfig(c)
			return f
		}
		res, err := w.Collect(context.Background(), scope)
		require.NoError(t, err)
		var failed []string
		for _, f := range res.Failures {
			require.Equal(t, "us-west-2", f.Region)
			failed = append(failed, f.Name)
		}
		require.ElementsMatch(t, tc.wantFailed, failed)
		require.Len(t, res.Items, 6-len(tc.wantFailed))
	}
}

func BenchmarkWatcherCollectSim10000(b *testing.B) {
	w, err := NewWatcher("")
	if err != nil {
		b.Fatal(err)
	}
	watchtest.BenchmarkCollect(b, w, "elasticloadbalancing", 10000)
}
