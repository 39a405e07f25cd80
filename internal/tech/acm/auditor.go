package acm

import (
	"time"

	"github.com/secmonkey/monkey/internal/audit"
	"github.com/secmonkey/monkey/internal/monkey"
)

// Class is the reference auditor class.
const Class = "ACMAuditor"

// Auditor audits ACM certificates (auditors.md §5.23): the expiry checks
// of iamssl on NotAfter. Its results depend on the audit clock, so it is
// TimeDependent.
type Auditor struct{ *audit.Checker }

// NewAuditor builds the auditor.
func NewAuditor() *Auditor {
	return &Auditor{audit.NewChecker(Technology.Index, Class, nil, true,
		audit.ExpiryChecks(func(cfg monkey.Config) (time.Time, bool) { return audit.ParseDate(cfg["NotAfter"]) })...)}
}
