// Package vpc watches and audits VPCs (A.26 in technologies.md): the VPC
// with its attributes, internet gateway and the ids of its subnets, route
// tables, network ACLs, flow logs and peering connections.
package vpc

import "github.com/secmonkey/monkey/internal/monkey"

// Technology describes vpc (technologies.md §0.8).
var Technology = monkey.Technology{
	Index:          "vpc",
	Singular:       "VPC",
	Plural:         "VPCs",
	Cloud:          monkey.CloudAWS,
	Global:         false,
	EphemeralPaths: []string{"_version"},
}
