// Package virtualgateway watches VPN (virtual private) gateways (A.36 in technologies.md). It has no
// auditor.
package virtualgateway

import "github.com/secmonkey/monkey/internal/monkey"

// Technology describes virtual_gateway (technologies.md §0.8).
var Technology = monkey.Technology{
	Index:          "virtual_gateway",
	Singular:       "Virtual Gateway",
	Plural:         "Virtual Gateways",
	Cloud:          monkey.CloudAWS,
	Global:         false,
	EphemeralPaths: []string{},
}
