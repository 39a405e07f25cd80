package ebssnapshot

import "github.com/secmonkey/monkey/internal/audit"

// Class is the reference auditor class.
const Class = "EBSSnapshotAuditor"

// Marketplace is the pseudo account of a snapshot shared with the AWS
// Marketplace.
const Marketplace = "aws-marketplace"

// Auditor audits who may create volumes from an EBS snapshot (auditors.md
// §5.22). Accounts are classified as in §2.4: the item's own account is
// SAME and raises nothing.
type Auditor struct{ *audit.Checker }

// NewAuditor builds the auditor.
func NewAuditor() *Auditor {
	actions := []string{"createEBSVolume"}
	internet := func(method, value string, when func(users, groups []any) bool) audit.Check {
		return audit.Check{Method: method, Run: func(r *audit.Run) {
			if users, groups := permissions(r); when(users, groups) {
				e := audit.Entity{Category: "shared_ebs", Value: value}
				r.RecordInternetAccess(10, audit.PolicyNotes(e, actions), Technology.Singular)
			}
		}}
	}
	cross := func(method string, want audit.Labels, record func(r *audit.Run, notes string) int) audit.Check {
		return audit.Check{Method: method, Run: func(r *audit.Run) {
			users, _ := permissions(r)
			for _, u := range users {
				if want == audit.Unknown && u == Marketplace {
					continue
				}
				e := audit.Entity{Category: "account", Value: audit.PyRepr(u)}
				if r.Inspect(&e).Has(want) {
					record(r, audit.PolicyNotes(e, actions))
				}
			}
		}}
	}
	checks := []audit.Check{
		cross("check_friendly_access", audit.Friendly, (*audit.Run).RecordFriendly),
		cross("check_thirdparty_access", audit.ThirdParty, (*audit.Run).RecordThirdParty),
		cross("check_unknown_access", audit.Unknown, (*audit.Run).RecordUnknown),
		internet("check_marketplace_access", "aws-marketplace", func(users, _ []any) bool { return contains(users, Marketplace) }),
		internet("check_internet_accessible", "public", func(_, groups []any) bool { return contains(groups, "all") }),
	}
	return &Auditor{audit.NewChecker(Technology.Index, Class, nil, false, checks...)}
}

// permissions returns U (the UserId of every create_volume_permissions
// element that has one) and G (every Group).
func permissions(r *audit.Run) (users, groups []any) {
	list, _ := map[string]any(r.Item.Config)["create_volume_permissions"].([]any)
	for _, e := range list {
		m, ok := e.(map[string]any)
		if !ok {
			continue
		}
		if u, ok := m["UserId"]; ok {
			users = append(users, u)
		}
		if g, ok := m["Group"]; ok {
			groups = append(groups, g)
		}
	}
	return users, groups
}

func contains(list []any, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
