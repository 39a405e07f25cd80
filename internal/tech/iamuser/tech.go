// Package iamuser watches and audits IAM users (A.2 in technologies.md).
package iamuser

import "github.com/secmonkey/monkey/internal/monkey"

// Technology describes iamuser (technologies.md §0.8).
var Technology = monkey.Technology{
	Index:          "iamuser",
	Singular:       "IAM User",
	Plural:         "IAM Users",
	Cloud:          monkey.CloudAWS,
	Global:         true,
	EphemeralPaths: []string{"PasswordLastUsed", "AccessKeys$*$LastUsedDate", "AccessKeys$*$Region", "AccessKeys$*$ServiceName", "_version"},
}
