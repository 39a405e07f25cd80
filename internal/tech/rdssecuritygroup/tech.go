// Package rdssecuritygroup watches and audits RDS DB security groups of the
// EC2-Classic era (A.15 in technologies.md).
package rdssecuritygroup

import "github.com/secmonkey/monkey/internal/monkey"

// Technology describes rdssecuritygroup (technologies.md §0.8).
var Technology = monkey.Technology{
	Index:          "rdssecuritygroup",
	Singular:       "RDS Security Group",
	Plural:         "RDS Security Groups",
	Cloud:          monkey.CloudAWS,
	Global:         false,
	EphemeralPaths: []string{},
}
