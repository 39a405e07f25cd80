package ses

import "github.com/secmonkey/monkey/internal/audit"

// Class is the reference auditor class.
const Class = "SESAuditor"

// Auditor audits SES identities (auditors.md §5.24).
type Auditor struct{ *audit.Checker }

// NewAuditor builds the auditor.
func NewAuditor() *Auditor {
	return &Auditor{audit.NewChecker(Technology.Index, Class, nil, false,
		audit.Check{Method: "check_verified", Run: func(r *audit.Run) {
			if !audit.Truthy(r.Item.Config["verified"]) {
				r.AddIssue(1, "SES Identity Not Verified.", nil, nil)
			}
		}},
	)}
}
