// Package ebssnapshot watches and audits the EBS snapshots an account owns
// (A.21 in technologies.md).
package ebssnapshot

import "github.com/secmonkey/monkey/internal/monkey"

// Technology describes ebssnapshot (technologies.md §0.8).
var Technology = monkey.Technology{
	Index:          "ebssnapshot",
	Singular:       "EBS Snapshot",
	Plural:         "EBS Snapshots",
	Cloud:          monkey.CloudAWS,
	Global:         false,
	EphemeralPaths: []string{},
}
