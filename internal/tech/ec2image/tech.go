// Package ec2image watches and audits the EC2 images (AMIs) an account
// owns (A.20 in technologies.md).
package ec2image

import "github.com/secmonkey/monkey/internal/monkey"

// Technology describes ec2image (technologies.md §0.8). The reference
// declared `_version` ephemeral but did not honour ephemerals: none are.
var Technology = monkey.Technology{
	Index:          "ec2image",
	Singular:       "EC2 Image",
	Plural:         "EC2 Images",
	Cloud:          monkey.CloudAWS,
	Global:         false,
	EphemeralPaths: []string{},
}
