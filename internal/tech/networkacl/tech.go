// Package networkacl watches VPC network ACLs (A.29 in technologies.md). It has no
// auditor.
package networkacl

import "github.com/secmonkey/monkey/internal/monkey"

// Technology describes networkacl (technologies.md §0.8).
var Technology = monkey.Technology{
	Index:          "networkacl",
	Singular:       "Network ACL",
	Plural:         "Network ACLs",
	Cloud:          monkey.CloudAWS,
	Global:         false,
	EphemeralPaths: []string{},
}
