package rdssnapshot

import (
	"github.com/secmonkey/monkey/internal/audit"
)

// Class is the reference auditor class.
const Class = "RDSSnapshotAuditor"

// Auditor audits whom a DB snapshot is shared with (auditors.md §5.20):
// the values of its "restore" attribute, through the shared-attribute
// family.
type Auditor struct{ *audit.Checker }

// NewAuditor builds the auditor.
func NewAuditor() *Auditor {
	checks := audit.AccountShareChecks(Technology.Singular, "restore", func(r *audit.Run) audit.AccountShare {
		restore, _ := audit.Get(map[string]any(r.Item.Config), "Attributes", "restore").([]any)
		return audit.AccountShare{Accounts: restore}
	})
	return &Auditor{audit.NewChecker(Technology.Index, Class, nil, false, checks...)}
}
