package redshift

import "github.com/secmonkey/monkey/internal/audit"

// Class is the reference auditor class.
const Class = "RedshiftAuditor"

// Auditor audits Redshift clusters (auditors.md §5.24).
type Auditor struct{ *audit.Checker }

// NewAuditor builds the auditor.
func NewAuditor() *Auditor {
	return &Auditor{audit.NewChecker(Technology.Index, Class, nil, false,
		audit.Check{Method: "check_running_in_vpc", Run: func(r *audit.Run) {
			if !audit.Truthy(r.Item.Config["VpcId"]) {
				r.AddIssue(10, "POLICY - Redshift cluster not in VPC.", nil, nil)
			}
		}},
	)}
}
