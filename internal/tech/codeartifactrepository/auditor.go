package codeartifactrepository

import "github.com/secmonkey/monkey/internal/audit"

// Class is the auditor class (docs/technologies.md).
const Class = "CodeArtifactRepositoryAuditor"

// Auditor audits CodeArtifact repositories: the resource-policy checks of
// auditors.md §4.1 on the repository permissions policy (Policy).
type Auditor struct{ *audit.Checker }

// NewAuditor builds the auditor.
func NewAuditor() *Auditor {
	return &Auditor{audit.NewChecker(Technology.Index, Class, nil, false,
		audit.ResourcePolicyChecks(Technology.Singular, "Policy")...)}
}
