// Package elasticip watches Elastic IP addresses (A.23 in
// technologies.md). It has no auditor; its addresses are known CIDRs of
// the audit context.
package elasticip

import "github.com/secmonkey/monkey/internal/monkey"

// Technology describes elasticip (technologies.md §0.8). The reference
// declared instance_id, network_interface_id, network_interface_owner_id,
// association_id and private_ip_address ephemeral but did not honour
// ephemerals: none are.
var Technology = monkey.Technology{
	Index:          "elasticip",
	Singular:       "Elastic IP",
	Plural:         "Elastic IPs",
	Cloud:          monkey.CloudAWS,
	Global:         false,
	EphemeralPaths: []string{},
}
