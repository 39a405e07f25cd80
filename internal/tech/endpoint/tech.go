// Package endpoint watches VPC endpoints (A.32 in technologies.md). It has no
// auditor.
package endpoint

import "github.com/secmonkey/monkey/internal/monkey"

// Technology describes endpoint (technologies.md §0.8).
var Technology = monkey.Technology{
	Index:          "endpoint",
	Singular:       "Endpoint",
	Plural:         "Endpoints",
	Cloud:          monkey.CloudAWS,
	Global:         false,
	EphemeralPaths: []string{},
}
