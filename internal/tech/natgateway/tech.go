// Package natgateway watches NAT gateways (A.34 in technologies.md). It has no
// auditor.
package natgateway

import "github.com/secmonkey/monkey/internal/monkey"

// Technology describes natgateway (technologies.md §0.8).
var Technology = monkey.Technology{
	Index:          "natgateway",
	Singular:       "NAT Gateway",
	Plural:         "NAT Gateways",
	Cloud:          monkey.CloudAWS,
	Global:         false,
	EphemeralPaths: []string{},
}
