package redshift_test

import (
	"testing"

	"github.com/secmonkey/monkey/internal/audit"
	"github.com/secmonkey/monkey/internal/audit/audittest"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/tech/redshift"
)

var _ = audittest.DefineUpdateFlag()

func TestConformance(t *testing.T) {
	t.Parallel()
	audittest.Run(t, redshift.NewAuditor())
}

func TestChecks(t *testing.T) {
	t.Parallel()
	a := redshift.NewAuditor()
	ctx := audittest.Context(t)
	for _, tc := range []struct {
		name string
		cfg  string
		want []audittest.Issue
	}{
		{"in a VPC", `{"ClusterIdentifier":"c","VpcId":"vpc-1"}`, nil},
		{"EC2-Classic: no VpcId", `{"ClusterIdentifier":"c"}`, []audittest.Issue{audittest.N("POLICY - Redshift cluster not in VPC.", 10)}},
		{"EC2-Classic: null VpcId", `{"ClusterIdentifier":"c","VpcId":null}`, []audittest.Issue{audittest.N("POLICY - Redshift cluster not in VPC.", 10)}},
		{"EC2-Classic: empty VpcId", `{"ClusterIdentifier":"c","VpcId":""}`, []audittest.Issue{audittest.N("POLICY - Redshift cluster not in VPC.", 10)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fs := a.Audit(audit.Item{Account: audittest.Prod, Config: audittest.Config(t, tc.cfg)},
				&audit.Env{Context: ctx, Only: map[string]bool{"redshift.running_in_vpc": true}})
			audittest.Expect(t, fs, tc.want...)
		})
	}
	// An override of the check replaces its score; a disabled check is not run.
	cfg := audittest.Config(t, `{"ClusterIdentifier":"c"}`)
	key := "check_running_in_vpc (RedshiftAuditor)"
	fs := a.Audit(audit.Item{Account: audittest.Prod, Config: cfg}, &audit.Env{Context: ctx,
		Scores: []monkey.AuditScore{{Technology: "redshift", Method: key, Score: 4}}})
	audittest.Expect(t, fs, audittest.N("POLICY - Redshift cluster not in VPC.", 4))
	fs = a.Audit(audit.Item{Account: audittest.Prod, Config: cfg}, &audit.Env{Context: ctx,
		Scores: []monkey.AuditScore{{Technology: "redshift", Method: key, Disabled: true}}})
	audittest.Expect(t, fs)
}
