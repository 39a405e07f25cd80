package sqs

import "github.com/secmonkey/monkey/internal/audit"

// Class is the reference auditor class.
const Class = "SQSAuditor"

// Auditor audits SQS queues (auditors.md §5.14): the resource-policy checks
// on Attributes$Policy, and on a legacy top-level Policy.
type Auditor struct{ *audit.Checker }

// NewAuditor builds the auditor.
func NewAuditor() *Auditor {
	return &Auditor{audit.NewChecker(Technology.Index, Class, nil, false,
		audit.ResourcePolicyChecks(Technology.Singular, "Attributes$Policy", "Policy")...)}
}
