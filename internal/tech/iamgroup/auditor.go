package iamgroup

import (
	"github.com/secmonkey/monkey/internal/audit"
	"github.com/secmonkey/monkey/internal/policy"
	"github.com/secmonkey/monkey/internal/tech"
)

// Class is the reference auditor class.
const Class = "IAMGroupAuditor"

// Auditor audits IAM groups (auditors.md §5.3): the IAM policy checks on
// grouppolicies and attached_managed_policies (managed_policies).
type Auditor struct{ *audit.Checker }

// NewAuditor builds the auditor with the IAM action catalogue.
func NewAuditor(cat *policy.Catalogue, settings tech.Settings) *Auditor {
	checks := []audit.Check{audit.AttachedManagedPoliciesCheck("managed_policies")}
	checks = append(checks, audit.IAMPolicyChecks(cat, "grouppolicies$*", nil, tech.SensitiveSelector(settings))...)
	// The policies are read for check_attached_managed_policies, which
	// reads nothing (audit.AttachedManagedPoliciesCheck).
	return &Auditor{audit.NewChecker(Technology.Index, Class, []string{"policy"}, false, checks...).ReadsSupport("policy")}
}
