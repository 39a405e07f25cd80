package sns

import (
	"strings"

	"github.com/secmonkey/monkey/internal/audit"
)

// Class is the reference auditor class.
const Class = "SNSAuditor"

// Auditor audits SNS topics (auditors.md §5.18): the resource-policy
// checks on policy, an empty policy, and subscriptions owned by other
// accounts.
type Auditor struct{ *audit.Checker }

// NewAuditor builds the auditor.
func NewAuditor() *Auditor {
	checks := append(audit.ResourcePolicyChecks(Technology.Singular, "policy"),
		audit.Check{Method: "check_snstopicpolicy_empty", Run: func(r *audit.Run) {
			if p, ok := map[string]any(r.Item.Config)["policy"].(map[string]any); !ok || len(p) == 0 {
				r.AddIssue(1, "SNS Topic Policy is empty", nil, nil)
			}
		}},
		audit.Check{Method: "check_subscriptions_crossaccount", Run: subscriptions},
	)
	return &Auditor{audit.NewChecker(Technology.Index, Class, nil, false, checks...)}
}

// subscriptions reports each subscription owned by an account other than
// the item's: unknown (not described), friendly or third party.
func subscriptions(r *audit.Run) {
	subs, _ := map[string]any(r.Item.Config)["subscriptions"].([]any)
	for _, s := range subs {
		sub, _ := s.(map[string]any)
		owner, _ := sub["Owner"].(string)
		proto, _ := sub["Protocol"].(string)
		endpoint, _ := sub["Endpoint"].(string)
		e := audit.Entity{Category: proto, Value: endpoint}
		e.Label(owner, "UNKNOWN")
		var found *audit.AccountInfo
		for _, a := range r.Ctx.Accounts() {
			if strings.EqualFold(a.Identifier, owner) {
				found = &a
				break
			}
		}
		switch {
		case found == nil:
			r.RecordUnknown(audit.PolicyNotes(e, []string{"subscription"}))
		case found.Name == r.Item.Account.Name:
		case found.ThirdParty:
			e.Label(owner, found.Name)
			r.RecordThirdParty(audit.PolicyNotes(e, []string{"subscription"}))
		default:
			e.Label(owner, found.Name)
			r.RecordFriendly(audit.PolicyNotes(e, []string{"subscription"}))
		}
	}
}
