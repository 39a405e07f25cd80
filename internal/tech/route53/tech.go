// Package route53 watches and audits Route 53 record sets (A.43 in
// technologies.md): one item per record set.
package route53

import "github.com/secmonkey/monkey/internal/monkey"

// Technology describes route53 (technologies.md §0.8).
var Technology = monkey.Technology{
	Index:          "route53",
	Singular:       "Route53 Zone",
	Plural:         "Route53 Zones",
	Cloud:          monkey.CloudAWS,
	Global:         true,
	EphemeralPaths: []string{},
}
