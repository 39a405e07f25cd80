// Package alb watches and audits Application and Network Load Balancers
// (ELBv2; A.12 in technologies.md).
package alb

import "github.com/secmonkey/monkey/internal/monkey"

// Technology describes alb (technologies.md §0.8).
var Technology = monkey.Technology{
	Index:          "alb",
	Singular:       "ALB",
	Plural:         "ALBs",
	Cloud:          monkey.CloudAWS,
	Global:         false,
	EphemeralPaths: []string{"_version", "TargetGroupHealth"},
}
