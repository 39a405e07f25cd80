package iamssl_test

import (
	"testing"

	"github.com/secmonkey/monkey/internal/audit"
	"github.com/secmonkey/monkey/internal/audit/audittest"
	"github.com/secmonkey/monkey/internal/tech/iamssl"
)

var _ = audittest.DefineUpdateFlag()

func TestConformance(t *testing.T) {
	t.Parallel()
	audittest.Run(t, iamssl.NewAuditor())
}

// TestChecks runs on the test clock audittest.Now (2026-01-01T00:00:00Z).
func TestChecks(t *testing.T) {
	t.Parallel()
	a := iamssl.NewAuditor()
	const good = `"issuer":"SimTrustInc","size":2048,"signature_algorithm":"sha256","upload_date":"2025-01-01T00:00:00Z","expiration":"2027-01-01T00:00:00Z"`
	for _, tc := range []struct {
		name, cfg string
		want      []audittest.Issue
	}{
		{"good", `{` + good + `}`, nil},
		{"no issuer", `{"issuer":"ERROR_EXTRACTING_ISSUER"}`, []audittest.Issue{audittest.I("Could not extract valid certificate issuer.", 10, "ERROR_EXTRACTING_ISSUER")}},
		{"512 bits", `{"size":512}`, []audittest.Issue{audittest.I("Cert size is less than 1024 bits.", 10, "Actual size is 512 bits.")}},
		{"1024 bits", `{"size":1024}`, []audittest.Issue{audittest.I("Cert size is less than 2048 bits.", 3, "Actual size is 1024 bits.")}},
		{"EC 256 bits (reference quirk)", `{"size":256}`, []audittest.Issue{audittest.I("Cert size is less than 1024 bits.", 10, "Actual size is 256 bits.")}},
		{"no size", `{"size":null}`, nil},
		{"md5", `{"signature_algorithm":"MD5"}`, []audittest.Issue{audittest.I("Cert uses an MD5 signature Algorithm", 3, "MD5")}},
		{"sha1", `{"signature_algorithm":"sha1"}`, []audittest.Issue{audittest.I("Cert uses an SHA1 signature Algorithm", 1, "sha1")}},
		{"expires in 20 days", `{"expiration":"2026-01-21T00:00:00Z"}`, []audittest.Issue{
			audittest.I("Cert will expire soon.", 10, "Expires on 2026-01-21 00:00:00+00:00."),
			audittest.I("Cert will expire soon.", 5, "Expires on 2026-01-21 00:00:00+00:00.")}},
		{"expires in 45 days", `{"expiration":"2026-02-15T00:00:00Z"}`, []audittest.Issue{audittest.I("Cert will expire soon.", 5, "Expires on 2026-02-15 00:00:00+00:00.")}},
		{"expired", `{"expiration":"2025-12-31T00:00:00Z"}`, []audittest.Issue{audittest.I("Cert has expired.", 10, "Expired on 2025-12-31 00:00:00+00:00.")}},
		{"heartbleed", `{"upload_date":"2014-03-01T12:00:00Z"}`, []audittest.Issue{audittest.I("Cert may have been compromised by heartbleed.", 10, "Cert was uploaded 30 days before heartbleed.")}},
		{"after heartbleed", `{"upload_date":"2014-04-01T00:00:00Z"}`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fs := a.Audit(audit.Item{Account: audittest.Prod, Config: audittest.Config(t, tc.cfg)}, &audit.Env{Context: audittest.Context(t)})
			audittest.Expect(t, fs, tc.want...)
		})
	}
}
