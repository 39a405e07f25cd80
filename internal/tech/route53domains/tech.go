// Package route53domains watches Route 53 registered domains (A.44 in
// technologies.md). It has no auditor.
package route53domains

import "github.com/secmonkey/monkey/internal/monkey"

// Technology describes route53domains (technologies.md §0.8).
var Technology = monkey.Technology{
	Index:          "route53domains",
	Singular:       "Route 53 Domain",
	Plural:         "Route 53 Domains",
	Cloud:          monkey.CloudAWS,
	EphemeralPaths: []string{},
}
