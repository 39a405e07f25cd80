// Package policy watches and audits IAM managed policies (A.4 in technologies.md).
package policy

import "github.com/secmonkey/monkey/internal/monkey"

// Technology describes policy (technologies.md §0.8).
var Technology = monkey.Technology{
	Index:          "policy",
	Singular:       "Managed Policy",
	Plural:         "Managed Policies",
	Cloud:          monkey.CloudAWS,
	Global:         true,
	EphemeralPaths: []string{"attached_groups", "attached_roles", "attached_users", "attachment_count"},
}
