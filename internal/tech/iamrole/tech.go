// Package iamrole watches and audits IAM roles (A.1 in technologies.md).
package iamrole

import "github.com/secmonkey/monkey/internal/monkey"

// Technology describes iamrole (technologies.md §0.8). It is one of the
// reference's batched technologies: a deleted role's last revision is
// {"Arn": …}.
var Technology = monkey.Technology{
	Index:          "iamrole",
	Singular:       "IAM Role",
	Plural:         "IAM Roles",
	Cloud:          monkey.CloudAWS,
	Global:         true,
	EphemeralPaths: []string{"_version", "Region"},
	ARNDeletion:    true,
}
