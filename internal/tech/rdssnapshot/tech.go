// Package rdssnapshot watches and audits RDS DB snapshots and whom they are
// shared with (A.16 in technologies.md).
package rdssnapshot

import "github.com/secmonkey/monkey/internal/monkey"

// Technology describes rdssnapshot (technologies.md §0.8).
var Technology = monkey.Technology{
	Index:          "rdssnapshot",
	Singular:       "RDS Snapshot",
	Plural:         "RDS Snapshots",
	Cloud:          monkey.CloudAWS,
	Global:         false,
	EphemeralPaths: []string{},
}
