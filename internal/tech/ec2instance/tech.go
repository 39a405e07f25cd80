// Package ec2instance watches EC2 instances (A.19 in technologies.md). It
// has no auditor.
package ec2instance

import "github.com/secmonkey/monkey/internal/monkey"

// Technology describes ec2instance (technologies.md §0.8).
var Technology = monkey.Technology{
	Index:          "ec2instance",
	Singular:       "EC2 Instance",
	Plural:         "EC2 Instances",
	Cloud:          monkey.CloudAWS,
	Global:         false,
	EphemeralPaths: []string{},
}
