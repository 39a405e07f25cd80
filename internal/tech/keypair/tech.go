// Package keypair watches EC2 key pairs (A.25 in technologies.md). It has
// no auditor.
package keypair

import "github.com/secmonkey/monkey/internal/monkey"

// Technology describes keypair (technologies.md §0.8).
var Technology = monkey.Technology{
	Index:          "keypair",
	Singular:       "Keypair",
	Plural:         "Keypairs",
	Cloud:          monkey.CloudAWS,
	Global:         false,
	EphemeralPaths: []string{},
}
