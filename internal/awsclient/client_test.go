package awsclient_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2t "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/awssim"
	"github.com/secmonkey/monkey/internal/awssim/awssimtest"
	"github.com/secmonkey/monkey/internal/monkey"
)

func TestErrorClassification(t *testing.T) {
	t.Parallel()
	api := func(code string) error {
		return fmt.Errorf("operation error: %w", &smithy.GenericAPIError{Code: code, Message: "m"})
	}
	tests := []struct {
		err      error
		code     string
		throttle bool
		denied   bool
	}{
		{nil, "", false, false},
		{errors.New("plain"), "", false, false},
		{api("Throttling"), "Throttling", true, false},
		{api("ThrottlingException"), "ThrottlingException", true, false},
		{api("RequestLimitExceeded"), "RequestLimitExceeded", true, false},
		{api("SlowDown"), "SlowDown", true, false},
		{api("TooManyRequestsException"), "TooManyRequestsException", true, false},
		{api("RequestThrottled"), "RequestThrottled", true, false},
		{api("AccessDenied"), "AccessDenied", false, true},
		{api("AccessDeniedException"), "AccessDeniedException", false, true},
		{api("AuthorizationError"), "AuthorizationError", false, true},
		{api("UnauthorizedOperation"), "UnauthorizedOperation", false, true},
		{api("AuthFailure"), "AuthFailure", false, true},
		{api("OptInRequired"), "OptInRequired", false, true},
		{api("NoSuchEntity"), "NoSuchEntity", false, false},
	}
	for _, tc := range tests {
		name := tc.code
		if name == "" {
			name = fmt.Sprint(tc.err)
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.code, awsclient.ErrorCode(tc.err))
			require.Equal(t, tc.throttle, awsclient.IsThrottle(tc.err))
			require.Equal(t, tc.denied, awsclient.IsAccessDenied(tc.err))
		})
	}
}

func TestRenderings(t *testing.T) {
	t.Parallel()
	ts := time.Date(2019, 3, 4, 5, 6, 7, 0, time.FixedZone("x", 3600))
	frac := time.Date(2019, 3, 4, 5, 6, 7, 123456789, time.UTC)
	require.Equal(t, "2019-03-04T04:06:07Z", awsclient.ISOZ(ts))
	require.Equal(t, "2019-03-04T05:06:07Z", awsclient.ISOZ(frac))
	require.Equal(t, "2019-03-04 04:06:07+00:00", awsclient.PyStr(&ts))
	require.Equal(t, "2019-03-04 05:06:07.123456+00:00", awsclient.PyStr(&frac))
	require.Equal(t, "None", awsclient.PyStr(nil))
	require.Equal(t, "2019-03-04T04:06:07+00:00", awsclient.ISOOff(ts))
	require.Equal(t, "2019-03-04T05:06:07.123456+00:00", awsclient.ISOOff(frac))
	require.Equal(t, "", awsclient.ISOZPtr(nil))
	require.Equal(t, "2019-03-04T05:06:07.123Z", awsclient.EC2Time(&frac))
	require.Equal(t, "2019-03-04T04:06:07.000Z", awsclient.EC2Time(&ts))
	require.Nil(t, awsclient.EC2Time(nil))
	require.Equal(t, "x", awsclient.StringOrNull(aws.String("x")))
	require.Equal(t, "", awsclient.StringOrNull(aws.String("")))
	require.Nil(t, awsclient.StringOrNull(nil))
	require.Equal(t, "available", awsclient.EnumOrNull(ec2t.SubnetStateAvailable))
	require.Nil(t, awsclient.EnumOrNull(ec2t.SubnetState("")))
}

func TestEC2NameTag(t *testing.T) {
	t.Parallel()
	tag := func(k, v string) ec2t.Tag { return ec2t.Tag{Key: aws.String(k), Value: aws.String(v)} }
	for _, tc := range []struct {
		tags []ec2t.Tag
		name string
		ok   bool
	}{
		{nil, "", false},
		{[]ec2t.Tag{tag("env", "prod")}, "", false},
		{[]ec2t.Tag{tag("env", "prod"), tag("Name", "web")}, "web", true},
		{[]ec2t.Tag{tag("Name", ""), tag("Name", "second")}, "", true},
		{[]ec2t.Tag{tag("name", "lower")}, "", false},
	} {
		name, ok := awsclient.EC2NameTag(tc.tags)
		require.Equal(t, tc.name, name)
		require.Equal(t, tc.ok, ok)
	}
}

func TestPolicyDocument(t *testing.T) {
	t.Parallel()
	want := map[string]any{"Sid": "a b+c", "N": "1"}
	tests := []struct{ name, in string }{
		{"rfc3986", "%7B%22Sid%22%3A%20%22a%20b%2Bc%22%2C%22N%22%3A%221%22%7D"},
		{"form", "%7B%22Sid%22%3A+%22a+b%2Bc%22%2C%22N%22%3A%221%22%7D"},
		{"plain", `{"Sid": "a b+c","N":"1"}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := awsclient.PolicyDocument(tc.in)
			require.NoError(t, err)
			require.Equal(t, want, got)
		})
	}
	_, err := awsclient.PolicyDocument("%7B%22broken")
	require.Error(t, err)
	_, err = awsclient.PolicyDocument("")
	require.Error(t, err)
	doc, err := awsclient.PolicyDocumentPtr(nil)
	require.NoError(t, err)
	require.Nil(t, doc)
}

type inner struct {
	Date  *time.Time
	Days  *int32
	Class string
	Flag  bool
}

type outer struct {
	ID     *string
	Nested *inner
	List   []inner
	Empty  []string
	Skip   *string
	Tags   map[string]string
	hidden int
}

func TestPassthrough(t *testing.T) {
	t.Parallel()
	d := time.Date(2020, 1, 2, 3, 4, 5, 6, time.UTC)
	got := awsclient.Passthrough(outer{
		ID: aws.String("x"), Nested: &inner{Date: &d, Class: "GLACIER"},
		List: []inner{{Days: aws.Int32(3), Flag: true}}, Empty: []string{}, Tags: map[string]string{"k": "v"}, hidden: 1,
	})
	require.Equal(t, map[string]any{
		"ID":     "x",
		"Nested": map[string]any{"Date": "2020-01-02T03:04:05Z", "Class": "GLACIER", "Flag": false},
		"List":   []any{map[string]any{"Days": 3, "Flag": true}},
		"Empty":  []any{},
		"Tags":   map[string]any{"k": "v"},
	}, got)
}

func TestPassthroughPyStr(t *testing.T) {
	t.Parallel()
	d := time.Date(2020, 1, 2, 3, 4, 5, 6000, time.UTC)
	got := awsclient.PassthroughPyStr(outer{Nested: &inner{Date: &d}, List: []inner{{Date: aws.Time(d.Truncate(time.Second))}}})
	require.Equal(t, map[string]any{
		"Nested": map[string]any{"Date": "2020-01-02 03:04:05.000006+00:00", "Flag": false},
		"List":   []any{map[string]any{"Date": "2020-01-02 03:04:05+00:00", "Flag": false}},
	}, got)
}

func TestS3Options(t *testing.T) {
	// Not parallel: reads the process environment.
	t.Setenv("AWS_ENDPOINT_URL", "")
	t.Setenv("AWS_ENDPOINT_URL_S3", "")
	o := s3.Options{}
	awsclient.S3Options(aws.Config{})(&o)
	require.False(t, o.UsePathStyle)
	awsclient.S3Options(aws.Config{BaseEndpoint: aws.String("http://127.0.0.1:1")})(&o)
	require.True(t, o.UsePathStyle)
	o = s3.Options{}
	t.Setenv("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:2")
	awsclient.S3Options(aws.Config{})(&o)
	require.True(t, o.UsePathStyle)
}

type observer struct {
	mu        sync.Mutex
	calls     map[string]int
	errs      int
	throttled int
}

func (o *observer) APICall(service, operation string, err error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.calls[service+"."+operation]++
	if err != nil {
		o.errs++
	}
}

func (o *observer) Throttled(string, string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.throttled++
}

type bundle struct {
	srv *awssim.Server
	c   *awsclient.Client
	obs *observer
}

func setup(t *testing.T, maxAttempts int) bundle {
	t.Helper()
	endpoint, srv := awssimtest.Start(t, awssim.Options{Accounts: 2, Seed: 7, Items: 3})
	base := awssimtest.Config(t, endpoint)
	obs := &observer{calls: map[string]int{}}
	c, err := awsclient.New(context.Background(), awsclient.Options{
		Base: &base, MaxAttempts: maxAttempts, MaxBackoff: 20 * time.Millisecond, Observer: obs,
	})
	require.NoError(t, err)
	return bundle{srv: srv, c: c, obs: obs}
}

func account(id string) monkey.Account {
	return monkey.Account{Type: "AWS", Identifier: id, Name: "a" + id,
		Custom: map[string]string{monkey.FieldRoleName: "Auditor", monkey.FieldExternalID: "ext"}}
}

func TestForAccount(t *testing.T) {
	t.Parallel()
	b := setup(t, 3)
	ctx := context.Background()
	ids := b.srv.AccountIDs()
	require.Len(t, ids, 2)

	for _, id := range ids {
		cfg, err := b.c.ForAccount(ctx, account(id))
		require.NoError(t, err)
		for range 3 {
			out, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
			require.NoError(t, err)
			require.Equal(t, id, aws.ToString(out.Account))
		}
		// A second ForAccount reuses the cached credentials.
		cfg2, err := b.c.ForAccount(ctx, account(id))
		require.NoError(t, err)
		_, err = iam.NewFromConfig(cfg2).GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{MaxItems: aws.Int32(5)})
		require.NoError(t, err)
	}
	calls := b.c.Calls()
	require.Equal(t, int64(2), calls["sts.AssumeRole"], "one AssumeRole per account: credentials cached")
	require.Equal(t, int64(6), calls["sts.GetCallerIdentity"])
	require.Equal(t, int64(2), calls["iam.GetAccountAuthorizationDetails"])
	require.Equal(t, 6, b.obs.calls["sts.GetCallerIdentity"])
	require.Equal(t, "arn:aws:iam::"+ids[0]+":role/Auditor", b.c.RoleARN(account(ids[0])))

	_, err := b.c.ForAccount(ctx, monkey.Account{Name: "x"})
	require.Error(t, err)
	_, err = b.c.ForAccount(ctx, monkey.Account{Name: "gh", Type: "GitHub", Identifier: "org"})
	require.ErrorContains(t, err, "not AWS")
	_, err = b.c.ForAccount(ctx, account("999999999999"))
	require.Error(t, err, "credentials are retrieved by ForAccount")
	require.True(t, awsclient.IsAccessDenied(err), "assume role into an unknown account: %v", err)
	require.ErrorContains(t, err, "arn:aws:iam::999999999999:role/Auditor")
}

func TestRegions(t *testing.T) {
	t.Parallel()
	b := setup(t, 3)
	ctx := context.Background()
	cfg, err := b.c.ForAccount(ctx, account(b.srv.AccountIDs()[1]))
	require.NoError(t, err)
	regions, err := b.c.Regions(ctx, cfg)
	require.NoError(t, err)
	require.Equal(t, []string{"eu-west-1", "us-east-1", "us-west-2"}, regions, "sorted, opt-in region excluded")

	require.NoError(t, b.srv.SetFaults(awssim.Faults{FailServices: []string{"ec2"}}))
	_, err = b.c.Regions(ctx, cfg)
	require.Error(t, err)
	require.True(t, awsclient.IsAccessDenied(err), "%v", err)
	require.Equal(t, "UnauthorizedOperation", awsclient.ErrorCode(err))
}

type fakeRegions struct{ out *ec2.DescribeRegionsOutput }

func (f fakeRegions) DescribeRegions(context.Context, *ec2.DescribeRegionsInput, ...func(*ec2.Options)) (*ec2.DescribeRegionsOutput, error) {
	return f.out, nil
}

func TestRegionsFiltersNotOptedIn(t *testing.T) {
	t.Parallel()
	out := &ec2.DescribeRegionsOutput{}
	for _, r := range [][2]string{{"us-west-2", "opt-in-not-required"}, {"af-south-1", "not-opted-in"}, {"ap-east-1", "opted-in"}} {
		out.Regions = append(out.Regions, ec2types(r[0], r[1]))
	}
	got, err := awsclient.Regions(context.Background(), fakeRegions{out})
	require.NoError(t, err)
	require.Equal(t, []string{"ap-east-1", "us-west-2"}, got)
}

func TestThrottlingRetried(t *testing.T) {
	t.Parallel()
	b := setup(t, 10)
	ctx := context.Background()
	cfg, err := b.c.ForAccount(ctx, account(b.srv.AccountIDs()[0]))
	require.NoError(t, err)
	require.NoError(t, b.srv.SetFaults(awssim.Faults{ThrottleRate: 0.3}))
	client := ec2.NewFromConfig(cfg)
	for range 8 {
		_, err := client.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{})
		require.NoError(t, err, "throttled attempts are retried")
	}
	require.Positive(t, b.c.Throttles())
	require.Equal(t, int64(8), b.c.Calls()["ec2.DescribeSecurityGroups"], "operations, not attempts")
	require.Equal(t, int(b.c.Throttles()), b.obs.throttled)
}

func TestThrottlingExhausted(t *testing.T) {
	t.Parallel()
	b := setup(t, 3)
	ctx := context.Background()
	cfg, err := b.c.ForAccount(ctx, account(b.srv.AccountIDs()[0]))
	require.NoError(t, err)
	require.NoError(t, b.srv.SetFaults(awssim.Faults{ThrottleRate: 1}))
	_, err = iam.NewFromConfig(cfg).GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{})
	require.Error(t, err, "retries exhausted: the error surfaces")
	require.True(t, awsclient.IsThrottle(err), "%v", err)
	require.Equal(t, int64(3), b.c.Throttles(), "MaxAttempts attempts")
	require.Equal(t, 1, b.obs.errs)
}

func TestNewOptions(t *testing.T) {
	t.Parallel()
	base := aws.Config{}
	c, err := awsclient.New(context.Background(), awsclient.Options{Base: &base, GovCloud: true, RetryMode: awsclient.RetryStandard})
	require.NoError(t, err)
	require.Equal(t, "aws-us-gov", c.Partition())
	require.Equal(t, "us-gov-west-1", c.DefaultRegion())
	require.Equal(t, "us-gov-west-1", c.Base().Region)
	require.Equal(t, "arn:aws-us-gov:iam::123456789012:role/SecurityMonkey", c.RoleARN(monkey.Account{Identifier: "123456789012"}))
	require.Equal(t, 10, c.Base().Retryer().MaxAttempts(), "default attempts")
	require.Empty(t, base.APIOptions, "the caller's config is not modified")

	_, err = awsclient.New(context.Background(), awsclient.Options{Base: &base, RetryMode: "random"})
	require.ErrorContains(t, err, `retry mode "random"`)
}

func TestStandardRetryMode(t *testing.T) {
	t.Parallel()
	endpoint, srv := awssimtest.Start(t, awssim.Options{Accounts: 1, Seed: 3, Items: 2})
	base := awssimtest.Config(t, endpoint)
	c, err := awsclient.New(context.Background(), awsclient.Options{
		Base: &base, MaxAttempts: 10, MaxBackoff: 5 * time.Millisecond, RetryMode: awsclient.RetryStandard,
	})
	require.NoError(t, err)
	require.NoError(t, srv.SetFaults(awssim.Faults{ThrottleRate: 0.5}))
	client := ec2.NewFromConfig(c.Base())
	for range 20 {
		_, err := client.DescribeRegions(context.Background(), &ec2.DescribeRegionsInput{})
		require.NoError(t, err)
	}
	require.Positive(t, c.Throttles())
}

func TestForAccountAssumeRoleInput(t *testing.T) {
	t.Parallel()
	endpoint, srv := awssimtest.Start(t, awssim.Options{Accounts: 2, Seed: 5, Items: 1})
	base := awssimtest.Config(t, endpoint)
	var (
		mu   sync.Mutex
		seen []sts.AssumeRoleInput
	)
	base.APIOptions = append(base.APIOptions, func(s *middleware.Stack) error {
		return s.Initialize.Add(middleware.InitializeMiddlewareFunc("capture",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				if ar, ok := in.Parameters.(*sts.AssumeRoleInput); ok {
					mu.Lock()
					seen = append(seen, *ar)
					mu.Unlock()
				}
				return next.HandleInitialize(ctx, in)
			}), middleware.After)
	})
	c, err := awsclient.New(context.Background(), awsclient.Options{Base: &base})
	require.NoError(t, err)
	id := srv.AccountIDs()[1]
	_, err = c.ForAccount(context.Background(), account(id))
	require.NoError(t, err)
	plain := monkey.Account{Identifier: id, Name: "plain"}
	_, err = c.ForAccount(context.Background(), plain)
	require.NoError(t, err)

	require.Len(t, seen, 2)
	require.Equal(t, "arn:aws:iam::"+id+":role/Auditor", aws.ToString(seen[0].RoleArn))
	require.Equal(t, "secmonkey", aws.ToString(seen[0].RoleSessionName))
	require.Equal(t, "ext", aws.ToString(seen[0].ExternalId))
	require.Equal(t, "arn:aws:iam::"+id+":role/SecurityMonkey", aws.ToString(seen[1].RoleArn))
	require.Nil(t, seen[1].ExternalId)
}

// countingHTTP records the peak number of requests in flight.
type countingHTTP struct {
	next           aws.HTTPClient
	mu             sync.Mutex
	inFlight, peak int
}

func (c *countingHTTP) Do(r *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.inFlight++
	c.peak = max(c.peak, c.inFlight)
	c.mu.Unlock()
	defer func() { c.mu.Lock(); c.inFlight--; c.mu.Unlock() }()
	return c.next.Do(r)
}

func TestCallConcurrencyPerAccountAndService(t *testing.T) {
	t.Parallel()
	endpoint, srv := awssimtest.Start(t, awssim.Options{Accounts: 2, Seed: 4, Items: 1})
	require.NoError(t, srv.SetFaults(awssim.Faults{LatencyMS: 50}))
	base := awssimtest.Config(t, endpoint)
	counter := &countingHTTP{next: awshttp.NewBuildableClient()}
	base.HTTPClient = counter
	c, err := awsclient.New(context.Background(), awsclient.Options{Base: &base, CallConcurrency: 3})
	require.NoError(t, err)
	ctx := context.Background()
	ids := srv.AccountIDs()
	sess, err := c.Session(ctx, monkey.Account{Type: "AWS", Name: "a", Identifier: ids[0]})
	require.NoError(t, err)
	other, err := c.Session(ctx, monkey.Account{Type: "AWS", Name: "b", Identifier: ids[1]})
	require.NoError(t, err)
	// burst makes n calls at once, the i-th with call(i), and returns the
	// peak of requests in flight.
	burst := func(n int, call func(i int) error) int {
		counter.mu.Lock()
		counter.peak = 0
		counter.mu.Unlock()
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				if err := call(i); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		counter.mu.Lock()
		defer counter.mu.Unlock()
		return counter.peak
	}

	client := iam.NewFromConfig(sess.Config)
	peak := burst(12, func(int) error { _, err := client.ListUsers(ctx, &iam.ListUsersInput{}); return err })
	require.LessOrEqual(t, peak, 3, "at most 3 calls of one account's service in flight")
	require.GreaterOrEqual(t, peak, 2, "calls do run concurrently")

	// Another account has slots of its own.
	clients := []*iam.Client{client, iam.NewFromConfig(other.Config)}
	peak = burst(12, func(i int) error { _, err := clients[i%2].ListUsers(ctx, &iam.ListUsersInput{}); return err })
	require.LessOrEqual(t, peak, 6, "3 per account")
	require.Greater(t, peak, 3, "the other account has slots of its own")

	// S3 limits requests per bucket prefix, not per account: 4 × the bound.
	s3c := s3.NewFromConfig(sess.Config, awsclient.S3Options(sess.Config))
	peak = burst(24, func(int) error { _, err := s3c.ListBuckets(ctx, &s3.ListBucketsInput{}); return err })
	require.LessOrEqual(t, peak, 12, "at most 4 × 3 S3 calls of one account in flight")
	require.Greater(t, peak, 3, "S3 has a larger bound")
}
