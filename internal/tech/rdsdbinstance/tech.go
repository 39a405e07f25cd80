// Package rdsdbinstance watches and audits RDS DB instances (A.13 in
// technologies.md).
package rdsdbinstance

import "github.com/secmonkey/monkey/internal/monkey"

// Technology describes rdsdbinstance (technologies.md §0.8).
var Technology = monkey.Technology{
	Index:          "rdsdbinstance",
	Singular:       "RDS DB Instance",
	Plural:         "RDS DB Instances",
	Cloud:          monkey.CloudAWS,
	Global:         false,
	EphemeralPaths: []string{"latest_restorable_time", "db_instance_status"},
}
