// Package connection watches Direct Connect connections (A.37 in technologies.md). It has no
// auditor.
package connection

import "github.com/secmonkey/monkey/internal/monkey"

// Technology describes connection (technologies.md §0.8).
var Technology = monkey.Technology{
	Index:          "connection",
	Singular:       "Connection",
	Plural:         "Connections",
	Cloud:          monkey.CloudAWS,
	Global:         false,
	EphemeralPaths: []string{},
}
