package acm_test

import (
	"testing"

	"github.com/secmonkey/monkey/internal/audit"
	"github.com/secmonkey/monkey/internal/audit/audittest"
	"github.com/secmonkey/monkey/internal/tech/acm"
)

var _ = audittest.DefineUpdateFlag()

func TestConformance(t *testing.T) {
	t.Parallel()
	audittest.Run(t, acm.NewAuditor())
}

// TestChecks runs on the test clock audittest.Now (2026-01-01T00:00:00Z).
func TestChecks(t *testing.T) {
	t.Parallel()
	a := acm.NewAuditor()
	soon := func(score int, at string) audittest.Issue {
		return audittest.I("Cert will expire soon.", score, "Expires on "+at+".")
	}
	for _, tc := range []struct {
		name string
		cfg  string
		want []audittest.Issue
	}{
		{"valid a year", `{"NotAfter":"2027-01-01T00:00:00+00:00"}`, nil},
		{"in 20 days", `{"NotAfter":"2026-01-21T00:00:00+00:00"}`, []audittest.Issue{soon(10, "2026-01-21 00:00:00+00:00"), soon(5, "2026-01-21 00:00:00+00:00")}},
		{"in 12 hours", `{"NotAfter":"2026-01-01T12:00:00+00:00"}`, []audittest.Issue{soon(10, "2026-01-01 12:00:00+00:00"), soon(5, "2026-01-01 12:00:00+00:00")}},
		{"in 45 days", `{"NotAfter":"2026-02-15T00:00:00+00:00"}`, []audittest.Issue{soon(5, "2026-02-15 00:00:00+00:00")}},
		{"an hour ago", `{"NotAfter":"2025-12-31T23:00:00+00:00"}`, []audittest.Issue{audittest.I("Cert has expired.", 10, "Expired on 2025-12-31 23:00:00+00:00.")}},
		{"microseconds", `{"NotAfter":"2025-12-01T00:00:00.500000+00:00"}`, []audittest.Issue{audittest.I("Cert has expired.", 10, "Expired on 2025-12-01 00:00:00.500000+00:00.")}},
		{"no NotAfter", `{"DomainName":"example.com"}`, nil},
		{"unreadable NotAfter", `{"NotAfter":"soon"}`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fs := a.Audit(audit.Item{Account: audittest.Prod, Config: audittest.Config(t, tc.cfg)},
				&audit.Env{Context: audittest.Context(t)})
			audittest.Expect(t, fs, tc.want...)
		})
	}
}
