// Package iamssl watches and audits IAM server certificates (A.38 in
// technologies.md).
package iamssl

import "github.com/secmonkey/monkey/internal/monkey"

// Technology describes iamssl (technologies.md §0.8).
var Technology = monkey.Technology{
	Index:          "iamssl",
	Singular:       "IAM SSL",
	Plural:         "IAM SSLs",
	Cloud:          monkey.CloudAWS,
	Global:         true,
	EphemeralPaths: []string{},
}
