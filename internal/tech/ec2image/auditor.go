package ec2image

import "github.com/secmonkey/monkey/internal/audit"

// Class is the reference auditor class.
const Class = "EC2ImageAuditor"

// Auditor audits the launch permissions of EC2 images (auditors.md §5.21).
type Auditor struct{ *audit.Checker }

// NewAuditor builds the auditor.
func NewAuditor() *Auditor {
	checks := audit.AccountShareChecks(Technology.Singular, "LaunchPermissions", func(r *audit.Run) audit.AccountShare {
		cfg := map[string]any(r.Item.Config)
		return audit.AccountShare{Accounts: launchAccounts(cfg), Public: cfg["Public"] == true}
	})
	return &Auditor{audit.NewChecker(Technology.Index, Class, nil, false, checks...)}
}

// launchAccounts is V of §5.21: the UserId of each launch permission, or
// when it has none its Group ("all"); a permission granted to an
// organisation or organisational unit (which the reference never saw)
// gives its ARN, which no account description matches (Unknown Access).
func launchAccounts(cfg map[string]any) []any {
	list, _ := cfg["LaunchPermissions"].([]any)
	out := make([]any, 0, len(list))
	for _, e := range list {
		m, ok := e.(map[string]any)
		if !ok {
			out = append(out, e)
			continue
		}
		var v any
		for _, k := range []string{"UserId", "Group", "OrganizationArn", "OrganizationalUnitArn"} {
			if x, ok := m[k]; ok {
				v = x
				break
			}
		}
		out = append(out, v)
	}
	return out
}
