// Package sns watches and audits SNS topics (A.8 in technologies.md).
package sns

import "github.com/secmonkey/monkey/internal/monkey"

// Technology describes sns (technologies.md §0.8).
var Technology = monkey.Technology{
	Index:          "sns",
	Singular:       "SNS Topic Policy",
	Plural:         "SNS Topic Policies",
	Cloud:          monkey.CloudAWS,
	EphemeralPaths: []string{},
}
