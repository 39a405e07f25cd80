// Package config watches AWS Config rules (A.47 in technologies.md). It has
// no auditor.
package config

import "github.com/secmonkey/monkey/internal/monkey"

// Technology describes config (technologies.md §0.8).
var Technology = monkey.Technology{
	Index:          "config",
	Singular:       "Config",
	Plural:         "Config",
	Cloud:          monkey.CloudAWS,
	EphemeralPaths: []string{},
}
