package awssim

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/require"
)

// The JSON 1.0, JSON 1.1 and REST-JSON protocols have no built-in service
// yet. These tests register small services of their own — in the shape a
// technology's <service>.go takes: a descriptor, a resource, operations —
// and drive them with the real SDK clients, errors and retries included.

// ---- "kms": JSON 1.1, paged ListKeys, DescribeKey ----

func testKMSService() *service {
	return &service{
		name:     "kms",
		protocol: awsJSON{version: "1.1", target: "TrentService"},
		ops: map[string]operation{
			"ListKeys":    {handle: testListKeys},
			"DescribeKey": {handle: testDescribeKey},
		},
		throttle: errorShape{http.StatusBadRequest, "ThrottlingException", "Rate exceeded"},
		denied:   errorShape{http.StatusBadRequest, "AccessDeniedException", "User is not authorized to perform: kms:{op}"},
		unknown:  errorShape{http.StatusBadRequest, "UnknownOperationException", "Operation {op} is not supported by the simulator"},
		resources: []resource{{
			tech: "testkms",
			arn: func(s *Server, a *account, i int) string {
				return "arn:aws:kms:" + s.itemRegion(i) + ":" + a.id + ":key/" + testKeyID(s, a, i)
			},
			mutates: "the key description",
		}},
	}
}

func testKeyID(s *Server, a *account, i int) string {
	return s.resourceID("", 32, hexDigits, "testkms/key-id", a, i)
}

func testListKeys(s *Server, req *request) (result, *apiError) {
	var in struct {
		Limit  int
		Marker string
	}
	if aerr := req.decode(&in); aerr != nil {
		return result{}, aerr
	}
	limit, ok := pageSize(strconv.Itoa(in.Limit), 100, 1000)
	if in.Limit == 0 {
		limit, ok = 100, true
	}
	start, okStart := pageStart(in.Marker, "k")
	if !ok || !okStart {
		return result{}, errf(http.StatusBadRequest, "ValidationException", "bad Limit or Marker")
	}
	a, ts := req.acct, req.acct.tech("testkms")
	type entry struct{ KeyId, KeyArn string }
	keys := []entry{}
	next, more := s.regionItems(ts, s.regionIndex(req.region), start, nil, func(i int) bool {
		if len(keys) == limit {
			return false
		}
		keys = append(keys, entry{testKeyID(s, a, i), s.resources["testkms"].arn(s, a, i)})
		return true
	})
	out := map[string]any{"Keys": keys, "Truncated": more}
	if more {
		out["NextMarker"] = pageToken("k", next)
	}
	return jsonResult(out), nil
}

func testDescribeKey(s *Server, req *request) (result, *apiError) {
	var in struct{ KeyId string }
	if aerr := req.decode(&in); aerr != nil {
		return result{}, aerr
	}
	a, ts := req.acct, req.acct.tech("testkms")
	for i := range ts.n {
		if ts.exists(i) && testKeyID(s, a, i) == in.KeyId && s.itemRegion(i) == req.region {
			return jsonResult(map[string]any{"KeyMetadata": map[string]any{
				"KeyId":        in.KeyId,
				"Arn":          s.resources["testkms"].arn(s, a, i),
				"AWSAccountId": a.id,
				"CreationDate": epochSeconds(s.created("testkms", i)),
				"Enabled":      true,
				"Description":  fmt.Sprintf("key %d, generation %d", i, ts.generation(i)),
				"KeyState":     "Enabled",
			}}), nil
		}
	}
	return result{}, errf(http.StatusBadRequest, "NotFoundException", "Key '%s' does not exist", in.KeyId)
}

// ---- "sqs": JSON 1.0, query-compatible, ListQueues, GetQueueUrl ----

func testSQSService() *service {
	return &service{
		name: "sqs",
		protocol: awsJSON{version: "1.0", target: "AmazonSQS", queryCompatible: true,
			queryCodes: map[string]string{"QueueDoesNotExist": "AWS.SimpleQueueService.NonExistentQueue", "AccessDeniedException": "AccessDenied"}},
		ops: map[string]operation{
			"ListQueues":  {handle: testListQueues},
			"GetQueueUrl": {handle: testGetQueueURL},
		},
		throttle: errorShape{http.StatusForbidden, "RequestThrottled", "Request is throttled."},
		denied:   errorShape{http.StatusForbidden, "AccessDeniedException", "Access to the resource is denied."},
		unknown:  errorShape{http.StatusBadRequest, "InvalidAction", "The action {op} is not valid for this endpoint."},
		resources: []resource{{
			tech:       "testsqs",
			perAccount: 4,
			arn: func(s *Server, a *account, i int) string {
				return "arn:aws:sqs:" + s.itemRegion(i) + ":" + a.id + ":" + testQueueName(i)
			},
			mutates: "nothing visible in ListQueues",
		}},
	}
}

func testQueueName(i int) string { return fmt.Sprintf("sim-queue-%d", i) }

func testQueueURL(a *account, region string, i int) string {
	return "https://sqs." + region + ".amazonaws.com/" + a.id + "/" + testQueueName(i)
}

func testListQueues(s *Server, req *request) (result, *apiError) {
	var in struct {
		QueueNamePrefix string
		MaxResults      int
		NextToken       string
	}
	if aerr := req.decode(&in); aerr != nil {
		return result{}, aerr
	}
	start, ok := pageStart(in.NextToken, "q")
	if !ok {
		return result{}, errf(http.StatusBadRequest, "InvalidParameterValue", "invalid NextToken")
	}
	max := in.MaxResults
	if max == 0 {
		max = 1000
	}
	urls := []string{}
	next, more := s.regionItems(req.acct.tech("testsqs"), s.regionIndex(req.region), start,
		func(i int) bool { return strings.HasPrefix(testQueueName(i), in.QueueNamePrefix) },
		func(i int) bool {
			if len(urls) == max {
				return false
			}
			urls = append(urls, testQueueURL(req.acct, req.region, i))
			return true
		})
	out := map[string]any{"QueueUrls": urls}
	if more && in.MaxResults > 0 {
		out["NextToken"] = pageToken("q", next)
	}
	return jsonResult(out), nil
}

func testGetQueueURL(s *Server, req *request) (result, *apiError) {
	var in struct{ QueueName string }
	if aerr := req.decode(&in); aerr != nil {
		return result{}, aerr
	}
	ts := req.acct.tech("testsqs")
	for i := range ts.n {
		if ts.exists(i) && testQueueName(i) == in.QueueName && s.itemRegion(i) == req.region {
			return jsonResult(map[string]string{"QueueUrl": testQueueURL(req.acct, req.region, i)}), nil
		}
	}
	return result{}, errf(http.StatusBadRequest, "QueueDoesNotExist", "The specified queue does not exist.")
}

// ---- "lambda": REST-JSON, ListFunctions, GetPolicy with a path label ----

func testLambdaService() *service {
	return &service{
		name:     "lambda",
		protocol: restJSON{},
		ops: map[string]operation{
			"ListFunctions": {http: "GET /2015-03-31/functions/", handle: testListFunctions},
			"GetPolicy":     {http: "GET /2015-03-31/functions/{FunctionName}/policy", handle: testGetPolicy},
		},
		throttle: errorShape{http.StatusTooManyRequests, "TooManyRequestsException", "Rate exceeded"},
		denied:   errorShape{http.StatusForbidden, "AccessDeniedException", "User is not authorized to perform: lambda:{op}"},
		unknown:  errorShape{http.StatusNotFound, "UnknownOperationException", "Unknown operation {op}"},
		resources: []resource{{
			tech:    "testlambda",
			arn:     testFunctionARN,
			mutates: "one more statement in the function policy",
		}},
	}
}

func testFunctionName(i int) string { return fmt.Sprintf("sim-fn-%d", i) }

func testFunctionARN(s *Server, a *account, i int) string {
	return "arn:aws:lambda:" + s.itemRegion(i) + ":" + a.id + ":function:" + testFunctionName(i)
}

func testListFunctions(s *Server, req *request) (result, *apiError) {
	max, ok := pageSize(req.form.Get("MaxItems"), 50, 50)
	start, okStart := pageStart(req.form.Get("Marker"), "fn")
	if !ok || !okStart {
		return result{}, errf(http.StatusBadRequest, "InvalidParameterValueException", "bad MaxItems or Marker")
	}
	type function struct{ FunctionName, FunctionArn, Runtime, LastModified string }
	fns := []function{}
	next, more := s.regionItems(req.acct.tech("testlambda"), s.regionIndex(req.region), start, nil, func(i int) bool {
		if len(fns) == max {
			return false
		}
		fns = append(fns, function{testFunctionName(i), testFunctionARN(s, req.acct, i), "python3.12",
			s.created("testlambda", i).Format("2006-01-02T15:04:05.000-0700")})
		return true
	})
	out := map[string]any{"Functions": fns}
	if more {
		out["NextMarker"] = pageToken("fn", next)
	}
	return jsonResult(out), nil
}

func testGetPolicy(s *Server, req *request) (result, *apiError) {
	name := req.label("FunctionName")
	if k := strings.LastIndexByte(name, ':'); k >= 0 && strings.HasPrefix(name, "arn:") {
		name = name[k+1:]
	}
	ts := req.acct.tech("testlambda")
	for i := range ts.n {
		if ts.exists(i) && testFunctionName(i) == name && s.itemRegion(i) == req.region {
			st := []string{`{"Sid":"base","Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"` + testFunctionARN(s, req.acct, i) + `"}`}
			for g := 1; g <= ts.generation(i); g++ {
				st = append(st, fmt.Sprintf(`{"Sid":"mutation-%d","Effect":"Allow","Principal":"*","Action":"lambda:GetFunction","Resource":"*"}`, g))
			}
			return jsonResult(map[string]string{
				"Policy":     `{"Version":"2012-10-17","Statement":[` + strings.Join(st, ",") + `]}`,
				"RevisionId": fmt.Sprintf("rev-%d-%s", ts.generation(i), req.form.Get("Qualifier")),
			}), nil
		}
	}
	return result{}, errf(http.StatusNotFound, "ResourceNotFoundException", "Function not found: %s", req.label("FunctionName"))
}

// withTestServices returns the built-in services, a test service
// replacing the built-in one of the same signing name.
func withTestServices(tests ...*service) []*service {
	out := append([]*service(nil), tests...)
	for _, svc := range builtinServices() {
		if !slices.ContainsFunc(tests, func(t *service) bool { return t.name == svc.name }) {
			out = append(out, svc)
		}
	}
	return out
}

// ---- the tests ----

type jsonBundle struct {
	srv *Server
	cfg aws.Config
}

func setupJSON(t *testing.T, opts Options) *jsonBundle {
	t.Helper()
	srv, err := newServer(opts, withTestServices(testKMSService(), testSQSService(), testLambdaService()))
	require.NoError(t, err)
	endpoint, err := srv.Start("127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, srv.Close()) })
	return &jsonBundle{srv: srv, cfg: aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint: aws.String(endpoint),
		Retryer: func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxAttempts = 3
				o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return time.Millisecond, nil })
			})
		},
	}}
}

func errorCode(t *testing.T, err error) string {
	t.Helper()
	var ae smithy.APIError
	require.True(t, errors.As(err, &ae), "not an API error: %v", err)
	return ae.ErrorCode()
}

func TestJSON11KMS(t *testing.T) {
	t.Parallel()
	b := setupJSON(t, Options{Seed: 21, ItemsPer: map[string]int{"testkms": 30}})
	ctx := context.Background()
	client := kms.NewFromConfig(b.cfg)

	var arns []string
	pages := 0
	p := kms.NewListKeysPaginator(client, &kms.ListKeysInput{Limit: aws.Int32(4)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		require.NoError(t, err)
		pages++
		for _, k := range out.Keys {
			arns = append(arns, aws.ToString(k.KeyArn))
			require.Contains(t, aws.ToString(k.KeyArn), ":key/"+aws.ToString(k.KeyId))
		}
	}
	require.Len(t, arns, 10, "keys 0, 3, … 27 live in us-east-1")
	require.Equal(t, 3, pages)

	first := strings.TrimPrefix(arns[0][strings.LastIndexByte(arns[0], '/'):], "/")
	d, err := client.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(first)})
	require.NoError(t, err)
	require.Equal(t, arns[0], aws.ToString(d.KeyMetadata.Arn))
	require.Equal(t, b.srv.AccountIDs()[0], aws.ToString(d.KeyMetadata.AWSAccountId))
	require.Equal(t, kmstypes.KeyStateEnabled, d.KeyMetadata.KeyState)
	require.True(t, b.srv.created("testkms", 0).Equal(aws.ToTime(d.KeyMetadata.CreationDate)))
	require.Equal(t, "key 0, generation 0", aws.ToString(d.KeyMetadata.Description))

	// A technology registered by a test service is mutable like the built-in ones.
	mutated, err := b.srv.Mutate(b.srv.AccountIDs()[0], "testkms", 1)
	require.NoError(t, err)
	require.Equal(t, []string{arns[0]}, mutated)
	d, err = client.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(first)})
	require.NoError(t, err)
	require.Equal(t, "key 0, generation 1", aws.ToString(d.KeyMetadata.Description))

	_, err = client.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("nope")})
	var nf *kmstypes.NotFoundException
	require.ErrorAs(t, err, &nf)
	require.Equal(t, "NotFoundException", errorCode(t, err))

	_, err = client.ListAliases(ctx, &kms.ListAliasesInput{})
	require.Equal(t, "UnknownOperationException", errorCode(t, err))

	calls := b.srv.Calls()[b.srv.AccountIDs()[0]]
	require.Equal(t, map[string]int{"kms.ListKeys": 3, "kms.DescribeKey": 3, "kms.ListAliases": 1}, calls)
}

func TestJSON10SQS(t *testing.T) {
	t.Parallel()
	b := setupJSON(t, Options{Seed: 22})
	ctx := context.Background()
	client := sqs.NewFromConfig(b.cfg, func(o *sqs.Options) { o.Region = "us-west-2" })

	out, err := client.ListQueues(ctx, &sqs.ListQueuesInput{})
	require.NoError(t, err)
	require.Len(t, out.QueueUrls, 1, "4 queues per account (perAccount), index 1 in us-west-2")
	require.Nil(t, out.NextToken)
	require.Equal(t, "https://sqs.us-west-2.amazonaws.com/"+b.srv.AccountIDs()[0]+"/sim-queue-1", out.QueueUrls[0])

	u, err := client.GetQueueUrl(ctx, &sqs.GetQueueUrlInput{QueueName: aws.String("sim-queue-1")})
	require.NoError(t, err)
	require.Equal(t, out.QueueUrls[0], aws.ToString(u.QueueUrl))

	// The query-compatible code (X-Amzn-Query-Error) is the one the SDK reports.
	_, err = client.GetQueueUrl(ctx, &sqs.GetQueueUrlInput{QueueName: aws.String("sim-queue-2")})
	var qne *sqstypes.QueueDoesNotExist
	require.ErrorAs(t, err, &qne)
	require.Equal(t, "AWS.SimpleQueueService.NonExistentQueue", errorCode(t, err))

	created, err := b.srv.Create(b.srv.AccountIDs()[0], "testsqs", 3)
	require.NoError(t, err)
	require.Equal(t, "arn:aws:sqs:us-west-2:"+b.srv.AccountIDs()[0]+":sim-queue-4", created[0])
	var urls []string
	p := sqs.NewListQueuesPaginator(client, &sqs.ListQueuesInput{MaxResults: aws.Int32(1)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		require.NoError(t, err)
		urls = append(urls, page.QueueUrls...)
	}
	require.Len(t, urls, 2)
}

func TestRESTJSONLambda(t *testing.T) {
	t.Parallel()
	b := setupJSON(t, Options{Seed: 23, Items: 9})
	ctx := context.Background()
	client := lambda.NewFromConfig(b.cfg)

	var fns []lambdatypes.FunctionConfiguration
	p := lambda.NewListFunctionsPaginator(client, &lambda.ListFunctionsInput{MaxItems: aws.Int32(2)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		require.NoError(t, err)
		fns = append(fns, out.Functions...)
	}
	require.Len(t, fns, 3)
	require.Equal(t, "sim-fn-3", aws.ToString(fns[1].FunctionName))
	require.Equal(t, lambdatypes.RuntimePython312, fns[1].Runtime)

	// The path label decodes a plain name and an ARN (colons escaped by the SDK).
	for _, name := range []string{"sim-fn-3", aws.ToString(fns[1].FunctionArn)} {
		pol, err := client.GetPolicy(ctx, &lambda.GetPolicyInput{FunctionName: aws.String(name), Qualifier: aws.String("live")})
		require.NoError(t, err, name)
		var doc struct{ Statement []map[string]any }
		require.NoError(t, json.Unmarshal([]byte(aws.ToString(pol.Policy)), &doc))
		require.Len(t, doc.Statement, 1)
		require.Equal(t, "rev-0-live", aws.ToString(pol.RevisionId))
	}
	_, err := b.srv.Mutate(b.srv.AccountIDs()[0], "testlambda", 4)
	require.NoError(t, err)
	pol, err := client.GetPolicy(ctx, &lambda.GetPolicyInput{FunctionName: aws.String("sim-fn-3")})
	require.NoError(t, err)
	require.Contains(t, aws.ToString(pol.Policy), `"Sid":"mutation-1"`)

	_, err = client.GetPolicy(ctx, &lambda.GetPolicyInput{FunctionName: aws.String("sim-fn-4")})
	var rnf *lambdatypes.ResourceNotFoundException
	require.ErrorAs(t, err, &rnf, "sim-fn-4 lives in us-west-2")
	require.Equal(t, "ResourceNotFoundException", errorCode(t, err))

	_, err = client.GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: aws.String("sim-fn-3")})
	require.Equal(t, "UnknownOperationException", errorCode(t, err))
}

// TestJSONFaults checks the fault switches on the three protocols: the
// throttling error of each service is retried by the SDK's standard retryer
// as throttling, and the access-denied error surfaces with its code.
func TestJSONFaults(t *testing.T) {
	t.Parallel()
	b := setupJSON(t, Options{Seed: 24})
	ctx := context.Background()
	acct := b.srv.AccountIDs()[0]
	calls := map[string]func(aws.Config) error{
		"kms.ListKeys": func(cfg aws.Config) error {
			_, err := kms.NewFromConfig(cfg).ListKeys(ctx, &kms.ListKeysInput{})
			return err
		},
		"sqs.ListQueues": func(cfg aws.Config) error {
			_, err := sqs.NewFromConfig(cfg).ListQueues(ctx, &sqs.ListQueuesInput{})
			return err
		},
		"lambda.ListFunctions": func(cfg aws.Config) error {
			_, err := lambda.NewFromConfig(cfg).ListFunctions(ctx, &lambda.ListFunctionsInput{})
			return err
		},
	}
	denied := map[string]string{
		"kms.ListKeys":         "AccessDeniedException",
		"sqs.ListQueues":       "AccessDenied", // the query-compatible code
		"lambda.ListFunctions": "AccessDeniedException",
	}
	throttle := retry.ThrottleErrorCode{Codes: retry.DefaultThrottleErrorCodes}
	for _, key := range slices.Sorted(maps.Keys(calls)) {
		call := calls[key]
		svc := key[:strings.IndexByte(key, '.')]

		require.NoError(t, b.srv.SetFaults(Faults{ThrottleRate: 1}))
		b.srv.ResetCalls()
		err := call(b.cfg)
		require.Equal(t, aws.TrueTernary, throttle.IsErrorThrottle(err), "%s: %v", key, err)
		require.Equal(t, 3, b.srv.Calls()[acct][key], "%s: the retryer made 3 attempts", key)

		require.NoError(t, b.srv.SetFaults(Faults{ThrottleRate: 0.3}))
		many := b.cfg.Copy()
		many.Retryer = func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxAttempts = 30
				o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return time.Millisecond, nil })
				o.RateLimiter = ratelimit.None
			})
		}
		for range 5 {
			require.NoError(t, call(many), key)
		}

		require.NoError(t, b.srv.SetFaults(Faults{FailServices: []string{svc}}))
		err = call(b.cfg)
		require.Equal(t, denied[key], errorCode(t, err), key)
		require.NoError(t, b.srv.SetFaults(Faults{FailRegions: []string{"us-east-1"}}))
		require.Equal(t, denied[key], errorCode(t, call(b.cfg)), key)
		require.NoError(t, b.srv.SetFaults(Faults{}))
		require.NoError(t, call(b.cfg), key)
	}
}
