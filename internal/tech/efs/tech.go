// Package efs watches and audits EFS file systems: a technology
// Security Monkey never watched, documented in docs/technologies.md.
package efs

import "github.com/secmonkey/monkey/internal/monkey"

// Technology describes efs (docs/technologies.md).
var Technology = monkey.Technology{
	Index:          "efs",
	Singular:       "EFS File System",
	Plural:         "EFS File Systems",
	Cloud:          monkey.CloudAWS,
	EphemeralPaths: []string{"SizeInBytes"},
}
