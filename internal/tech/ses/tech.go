// Package ses watches and audits SES identities (A.49 in technologies.md).
package ses

import "github.com/secmonkey/monkey/internal/monkey"

// Technology describes ses (technologies.md §0.8).
var Technology = monkey.Technology{
	Index:          "ses",
	Singular:       "SES Identity",
	Plural:         "SES Identities",
	Cloud:          monkey.CloudAWS,
	EphemeralPaths: []string{},
}
