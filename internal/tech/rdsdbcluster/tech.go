// Package rdsdbcluster watches and audits RDS (Aurora) DB clusters (A.14 in
// technologies.md).
package rdsdbcluster

import "github.com/secmonkey/monkey/internal/monkey"

// Technology describes rdsdbcluster (technologies.md §0.8).
var Technology = monkey.Technology{
	Index:          "rdsdbcluster",
	Singular:       "RDS DB Cluster",
	Plural:         "RDS DB Clusters",
	Cloud:          monkey.CloudAWS,
	Global:         false,
	EphemeralPaths: []string{"latest_restorable_time", "earliest_restorable_time"},
}
