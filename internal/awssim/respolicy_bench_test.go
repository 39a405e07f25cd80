package awssim_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
)

// benchList serves one 1,000-item page of a list operation of the
// resource-policy services (3,000 items, 1,000 in us-east-1): target is
// the X-Amz-Target of a JSON operation, or "" for a REST GET of path.
func benchList(b *testing.B, tech, service, target, path, body string) {
	srv, err := awssim.New(awssim.Options{Seed: 1, Accounts: 1, Items: 1, ItemsPer: map[string]int{tech: 3000}})
	require.NoError(b, err)
	h := srv.Handler()
	b.ReportAllocs()
	var n int
	for b.Loop() {
		method := http.MethodGet
		if target != "" {
			method = http.MethodPost
		}
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		if target != "" {
			req.Header.Set("X-Amz-Target", target)
			req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		}
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/"+service+"/aws4_request, SignedHeaders=host, Signature=0")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		require.Equal(b, http.StatusOK, rec.Code, rec.Body.String())
		n = rec.Body.Len()
	}
	b.ReportMetric(float64(n), "bytes/page")
}

func BenchmarkSQSListQueues1000(b *testing.B) {
	benchList(b, "sqs", "sqs", "AmazonSQS.ListQueues", "/", `{"MaxResults":1000}`)
}

func BenchmarkKMSListKeys1000(b *testing.B) {
	benchList(b, "kms", "kms", "TrentService.ListKeys", "/", `{"Limit":1000}`)
}

func BenchmarkECRDescribeRepositories1000(b *testing.B) {
	benchList(b, "ecrrepository", "ecr", "AmazonEC2ContainerRegistry_V20150921.DescribeRepositories", "/", `{"maxResults":1000}`)
}

func BenchmarkGlacierListVaults1000(b *testing.B) {
	benchList(b, "glacier", "glacier", "", "/-/vaults?limit=1000", "")
}
