// Package securitygroup watches and audits EC2 security groups (A.6 in technologies.md).
package securitygroup

import "github.com/secmonkey/monkey/internal/monkey"

// Technology describes securitygroup (technologies.md §0.8).
var Technology = monkey.Technology{
	Index:          "securitygroup",
	Singular:       "Security Group",
	Plural:         "Security Groups",
	Cloud:          monkey.CloudAWS,
	Global:         false,
	EphemeralPaths: []string{"assigned_to"},
}
