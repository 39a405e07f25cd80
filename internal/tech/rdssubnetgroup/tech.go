// Package rdssubnetgroup watches RDS DB subnet groups (A.18 in
// technologies.md). It has no auditor.
package rdssubnetgroup

import "github.com/secmonkey/monkey/internal/monkey"

// Technology describes rdssubnetgroup (technologies.md §0.8).
var Technology = monkey.Technology{
	Index:          "rdssubnetgroup",
	Singular:       "RDS Subnet Group",
	Plural:         "RDS Subnet Groups",
	Cloud:          monkey.CloudAWS,
	Global:         false,
	EphemeralPaths: []string{},
}
