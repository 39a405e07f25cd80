// Package ebsvolume watches EBS volumes (A.22 in technologies.md). It has
// no auditor.
package ebsvolume

import "github.com/secmonkey/monkey/internal/monkey"

// Technology describes ebsvolume (technologies.md §0.8).
var Technology = monkey.Technology{
	Index:          "ebsvolume",
	Singular:       "EBS Volume",
	Plural:         "EBS Volumes",
	Cloud:          monkey.CloudAWS,
	Global:         false,
	EphemeralPaths: []string{},
}
