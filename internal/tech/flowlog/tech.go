// Package flowlog watches VPC flow logs (A.33 in technologies.md). It has no
// auditor.
package flowlog

import "github.com/secmonkey/monkey/internal/monkey"

// Technology describes flowlog (technologies.md §0.8).
var Technology = monkey.Technology{
	Index:          "flowlog",
	Singular:       "Flow Log",
	Plural:         "Flow Logs",
	Cloud:          monkey.CloudAWS,
	Global:         false,
	EphemeralPaths: []string{},
}
