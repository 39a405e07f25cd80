package elasticsearchservice

import "github.com/secmonkey/monkey/internal/audit"

// Class is the reference auditor class.
const Class = "ElasticSearchServiceAuditor"

// Auditor audits domain access policies (auditors.md §5.17): the
// resource-policy checks on policy.
type Auditor struct{ *audit.Checker }

// NewAuditor builds the auditor.
func NewAuditor() *Auditor {
	return &Auditor{audit.NewChecker(Technology.Index, Class, nil, false,
		audit.ResourcePolicyChecks(Technology.Singular, "policy")...)}
}
