// Package routetable watches VPC route tables (A.28 in technologies.md). It has no
// auditor.
package routetable

import "github.com/secmonkey/monkey/internal/monkey"

// Technology describes routetable (technologies.md §0.8).
var Technology = monkey.Technology{
	Index:          "routetable",
	Singular:       "Route Table",
	Plural:         "Route Tables",
	Cloud:          monkey.CloudAWS,
	Global:         false,
	EphemeralPaths: []string{},
}
