// Package networkinterface watches Elastic Network Interfaces (A.24 in
// technologies.md). It has no auditor.
package networkinterface

import "github.com/secmonkey/monkey/internal/monkey"

// Technology describes networkinterface (technologies.md §0.8): as in the
// reference, the interfaces of the default region only, stored with region
// universal (docs/decisions.md).
var Technology = monkey.Technology{
	Index:          "networkinterface",
	Singular:       "ENI",
	Plural:         "ENIs",
	Cloud:          monkey.CloudAWS,
	Global:         true,
	EphemeralPaths: []string{},
}
