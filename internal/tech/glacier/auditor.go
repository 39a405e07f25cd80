package glacier

import "github.com/secmonkey/monkey/internal/audit"

// Class is the reference auditor class.
const Class = "GlacierVaultAuditor"

// Auditor audits Glacier vaults (auditors.md §5.16): the resource-policy
// checks on the vault access policy.
type Auditor struct{ *audit.Checker }

// NewAuditor builds the auditor.
func NewAuditor() *Auditor {
	return &Auditor{audit.NewChecker(Technology.Index, Class, nil, false,
		audit.ResourcePolicyChecks(Technology.Singular, "Policy")...)}
}
