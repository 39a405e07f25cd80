package ses_test

import (
	"testing"

	"github.com/secmonkey/monkey/internal/audit"
	"github.com/secmonkey/monkey/internal/audit/audittest"
	"github.com/secmonkey/monkey/internal/tech/ses"
)

var _ = audittest.DefineUpdateFlag()

func TestConformance(t *testing.T) {
	t.Parallel()
	audittest.Run(t, ses.NewAuditor())
}

func TestChecks(t *testing.T) {
	t.Parallel()
	a := ses.NewAuditor()
	for _, tc := range []struct {
		name string
		cfg  string
		want []audittest.Issue
	}{
		{"verified", `{"name":"example.com","verified":true}`, nil},
		{"not verified", `{"name":"example.com","verified":false}`, []audittest.Issue{audittest.N("SES Identity Not Verified.", 1)}},
		{"no verified key", `{"name":"example.com"}`, []audittest.Issue{audittest.N("SES Identity Not Verified.", 1)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fs := a.Audit(audit.Item{Account: audittest.Prod, Config: audittest.Config(t, tc.cfg)},
				&audit.Env{Context: audittest.Context(t), Only: map[string]bool{"ses.verified": true}})
			audittest.Expect(t, fs, tc.want...)
		})
	}
}
