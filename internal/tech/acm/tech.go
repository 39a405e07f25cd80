// Package acm watches and audits ACM certificates (A.45 in technologies.md).
package acm

import "github.com/secmonkey/monkey/internal/monkey"

// Technology describes acm (technologies.md §0.8).
var Technology = monkey.Technology{
	Index:          "acm",
	Singular:       "ACM Certificate",
	Plural:         "ACM Certificates",
	Cloud:          monkey.CloudAWS,
	EphemeralPaths: []string{},
}
