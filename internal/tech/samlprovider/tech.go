// Package samlprovider watches IAM SAML providers (A.39 in
// technologies.md). It has no auditor.
package samlprovider

import "github.com/secmonkey/monkey/internal/monkey"

// Technology describes samlprovider (technologies.md §0.8).
var Technology = monkey.Technology{
	Index:          "samlprovider",
	Singular:       "SAML Provider",
	Plural:         "SAML Providers",
	Cloud:          monkey.CloudAWS,
	Global:         true,
	EphemeralPaths: []string{},
}
