// Package cloudtrail watches and audits CloudTrail trails (A.46 in
// technologies.md).
package cloudtrail

import "github.com/secmonkey/monkey/internal/monkey"

// Technology describes cloudtrail (technologies.md §0.8): every region is
// queried and each trail is stored once, in its home region.
var Technology = monkey.Technology{
	Index:          "cloudtrail",
	Singular:       "CloudTrail",
	Plural:         "CloudTrails",
	Cloud:          monkey.CloudAWS,
	EphemeralPaths: []string{},
}
