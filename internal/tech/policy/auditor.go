package policy

import (
	"strings"

	"github.com/secmonkey/monkey/internal/audit"
	iampolicy "github.com/secmonkey/monkey/internal/policy"
	"github.com/secmonkey/monkey/internal/tech"
)

// Class is the reference auditor class.
const Class = "ManagedPolicyAuditor"

// Auditor audits IAM managed policies (auditors.md §5.4): the IAM policy
// checks on the policy document, only for customer-managed policies and for
// AWS-managed policies that are attached to something.
type Auditor struct{ *audit.Checker }

// NewAuditor builds the auditor with the IAM action catalogue.
func NewAuditor(cat *iampolicy.Catalogue, settings tech.Settings) *Auditor {
	return &Auditor{audit.NewChecker(Technology.Index, Class, nil, false,
		audit.IAMPolicyChecks(cat, "policy", applies, tech.SensitiveSelector(settings))...)}
}

// applies is the §5.4 gate.
func applies(r *audit.Run) bool {
	cfg := map[string]any(r.Item.Config)
	arn := audit.GetStr(cfg, "arn")
	awsManaged := strings.Contains(arn, "arn:aws:iam::aws:policy/") || strings.Contains(arn, "arn:aws-us-gov:iam::aws:policy/")
	if !awsManaged {
		return true
	}
	return audit.Truthy(cfg["attached_users"]) || audit.Truthy(cfg["attached_roles"]) || audit.Truthy(cfg["attached_groups"])
}
