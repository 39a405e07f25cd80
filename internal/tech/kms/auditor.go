package kms

import "github.com/secmonkey/monkey/internal/audit"

// Class is the reference auditor class.
const Class = "KMSAuditor"

// Auditor audits KMS keys (auditors.md §5.19): the resource-policy checks
// on every key policy, and key rotation.
type Auditor struct{ *audit.Checker }

// NewAuditor builds the auditor.
func NewAuditor() *Auditor {
	checks := append(audit.ResourcePolicyChecks(Technology.Singular, "Policies"),
		audit.Check{Method: "check_for_kms_key_rotation", Run: func(r *audit.Run) {
			if on, _ := map[string]any(r.Item.Config)["KeyRotationEnabled"].(bool); !on {
				r.AddIssue(1, "KMS key is not configured for rotation.", nil, nil)
			}
		}})
	return &Auditor{audit.NewChecker(Technology.Index, Class, nil, false, checks...)}
}
