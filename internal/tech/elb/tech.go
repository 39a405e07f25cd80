// Package elb watches and audits Classic Load Balancers (A.11 in
// technologies.md).
package elb

import "github.com/secmonkey/monkey/internal/monkey"

// Technology describes elb (technologies.md §0.8).
var Technology = monkey.Technology{
	Index:          "elb",
	Singular:       "ELB",
	Plural:         "ELBs",
	Cloud:          monkey.CloudAWS,
	Global:         false,
	EphemeralPaths: []string{"_version"},
}
