package lambda

import "github.com/secmonkey/monkey/internal/audit"

// Class is the reference auditor class.
const Class = "LambdaFunctionAuditor"

// Auditor audits Lambda functions (auditors.md §5.15): the resource-policy
// checks on the function's policy and on the policy of every alias and
// version (the reference audited only DEFAULT, a defect the spec fixes).
type Auditor struct{ *audit.Checker }

// NewAuditor builds the auditor.
func NewAuditor() *Auditor {
	return &Auditor{audit.NewChecker(Technology.Index, Class, nil, false,
		audit.ResourcePolicyChecks(Technology.Singular, "Policy$DEFAULT", "Policy$Aliases$*", "Policy$Versions$*")...)}
}
