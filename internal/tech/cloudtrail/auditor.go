package cloudtrail

import "github.com/secmonkey/monkey/internal/audit"

// Class is the reference auditor class.
const Class = "CloudTrailAuditor"

// Auditor audits CloudTrail trails (auditors.md §5.24).
type Auditor struct{ *audit.Checker }

// NewAuditor builds the auditor.
func NewAuditor() *Auditor {
	return &Auditor{audit.NewChecker(Technology.Index, Class, nil, false,
		audit.Check{Method: "check_if_cloudtrail_in_all_regions", Run: func(r *audit.Run) {
			if !audit.Truthy(r.Item.Config["is_multi_region_trail"]) {
				r.AddIssue(10, "POLICY - CloudTrail is not enabled for multi-region", nil, nil)
			}
		}},
		audit.Check{Method: "check_if_cloudtrail_is_enabled", Run: func(r *audit.Run) {
			if !audit.Truthy(r.Item.Config["trail_status"]) {
				r.AddIssue(10, "POLICY - CloudTrail is disabled", nil, nil)
			}
		}},
	)}
}
