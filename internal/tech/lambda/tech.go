// Package lambda watches and audits Lambda functions (A.10 in
// technologies.md).
package lambda

import "github.com/secmonkey/monkey/internal/monkey"

// Technology describes lambda (technologies.md §0.8). The reference
// declared _version ephemeral but did not honour it: no ephemeral paths.
var Technology = monkey.Technology{
	Index:          "lambda",
	Singular:       "Lambda Function",
	Plural:         "Lambda Functions",
	Cloud:          monkey.CloudAWS,
	EphemeralPaths: []string{},
}
