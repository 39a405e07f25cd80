package elasticip

import (
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
)

// normalize builds the stored config (technologies.md A.23); assigned is
// the Name tag of the associated instance (nil when none).
func normalize(a *types.Address, assigned any) monkey.Config {
	var domain any
	if a.Domain != "" {
		domain = string(a.Domain)
	}
	return monkey.Config{
		"assigned_to":                assigned,
		"public_ip":                  awsclient.StringOrNull(a.PublicIp),
		"private_ip_address":         awsclient.StringOrNull(a.PrivateIpAddress),
		"instance_id":                awsclient.StringOrNull(a.InstanceId),
		"domain":                     domain,
		"allocation_id":              awsclient.StringOrNull(a.AllocationId),
		"association_id":             awsclient.StringOrNull(a.AssociationId),
		"network_interface_id":       awsclient.StringOrNull(a.NetworkInterfaceId),
		"network_interface_owner_id": awsclient.StringOrNull(a.NetworkInterfaceOwnerId),
	}
}
