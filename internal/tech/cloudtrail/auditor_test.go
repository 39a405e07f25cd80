package cloudtrail_test

import (
	"testing"

	"github.com/secmonkey/monkey/internal/audit"
	"github.com/secmonkey/monkey/internal/audit/audittest"
	"github.com/secmonkey/monkey/internal/tech/cloudtrail"
)

var _ = audittest.DefineUpdateFlag()

func TestConformance(t *testing.T) {
	t.Parallel()
	audittest.Run(t, cloudtrail.NewAuditor())
}

func TestChecks(t *testing.T) {
	t.Parallel()
	a := cloudtrail.NewAuditor()
	const (
		multi    = "POLICY - CloudTrail is not enabled for multi-region"
		disabled = "POLICY - CloudTrail is disabled"
	)
	for _, tc := range []struct {
		name, only, cfg string
		want            []audittest.Issue
	}{
		{"multi-region", "cloudtrail.if_cloudtrail_in_all_regions", `{"trail":"t","is_multi_region_trail":true,"trail_status":true}`, nil},
		{"single region", "cloudtrail.if_cloudtrail_in_all_regions", `{"trail":"t","is_multi_region_trail":false}`, []audittest.Issue{audittest.N(multi, 10)}},
		{"multi-region absent", "cloudtrail.if_cloudtrail_in_all_regions", `{"trail":"t"}`, []audittest.Issue{audittest.N(multi, 10)}},
		{"logging", "cloudtrail.if_cloudtrail_is_enabled", `{"trail":"t","trail_status":true}`, nil},
		{"stopped", "cloudtrail.if_cloudtrail_is_enabled", `{"trail":"t","trail_status":false}`, []audittest.Issue{audittest.N(disabled, 10)}},
		{"status unknown (reference's empty string)", "cloudtrail.if_cloudtrail_is_enabled", `{"trail":"t","trail_status":""}`, []audittest.Issue{audittest.N(disabled, 10)}},
		{"status absent", "cloudtrail.if_cloudtrail_is_enabled", `{"trail":"t"}`, []audittest.Issue{audittest.N(disabled, 10)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fs := a.Audit(audit.Item{Account: audittest.Prod, Config: audittest.Config(t, tc.cfg)},
				&audit.Env{Context: audittest.Context(t), Only: map[string]bool{tc.only: true}})
			audittest.Expect(t, fs, tc.want...)
		})
	}
}
