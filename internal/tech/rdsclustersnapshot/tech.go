// Package rdsclustersnapshot watches RDS cluster snapshots (A.17 in
// technologies.md). It has no auditor.
package rdsclustersnapshot

import "github.com/secmonkey/monkey/internal/monkey"

// Technology describes rdsclustersnapshot (technologies.md §0.8).
var Technology = monkey.Technology{
	Index:          "rdsclustersnapshot",
	Singular:       "RDS Cluster Snapshot",
	Plural:         "RDS Cluster Snapshots",
	Cloud:          monkey.CloudAWS,
	Global:         false,
	EphemeralPaths: []string{},
}
