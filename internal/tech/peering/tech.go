// Package peering watches VPC peering connections (A.31 in technologies.md). It has no
// auditor.
package peering

import "github.com/secmonkey/monkey/internal/monkey"

// Technology describes peering (technologies.md §0.8).
var Technology = monkey.Technology{
	Index:          "peering",
	Singular:       "VPC peering connection",
	Plural:         "VPC peering connections",
	Cloud:          monkey.CloudAWS,
	Global:         false,
	EphemeralPaths: []string{},
}
