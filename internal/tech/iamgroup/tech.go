// Package iamgroup watches and audits IAM groups (A.3 in technologies.md).
package iamgroup

import "github.com/secmonkey/monkey/internal/monkey"

// Technology describes iamgroup (technologies.md §0.8).
var Technology = monkey.Technology{
	Index:          "iamgroup",
	Singular:       "IAM Group",
	Plural:         "IAM Groups",
	Cloud:          monkey.CloudAWS,
	Global:         true,
	EphemeralPaths: []string{},
}
