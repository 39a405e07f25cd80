package awssim_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/acm"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/route53domains"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
)

func (b *testBundle) control(t *testing.T, method, path string, body any, out any) int {
	t.Helper()
	var rd *bytes.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		require.NoError(t, err)
		rd = bytes.NewReader(raw)
	} else {
		rd = bytes.NewReader(nil)
	}
	req, err := http.NewRequest(method, b.endpoint+path, rd)
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	if out != nil {
		require.NoError(t, json.NewDecoder(resp.Body).Decode(out))
	}
	return resp.StatusCode
}

func TestCloudWatchPutMetricData(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 9})
	ctx := context.Background()
	client := cloudwatch.NewFromConfig(b.cfg)
	ts := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	_, err := client.PutMetricData(ctx, &cloudwatch.PutMetricDataInput{
		Namespace: aws.String("SecurityMonkey"),
		MetricData: []cwtypes.MetricDatum{
			{
				MetricName: aws.String("queue_items_added"),
				Dimensions: []cwtypes.Dimension{{Name: aws.String("tech"), Value: aws.String("s3")}, {Name: aws.String("account_number"), Value: aws.String("123")}},
				Timestamp:  aws.Time(ts),
				Unit:       cwtypes.StandardUnitCount,
				Value:      aws.Float64(42),
			},
			{MetricName: aws.String("queue_items_removed"), Value: aws.Float64(1.5)},
		},
	})
	require.NoError(t, err)

	var got []awssim.MetricDatum
	require.Equal(t, http.StatusOK, b.control(t, http.MethodGet, "/_sim/cloudwatch", nil, &got))
	require.Len(t, got, 2)
	require.Equal(t, "SecurityMonkey", got[0].Namespace)
	require.Equal(t, "queue_items_added", got[0].Metric)
	require.Equal(t, "Count", got[0].Unit)
	require.Equal(t, 42.0, got[0].Value)
	require.Equal(t, map[string]string{"tech": "s3", "account_number": "123"}, got[0].Dimensions)
	require.True(t, ts.Equal(got[0].Time))
	require.Equal(t, 1.5, got[1].Value)

	// Large batches are gzip-compressed by the SDK.
	var many []cwtypes.MetricDatum
	for i := range 400 {
		many = append(many, cwtypes.MetricDatum{MetricName: aws.String(fmt.Sprintf("metric_%03d_with_a_long_name", i)), Value: aws.Float64(float64(i))})
	}
	_, err = client.PutMetricData(ctx, &cloudwatch.PutMetricDataInput{Namespace: aws.String("Big"), MetricData: many})
	require.NoError(t, err)
	require.Len(t, b.srv.MetricData(), 402)

	_, err = client.ListMetrics(ctx, &cloudwatch.ListMetricsInput{})
	require.Equal(t, "UnknownOperationException", apiCode(t, err))
}

func TestFaults(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 10})
	ctx := context.Background()

	// Every simulated throttling error is classified as throttling by the SDK.
	require.Equal(t, http.StatusOK, b.control(t, http.MethodPost, "/_sim/faults", map[string]any{"throttle_rate": 1.0}, nil))
	cfg := b.cfg.Copy()
	cfg.Retryer = func() aws.Retryer { return aws.NopRetryer{} }
	throttle := retry.ThrottleErrorCode{Codes: retry.DefaultThrottleErrorCodes}
	_, err := iam.NewFromConfig(cfg).ListMFADevices(ctx, &iam.ListMFADevicesInput{UserName: aws.String("sim-user-0")})
	require.Equal(t, aws.TrueTernary, throttle.IsErrorThrottle(err), "iam: %v", err)
	_, err = ec2.NewFromConfig(cfg).DescribeRegions(ctx, &ec2.DescribeRegionsInput{})
	require.Equal(t, aws.TrueTernary, throttle.IsErrorThrottle(err), "ec2: %v", err)
	_, err = s3Client(cfg, "us-east-1").ListBuckets(ctx, &s3.ListBucketsInput{})
	require.Equal(t, aws.TrueTernary, throttle.IsErrorThrottle(err), "s3: %v", err)
	_, err = cloudwatch.NewFromConfig(cfg).PutMetricData(ctx, &cloudwatch.PutMetricDataInput{
		Namespace: aws.String("n"), MetricData: []cwtypes.MetricDatum{{MetricName: aws.String("m"), Value: aws.Float64(1)}}})
	require.Equal(t, aws.TrueTernary, throttle.IsErrorThrottle(err), "cloudwatch: %v", err)
	_, err = rdsClient(cfg, "us-east-1").DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{})
	require.Equal(t, aws.TrueTernary, throttle.IsErrorThrottle(err), "rds: %v", err)
	_, err = dxClient(cfg, "us-east-1").DescribeConnections(ctx, &directconnect.DescribeConnectionsInput{})
	require.Equal(t, aws.TrueTernary, throttle.IsErrorThrottle(err), "directconnect: %v", err)
	_, err = elbClient(cfg, "us-east-1").DescribeLoadBalancers(ctx, &elb.DescribeLoadBalancersInput{})
	require.Equal(t, aws.TrueTernary, throttle.IsErrorThrottle(err), "elb: %v", err)
	_, err = elbv2Client(cfg, "us-east-1").DescribeLoadBalancers(ctx, &elbv2.DescribeLoadBalancersInput{})
	require.Equal(t, aws.TrueTernary, throttle.IsErrorThrottle(err), "elbv2: %v", err)
	_, err = acmClient(cfg, "us-east-1").ListCertificates(ctx, &acm.ListCertificatesInput{})
	require.Equal(t, aws.TrueTernary, throttle.IsErrorThrottle(err), "acm: %v", err)
	_, err = route53.NewFromConfig(cfg).ListHostedZones(ctx, &route53.ListHostedZonesInput{})
	require.Equal(t, aws.TrueTernary, throttle.IsErrorThrottle(err), "route53: %v", err)
	_, err = r53dClient(cfg, "us-east-1").ListDomains(ctx, &route53domains.ListDomainsInput{})
	require.Equal(t, aws.TrueTernary, throttle.IsErrorThrottle(err), "route53domains: %v", err)
	_, err = sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	require.NoError(t, err, "sts is never faulted")

	// The standard retryer gets through a partial throttle.
	require.Equal(t, http.StatusOK, b.control(t, http.MethodPost, "/_sim/faults", map[string]any{"throttle_rate": 0.3}, nil))
	many := b.cfg.Copy()
	many.Retryer = func() aws.Retryer {
		return retry.NewStandard(func(o *retry.StandardOptions) {
			o.MaxAttempts = 20
			o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return time.Millisecond, nil })
		})
	}
	for range 10 {
		_, err = ec2.NewFromConfig(many).DescribeRegions(ctx, &ec2.DescribeRegionsInput{})
		require.NoError(t, err)
	}

	// Failing regions and services.
	require.Equal(t, http.StatusOK, b.control(t, http.MethodPost, "/_sim/faults",
		map[string]any{"fail_regions": []string{"eu-west-1"}, "fail_services": []string{"s3", "rds"}}, nil))
	_, err = rdsClient(cfg, "us-east-1").DescribeDBSnapshots(ctx, &rds.DescribeDBSnapshotsInput{})
	require.Equal(t, "AccessDenied", apiCode(t, err))
	_, err = regionClient(cfg, "eu-west-1").DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{})
	require.Equal(t, "UnauthorizedOperation", apiCode(t, err))
	_, err = regionClient(cfg, "us-west-2").DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{})
	require.NoError(t, err)
	_, err = s3Client(cfg, "us-east-1").ListBuckets(ctx, &s3.ListBucketsInput{})
	require.Equal(t, "AccessDenied", apiCode(t, err))
	_, err = dxClient(cfg, "eu-west-1").DescribeConnections(ctx, &directconnect.DescribeConnectionsInput{})
	require.Equal(t, "AccessDeniedException", apiCode(t, err))
	_, err = acmClient(cfg, "eu-west-1").ListCertificates(ctx, &acm.ListCertificatesInput{})
	require.Equal(t, "AccessDeniedException", apiCode(t, err))
	require.Equal(t, http.StatusOK, b.control(t, http.MethodPost, "/_sim/faults", map[string]any{"fail_services": []string{"elasticloadbalancingv2"}}, nil))
	_, err = elbv2Client(cfg, "us-east-1").DescribeLoadBalancers(ctx, &elbv2.DescribeLoadBalancersInput{})
	require.Equal(t, "AccessDenied", apiCode(t, err))
	_, err = elbClient(cfg, "us-east-1").DescribeLoadBalancers(ctx, &elb.DescribeLoadBalancersInput{})
	require.NoError(t, err, "fail_services names ELBv2 by its id: ELB still answers")
	require.Equal(t, http.StatusOK, b.control(t, http.MethodPost, "/_sim/faults", map[string]any{"fail_services": []string{"elasticloadbalancing"}}, nil))
	_, err = elbv2Client(cfg, "us-east-1").DescribeLoadBalancers(ctx, &elbv2.DescribeLoadBalancersInput{})
	require.Equal(t, "AccessDenied", apiCode(t, err), "the signing name fails both")
	require.Equal(t, http.StatusOK, b.control(t, http.MethodPost, "/_sim/faults", map[string]any{"fail_regions": []string{"*"}}, nil))
	_, err = iam.NewFromConfig(cfg).ListMFADevices(ctx, &iam.ListMFADevicesInput{UserName: aws.String("sim-user-0")})
	require.Equal(t, "AccessDenied", apiCode(t, err))
	_, err = route53.NewFromConfig(cfg).ListHostedZones(ctx, &route53.ListHostedZonesInput{})
	require.Equal(t, "AccessDenied", apiCode(t, err))
	_, err = r53dClient(cfg, "us-east-1").ListDomains(ctx, &route53domains.ListDomainsInput{})
	require.Equal(t, "AccessDeniedException", apiCode(t, err))

	// Latency.
	require.Equal(t, http.StatusOK, b.control(t, http.MethodPost, "/_sim/faults", map[string]any{"latency_ms": 50}, nil))
	start := time.Now()
	_, err = ec2.NewFromConfig(cfg).DescribeRegions(ctx, &ec2.DescribeRegionsInput{})
	require.NoError(t, err)
	require.GreaterOrEqual(t, time.Since(start), 50*time.Millisecond)

	require.Equal(t, http.StatusOK, b.control(t, http.MethodPost, "/_sim/faults", map[string]any{}, nil))
	_, err = s3Client(cfg, "us-east-1").ListBuckets(ctx, &s3.ListBucketsInput{})
	require.NoError(t, err)
	require.Equal(t, http.StatusBadRequest, b.control(t, http.MethodPost, "/_sim/faults", map[string]any{"throttle_rate": 2}, nil))
}

func TestControlCalls(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 11, Accounts: 2})
	ctx := context.Background()
	ids := b.srv.AccountIDs()

	var accounts []string
	require.Equal(t, http.StatusOK, b.control(t, http.MethodGet, "/_sim/accounts", nil, &accounts))
	require.Equal(t, ids, accounts)

	_, err := iam.NewFromConfig(b.assumed(ids[1])).GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{})
	require.NoError(t, err)
	_, err = s3Client(b.cfg, "us-east-1").ListBuckets(ctx, &s3.ListBucketsInput{})
	require.NoError(t, err)

	var calls map[string]map[string]int
	require.Equal(t, http.StatusOK, b.control(t, http.MethodGet, "/_sim/calls", nil, &calls))
	require.Equal(t, 1, calls[ids[1]]["iam.GetAccountAuthorizationDetails"])
	require.Equal(t, 1, calls[ids[1]]["sts.AssumeRole"]+calls[ids[0]]["sts.AssumeRole"])
	require.Equal(t, 1, calls[ids[0]]["s3.ListBuckets"])

	require.Equal(t, http.StatusOK, b.control(t, http.MethodDelete, "/_sim/calls", nil, nil))
	calls = nil
	require.Equal(t, http.StatusOK, b.control(t, http.MethodGet, "/_sim/calls", nil, &calls))
	require.Empty(t, calls)
	require.Equal(t, http.StatusNotFound, b.control(t, http.MethodGet, "/_sim/nothing", nil, nil))
}

func TestControlMutateDeleteCreate(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 12, Items: 6})
	ctx := context.Background()
	ids := b.srv.AccountIDs()
	acct := ids[0]
	client := iam.NewFromConfig(b.cfg)

	type items struct{ Items []string }
	call := func(op, techn string, n int) []string {
		var out items
		require.Equal(t, http.StatusOK, b.control(t, http.MethodPost, "/_sim/"+op, map[string]any{"account": acct, "technology": techn, "count": n}, &out))
		require.Len(t, out.Items, n)
		return out.Items
	}
	roles := func() map[string]iamtypes.RoleDetail {
		out, err := client.GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{Filter: []iamtypes.EntityType{iamtypes.EntityTypeRole}})
		require.NoError(t, err)
		m := map[string]iamtypes.RoleDetail{}
		for _, r := range out.RoleDetailList {
			m[aws.ToString(r.Arn)] = r
		}
		return m
	}
	before := roles()
	mutated := call("mutate", "iamrole", 2)
	after := roles()
	for _, arn := range mutated {
		require.NotEqual(t, before[arn].Tags, after[arn].Tags, arn)
	}
	deleted := call("delete", "iamrole", 1)
	created := call("create", "iamrole", 3)
	after = roles()
	require.Len(t, after, 6-1+3)
	require.NotContains(t, after, deleted[0])
	for _, arn := range created {
		require.Contains(t, after, arn)
	}

	// Durable changes of the other technologies.
	pol := call("mutate", "policy", 1)[0]
	out, err := client.GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{Filter: []iamtypes.EntityType{iamtypes.EntityTypeLocalManagedPolicy}})
	require.NoError(t, err)
	for _, p := range out.Policies {
		if aws.ToString(p.Arn) == pol {
			require.Equal(t, "v2", aws.ToString(p.DefaultVersionId))
			require.Len(t, p.PolicyVersionList, 2)
		}
	}
	user := call("mutate", "iamuser", 1)[0]
	out, err = client.GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{Filter: []iamtypes.EntityType{iamtypes.EntityTypeUser}})
	require.NoError(t, err)
	found := false
	for _, u := range out.UserDetailList {
		if aws.ToString(u.Arn) == user {
			found = true
			require.Equal(t, "sim-mutations", aws.ToString(u.UserPolicyList[len(u.UserPolicyList)-1].PolicyName))
		}
	}
	require.True(t, found)
	call("mutate", "iamgroup", 2)

	bucket := call("mutate", "s3", 1)[0]
	name := strings.TrimPrefix(bucket, "arn:aws:s3:::")
	tags, err := s3Client(b.cfg, "us-east-1").GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: aws.String(name)})
	require.NoError(t, err)
	require.Equal(t, "sim:mutation", aws.ToString(tags.TagSet[len(tags.TagSet)-1].Key))

	sg := call("mutate", "securitygroup", 1)[0]
	require.True(t, strings.HasPrefix(sg, "arn:aws:ec2:us-east-1:"+acct+":security-group/sg-"), sg)
	groups, err := ec2.NewFromConfig(b.cfg).DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{})
	require.NoError(t, err)
	require.Equal(t, sg, aws.ToString(groups.SecurityGroups[0].SecurityGroupArn))
	perms := groups.SecurityGroups[0].IpPermissions
	require.Len(t, perms, 1, "ssh open to the internet closed, one extra ingress rule")
	require.Equal(t, int32(10001), aws.ToInt32(perms[0].FromPort))
	delSG := call("delete", "securitygroup", 6)
	require.Len(t, delSG, 6)
	groups, err = ec2.NewFromConfig(b.cfg).DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{})
	require.NoError(t, err)
	require.Empty(t, groups.SecurityGroups)

	require.Equal(t, http.StatusNotFound, b.control(t, http.MethodPost, "/_sim/mutate", map[string]any{"account": "000000000000", "technology": "s3", "count": 1}, nil))
	require.Equal(t, http.StatusBadRequest, b.control(t, http.MethodPost, "/_sim/mutate", map[string]any{"account": acct, "technology": "nosuchtech", "count": 1}, nil))
}

func TestDeterministic(t *testing.T) {
	t.Parallel()
	now := func() time.Time { return time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC) }
	get := func(seed int64) (string, []string) {
		b := setup(t, awssim.Options{Seed: seed, Items: 20, Now: now})
		out, err := iam.NewFromConfig(b.cfg).GetAccountAuthorizationDetails(context.Background(), &iam.GetAccountAuthorizationDetailsInput{MaxItems: aws.Int32(1000)})
		require.NoError(t, err)
		raw, err := json.Marshal(out.RoleDetailList)
		require.NoError(t, err)
		return string(raw), b.srv.AccountIDs()
	}
	a1, ids1 := get(42)
	a2, ids2 := get(42)
	b1, ids3 := get(43)
	require.Equal(t, a1, a2)
	require.Equal(t, ids1, ids2)
	require.NotEqual(t, a1, b1)
	require.NotEqual(t, ids1, ids3)
}

func TestRun(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- awssim.Run(ctx, "127.0.0.1:0", awssim.Options{Seed: 1, Accounts: 2}, pw) }()
	var ready struct {
		Endpoint string   `json:"endpoint"`
		Accounts []string `json:"accounts"`
	}
	require.NoError(t, json.NewDecoder(pr).Decode(&ready))
	require.Len(t, ready.Accounts, 2)
	require.True(t, strings.HasPrefix(ready.Endpoint, "http://127.0.0.1:"))
	resp, err := http.Get(ready.Endpoint + "/_sim/accounts")
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	require.Equal(t, http.StatusOK, resp.StatusCode)
	cancel()
	require.NoError(t, <-done)
}

func TestUnsignedAndUnknownService(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{})
	resp, err := http.Post(b.endpoint+"/", "application/x-www-form-urlencoded", strings.NewReader("Action=ListUsers&Version=2010-05-08"))
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	require.Equal(t, http.StatusForbidden, resp.StatusCode)

	req, err := http.NewRequest(http.MethodPost, b.endpoint+"/", strings.NewReader("Action=ListQueues"))
	require.NoError(t, err)
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=x")
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	require.Equal(t, http.StatusBadRequest, resp.StatusCode)
}
