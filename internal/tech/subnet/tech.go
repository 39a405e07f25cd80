// Package subnet watches VPC subnets (A.27 in technologies.md). It has no
// auditor.
package subnet

import "github.com/secmonkey/monkey/internal/monkey"

// Technology describes subnet (technologies.md §0.8).
var Technology = monkey.Technology{
	Index:          "subnet",
	Singular:       "Subnet",
	Plural:         "Subnets",
	Cloud:          monkey.CloudAWS,
	Global:         false,
	EphemeralPaths: []string{},
}
