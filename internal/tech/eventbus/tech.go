// Package eventbus watches and audits EventBridge event buses: a technology
// Security Monkey never watched, documented in docs/technologies.md.
package eventbus

import "github.com/secmonkey/monkey/internal/monkey"

// Technology describes eventbus (docs/technologies.md).
var Technology = monkey.Technology{
	Index:          "eventbus",
	Singular:       "EventBridge Event Bus",
	Plural:         "EventBridge Event Buses",
	Cloud:          monkey.CloudAWS,
	EphemeralPaths: []string{"LastModifiedTime"},
}
