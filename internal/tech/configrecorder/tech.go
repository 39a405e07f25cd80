// Package configrecorder watches AWS Config configuration recorders (A.48
// in technologies.md). It has no auditor.
package configrecorder

import "github.com/secmonkey/monkey/internal/monkey"

// Technology describes configrecorder (technologies.md §0.8).
var Technology = monkey.Technology{
	Index:          "configrecorder",
	Singular:       "Config Recorder",
	Plural:         "Config Recorders",
	Cloud:          monkey.CloudAWS,
	EphemeralPaths: []string{},
}
