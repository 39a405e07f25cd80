package iamrole

import (
	"github.com/secmonkey/monkey/internal/audit"
	"github.com/secmonkey/monkey/internal/policy"
	"github.com/secmonkey/monkey/internal/tech"
)

// Class is the reference auditor class.
const Class = "IAMRoleAuditor"

// Auditor audits IAM roles (auditors.md §5.1): the IAM policy checks on
// InlinePolicies, the resource-policy checks on AssumeRolePolicyDocument and
// attached_managed_policies.
type Auditor struct{ *audit.Checker }

// NewAuditor builds the auditor with the IAM action catalogue.
func NewAuditor(cat *policy.Catalogue, settings tech.Settings) *Auditor {
	checks := []audit.Check{audit.AttachedManagedPoliciesCheck("ManagedPolicies")}
	checks = append(checks, audit.IAMPolicyChecks(cat, "InlinePolicies$*", nil, tech.SensitiveSelector(settings))...)
	checks = append(checks, audit.ResourcePolicyChecks(Technology.Singular, "AssumeRolePolicyDocument")...)
	// The policies are read for check_attached_managed_policies, which
	// reads nothing (audit.AttachedManagedPoliciesCheck).
	return &Auditor{audit.NewChecker(Technology.Index, Class, []string{"policy"}, false, checks...).ReadsSupport("policy")}
}
