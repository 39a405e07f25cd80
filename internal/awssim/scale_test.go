package awssim_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
)

// rawQuery sends a form-encoded awsQuery/ec2Query request straight to the
// handler (no network, no SDK) and returns the body.
func rawQuery(tb testing.TB, h http.Handler, service, region string, form url.Values) []byte {
	tb.Helper()
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=test/20260101/"+region+"/"+service+"/aws4_request, SignedHeaders=host, Signature=0")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	require.Equal(tb, http.StatusOK, rec.Code, rec.Body.String())
	return rec.Body.Bytes()
}

func TestScale100k(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("walks 100,000 security groups and roles")
	}
	srv, err := awssim.New(awssim.Options{Seed: 1, Accounts: 1, Items: 100_000})
	require.NoError(t, err)
	h := srv.Handler()

	// The race detector makes the full walk slow: walk one region then.
	regions, wantSGs := []string{"us-east-1", "us-west-2", "eu-west-1"}, 100_000
	if raceEnabled {
		regions, wantSGs = regions[:1], 33_334
	}
	nextTokenRE := regexp.MustCompile(`<nextToken>([^<]+)</nextToken>`)
	sgs := 0
	for _, region := range regions {
		form := url.Values{"Action": {"DescribeSecurityGroups"}, "Version": {"2016-11-15"}, "MaxResults": {"1000"}}
		for {
			body := rawQuery(t, h, "ec2", region, form)
			sgs += bytes.Count(body, []byte("<groupDescription>"))
			m := nextTokenRE.FindSubmatch(body)
			if m == nil {
				break
			}
			form.Set("NextToken", string(m[1]))
		}
	}
	require.Equal(t, wantSGs, sgs)

	if raceEnabled {
		t.Log("race detector on: roles walk skipped")
	} else {
		walkRoles(t, h)
	}

	// The SDK decodes full pages.
	endpoint, err := srv.Start("127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, srv.Close()) })
	b := &testBundle{endpoint: endpoint, srv: srv}
	b.cfg = configFor(t, endpoint)
	ctx := context.Background()
	out, err := ec2.NewFromConfig(b.cfg).DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{MaxResults: aws.Int32(1000)})
	require.NoError(t, err)
	require.Len(t, out.SecurityGroups, 1000)
	require.NotNil(t, out.NextToken)
	g, err := iam.NewFromConfig(b.cfg).GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{
		MaxItems: aws.Int32(1000), Filter: []iamtypes.EntityType{iamtypes.EntityTypeLocalManagedPolicy},
	})
	require.NoError(t, err)
	require.Len(t, g.Policies, 1000)
	require.True(t, g.IsTruncated)
}

func benchPage(b *testing.B, service, region string, form url.Values) {
	srv, err := awssim.New(awssim.Options{Seed: 1, Accounts: 1, Items: 100_000})
	require.NoError(b, err)
	h := srv.Handler()
	b.ReportAllocs()
	var n int
	for b.Loop() {
		n = len(rawQuery(b, h, service, region, form))
	}
	b.ReportMetric(float64(n), "bytes/page")
}

func BenchmarkDescribeSecurityGroups1000(b *testing.B) {
	benchPage(b, "ec2", "us-east-1", url.Values{"Action": {"DescribeSecurityGroups"}, "Version": {"2016-11-15"}, "MaxResults": {"1000"}})
}

func BenchmarkDescribeInstances1000(b *testing.B) {
	benchPage(b, "ec2", "us-east-1", url.Values{"Action": {"DescribeInstances"}, "Version": {"2016-11-15"}, "MaxResults": {"1000"}})
}

func BenchmarkGAADRoles1000(b *testing.B) {
	benchPage(b, "iam", "us-east-1", url.Values{"Action": {"GetAccountAuthorizationDetails"}, "Version": {"2010-05-08"}, "MaxItems": {"1000"}, "Filter.member.1": {"Role"}})
}

func BenchmarkGAADUsers1000(b *testing.B) {
	benchPage(b, "iam", "us-east-1", url.Values{"Action": {"GetAccountAuthorizationDetails"}, "Version": {"2010-05-08"}, "MaxItems": {"1000"}, "Filter.member.1": {"User"}})
}

func BenchmarkGAADPolicies1000(b *testing.B) {
	benchPage(b, "iam", "us-east-1", url.Values{"Action": {"GetAccountAuthorizationDetails"}, "Version": {"2010-05-08"}, "MaxItems": {"1000"}, "Filter.member.1": {"LocalManagedPolicy"}})
}

func walkRoles(t *testing.T, h http.Handler) {
	t.Helper()
	markerRE := regexp.MustCompile(`<Marker>([^<]+)</Marker>`)
	roles := 0
	form := url.Values{"Action": {"GetAccountAuthorizationDetails"}, "Version": {"2010-05-08"}, "MaxItems": {"1000"}, "Filter.member.1": {"Role"}}
	for {
		body := rawQuery(t, h, "iam", "us-east-1", form)
		roles += bytes.Count(body, []byte("<RoleLastUsed/>"))
		m := markerRE.FindSubmatch(body)
		if m == nil {
			break
		}
		form.Set("Marker", string(m[1]))
	}
	require.Equal(t, 100_000, roles)
}
