// Package dhcp watches VPC DHCP option sets (A.30 in technologies.md). It has no
// auditor.
package dhcp

import "github.com/secmonkey/monkey/internal/monkey"

// Technology describes dhcp (technologies.md §0.8).
var Technology = monkey.Technology{
	Index:          "dhcp",
	Singular:       "DHCP Option Set",
	Plural:         "DHCP Option Sets",
	Cloud:          monkey.CloudAWS,
	Global:         false,
	EphemeralPaths: []string{},
}
