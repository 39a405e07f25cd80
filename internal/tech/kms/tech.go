// Package kms watches and audits KMS keys (A.9 in technologies.md).
package kms

import "github.com/secmonkey/monkey/internal/monkey"

// Technology describes kms (technologies.md §0.8).
var Technology = monkey.Technology{
	Index:          "kms",
	Singular:       "KMS Master Key",
	Plural:         "KMS Master Keys",
	Cloud:          monkey.CloudAWS,
	EphemeralPaths: []string{},
}
