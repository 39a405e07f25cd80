package awssim

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awsclient"
)

func TestTechnologies(t *testing.T) {
	t.Parallel()
	// Every technology group adds its own: the list is sorted and holds the first six.
	require.True(t, slices.IsSorted(Technologies()), "sorted")
	require.Subset(t, Technologies(), []string{"iamgroup", "iamrole", "iamuser", "policy", "s3", "securitygroup"})

	srv, err := New(Options{})
	require.NoError(t, err)
	var got []string
	for _, ti := range srv.Technologies() {
		got = append(got, ti.Technology)
		require.NotEmpty(t, ti.Mutates, ti.Technology)
		require.NotEmpty(t, ti.Service, ti.Technology)
	}
	require.Equal(t, Technologies(), got)

	_, err = srv.Mutate(srv.AccountIDs()[0], "nosuchtech", 1)
	require.EqualError(t, err, `unknown technology "nosuchtech" (want one of `+strings.Join(Technologies(), ", ")+`)`)
	_, err = New(Options{ItemsPer: map[string]int{"securitygroup": 7, "nosuch": 1}})
	require.ErrorContains(t, err, `items per technology: unknown technology "nosuch" (want one of `+Technologies()[0])

	// A technology registered by an extra service is served with no other edit.
	srv, err = newServer(Options{ItemsPer: map[string]int{"testlambda": 2}}, withTestServices(testLambdaService()))
	require.NoError(t, err)
	arns, err := srv.Create(srv.AccountIDs()[0], "testlambda", 1)
	require.NoError(t, err)
	require.Equal(t, []string{"arn:aws:lambda:eu-west-1:" + srv.AccountIDs()[0] + ":function:sim-fn-2"}, arns)
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/_sim/technologies", nil))
	require.Equal(t, http.StatusOK, rec.Code)
	require.Contains(t, rec.Body.String(), `{"technology":"testlambda","service":"lambda","mutates":"one more statement in the function policy"}`)
}

// TestServiceDescriptors holds every service to the contract the watchers
// rely on: its throttling error is retried by the SDK as throttling and
// classified as throttling by awsclient, its access-denied error is
// classified as access denied (for a query-compatible service, with the
// code the SDK reports), every operation has a handler, every technology
// says what Mutate changes.
func TestServiceDescriptors(t *testing.T) {
	t.Parallel()
	for _, svc := range append(builtinServices(), testKMSService(), testSQSService(), testLambdaService()) {
		t.Run(svc.name, func(t *testing.T) {
			t.Parallel()
			require.NotNil(t, svc.protocol)
			require.NotEmpty(t, svc.ops)
			for name, op := range svc.ops {
				require.NotNil(t, op.handle, name)
			}
			reported := func(e errorShape) error {
				code := e.code
				if p, ok := svc.protocol.(awsJSON); ok && p.queryCompatible && p.queryCodes[code] != "" {
					code = p.queryCodes[code]
				}
				return &smithy.GenericAPIError{Code: code, Message: e.message}
			}
			if !svc.noFaults {
				_, sdkThrottle := retry.DefaultThrottleErrorCodes[svc.throttle.code]
				require.True(t, sdkThrottle, "throttle %s is not retried as throttling by the SDK", svc.throttle.code)
				require.True(t, awsclient.IsThrottle(reported(svc.throttle)), "throttle %s", svc.throttle.code)
				require.True(t, awsclient.IsAccessDenied(reported(svc.denied)), "denied %s", svc.denied.code)
				require.GreaterOrEqual(t, svc.denied.status, 400)
			}
			require.GreaterOrEqual(t, svc.unknown.status, 400)
			require.NotEmpty(t, svc.unknown.code)
			for _, r := range svc.resources {
				require.NotEmpty(t, r.mutates, r.tech)
				require.NotNil(t, r.arn, r.tech)
			}
		})
	}
}

func TestRegisterErrors(t *testing.T) {
	t.Parallel()
	noRoute := testLambdaService()
	noRoute.ops["GetFunction"] = operation{handle: testGetPolicy}
	queryRoute := testKMSService()
	queryRoute.ops["GetKeyPolicy"] = operation{http: "GET /policy", handle: testDescribeKey}
	badRoute := testLambdaService()
	badRoute.ops["GetFunction"] = operation{http: "GET /{Key+}/x", handle: testGetPolicy}
	dupTech := testKMSService()
	dupTech.name = "kms2"
	dupTech.resources[0].tech = "s3"
	for _, tc := range []struct {
		name string
		svcs []*service
		want string
	}{
		{"two services with one signing name", []*service{testKMSService(), testKMSService()}, `service "kms" registered twice`},
		{"a REST operation without a route", []*service{noRoute}, "operation GetFunction has no http route"},
		{"a route on a JSON service", []*service{queryRoute}, "operation GetKeyPolicy has an http route but the protocol is not REST"},
		{"a greedy label before the end", []*service{badRoute}, "a greedy label must be last"},
		{"two resources with one technology", append(builtinServices(), dupTech), `technology "s3" registered twice`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := newServer(Options{}, tc.svcs)
			require.ErrorContains(t, err, tc.want)
		})
	}
}

func TestRESTRoutes(t *testing.T) {
	t.Parallel()
	compile := func(ops map[string]operation) *service {
		svc := &service{name: "rest", protocol: restJSON{}, ops: ops}
		routes, err := compileRoutes(svc)
		require.NoError(t, err)
		svc.routes = routes
		return svc
	}
	bucketSvc := compile(map[string]operation{
		"ListBuckets":   {http: "GET /"},
		"HeadBucket":    {http: "HEAD /{Bucket}"},
		"ListObjects":   {http: "GET /{Bucket}"},
		"GetBucketAcl":  {http: "GET /{Bucket}?acl"},
		"ListAnalytics": {http: "GET /{Bucket}?analytics"},
		"GetAnalytics":  {http: "GET /{Bucket}?analytics&id"},
		"GetVersioning": {http: "GET /{Bucket}?versioning&x=1"},
		"GetObject":     {http: "GET /{Bucket}/{Key+}"},
	})
	functionSvc := compile(map[string]operation{
		"ListFunctions":  {http: "GET /2015-03-31/functions/"},
		"GetFunction":    {http: "GET /2015-03-31/functions/{FunctionName}"},
		"GetPolicy":      {http: "GET /2015-03-31/functions/{FunctionName}/policy"},
		"ListVersions":   {http: "GET /2015-03-31/functions/{FunctionName}/versions"},
		"GetAliasPolicy": {http: "GET /2015-03-31/functions/{FunctionName}/aliases/{Name}/policy"},
	})
	for _, tc := range []struct {
		svc            *service
		method, target string
		op             string
		labels         map[string]string
	}{
		{bucketSvc, "GET", "/", "ListBuckets", nil},
		{bucketSvc, "GET", "/?x-id=ListBuckets", "ListBuckets", nil},
		{bucketSvc, "HEAD", "/b1", "HeadBucket", map[string]string{"Bucket": "b1"}},
		{bucketSvc, "GET", "/b1", "ListObjects", map[string]string{"Bucket": "b1"}},
		{bucketSvc, "GET", "/b1?acl", "GetBucketAcl", map[string]string{"Bucket": "b1"}},
		{bucketSvc, "GET", "/b1?acl=", "GetBucketAcl", map[string]string{"Bucket": "b1"}},
		{bucketSvc, "GET", "/b1?analytics", "ListAnalytics", map[string]string{"Bucket": "b1"}},
		{bucketSvc, "GET", "/b1?analytics&id=a", "GetAnalytics", map[string]string{"Bucket": "b1"}},
		{bucketSvc, "GET", "/b1?analytics&x-id=GetAnalytics", "GetAnalytics", nil},
		{bucketSvc, "GET", "/b1?analytics&id=a&x-id=Other", "Other", nil},
		{bucketSvc, "GET", "/b1?versioning&x=1", "GetVersioning", map[string]string{"Bucket": "b1"}},
		{bucketSvc, "GET", "/b1?versioning&x=2", "ListObjects", map[string]string{"Bucket": "b1"}},
		{bucketSvc, "GET", "/b1/a/b%2Fc/d", "GetObject", map[string]string{"Bucket": "b1", "Key": "a/b/c/d"}},
		{bucketSvc, "POST", "/b1", "POST /b1", nil},
		{functionSvc, "GET", "/2015-03-31/functions", "ListFunctions", nil},
		{functionSvc, "GET", "/2015-03-31/functions/", "ListFunctions", nil},
		{functionSvc, "GET", "/2015-03-31/functions/f1", "GetFunction", map[string]string{"FunctionName": "f1"}},
		{functionSvc, "GET", "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A1%3Afunction%3Af1/policy", "GetPolicy",
			map[string]string{"FunctionName": "arn:aws:lambda:us-east-1:1:function:f1"}},
		{functionSvc, "GET", "/2015-03-31/functions/f1/versions", "ListVersions", map[string]string{"FunctionName": "f1"}},
		{functionSvc, "GET", "/2015-03-31/functions/f1/aliases/live/policy", "GetAliasPolicy", map[string]string{"FunctionName": "f1", "Name": "live"}},
		{functionSvc, "GET", "/2015-03-31/functions/f1/nothing", "GET /2015-03-31/functions/f1/nothing", nil},
		{functionSvc, "GET", "/2015-03-31/functions//policy", "GET /2015-03-31/functions//policy", nil},
		{functionSvc, "DELETE", "/2015-03-31/functions/f1", "DELETE /2015-03-31/functions/f1", nil},
	} {
		req := &request{r: httptest.NewRequest(tc.method, tc.target, nil), svc: tc.svc}
		require.Nil(t, readRoute(req), tc.target)
		require.Equal(t, tc.op, req.op, "%s %s", tc.method, tc.target)
		if tc.labels != nil {
			require.Equal(t, tc.labels, req.labels, "%s %s", tc.method, tc.target)
		}
	}
}

func TestUnknownServiceProtocols(t *testing.T) {
	t.Parallel()
	srv, err := New(Options{})
	require.NoError(t, err)
	for _, tc := range []struct {
		name, method, path, contentType, target string
		wantType, wantBody                      string
	}{
		{"json 1.1", http.MethodPost, "/", "application/x-amz-json-1.1", "TrentService.ListKeys", "application/x-amz-json-1.1", `"__type":"UnknownService"`},
		{"json 1.0", http.MethodPost, "/", "application/x-amz-json-1.0", "AmazonSQS.ListQueues", "application/x-amz-json-1.0", `"__type":"UnknownService"`},
		{"rest", http.MethodGet, "/2015-03-31/functions", "", "", "application/xml", "<Code>UnknownService</Code>"},
		{"query", http.MethodPost, "/", "application/x-www-form-urlencoded", "", "text/xml", "<Code>UnknownService</Code>"},
	} {
		req := httptest.NewRequest(tc.method, tc.path, strings.NewReader("{}"))
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/nosuch/aws4_request, SignedHeaders=host, Signature=0")
		if tc.contentType != "" {
			req.Header.Set("Content-Type", tc.contentType)
		}
		if tc.target != "" {
			req.Header.Set("X-Amz-Target", tc.target)
		}
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, req)
		require.Equal(t, http.StatusBadRequest, rec.Code, tc.name)
		require.Equal(t, tc.wantType, rec.Header().Get("Content-Type"), tc.name)
		require.Contains(t, rec.Body.String(), tc.wantBody, tc.name)
	}
}

// TestSharedSigningName: query services that share a signing name (ELB and
// ELBv2) are told apart by the Version parameter; each counts its calls
// under its own id and answers in its own namespace.
func TestSharedSigningName(t *testing.T) {
	t.Parallel()
	version := func(id, v string) *service {
		return &service{name: "shared", id: id, apiVersion: v, protocol: awsQuery{xmlns: "urn:" + v},
			ops: map[string]operation{"Describe": {handle: func(*Server, *request) (result, *apiError) {
				x := newXW()
				x.elem("Id", id)
				return xmlResult(x), nil
			}}},
			throttle: errorShape{http.StatusBadRequest, "Throttling", "Rate exceeded"},
			denied:   errorShape{http.StatusForbidden, "AccessDenied", "denied"},
			unknown:  errorShape{http.StatusBadRequest, "InvalidAction", "no {op}"},
		}
	}
	srv, err := newServer(Options{}, append(builtinServices(), version("sharedv1", "2012-06-01"), version("sharedv2", "2015-12-01")))
	require.NoError(t, err)
	call := func(body string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/shared/aws4_request, SignedHeaders=host, Signature=0")
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, req)
		return rec
	}
	for _, v := range []string{"2012-06-01", "2015-12-01"} {
		rec := call("Action=Describe&Version=" + v)
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		require.Contains(t, rec.Body.String(), `<DescribeResponse xmlns="urn:`+v+`">`)
	}
	require.Contains(t, call("Action=Describe&Version=2012-06-01").Body.String(), "<Id>sharedv1</Id>")
	rec := call("Action=Describe&Version=2099-01-01")
	require.Equal(t, http.StatusBadRequest, rec.Code)
	require.Contains(t, rec.Body.String(), "<Code>NoSuchVersion</Code>")
	calls := srv.Calls()[srv.AccountIDs()[0]]
	require.Equal(t, 2, calls["sharedv1.Describe"])
	require.Equal(t, 1, calls["sharedv2.Describe"])

	_, err = newServer(Options{}, []*service{version("a", "1"), version("b", "1")})
	require.ErrorContains(t, err, `service "shared" registered twice`, "one version twice")
	plain := version("c", "")
	_, err = newServer(Options{}, []*service{version("a", "1"), plain})
	require.ErrorContains(t, err, `service "shared" registered twice`, "a service without version")
}
