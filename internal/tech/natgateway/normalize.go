package natgateway

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
)

// itemName is the NatGatewayId.
func itemName(n *types.NatGateway) string { return aws.ToString(n.NatGatewayId) }

// normalize builds the stored config (technologies.md A.34).
func normalize(n *types.NatGateway, _ string) monkey.Config {
	addrs := make([]any, len(n.NatGatewayAddresses))
	for i, a := range n.NatGatewayAddresses {
		addrs[i] = map[string]any{
			"public_ip":            awsclient.StringOrNull(a.PublicIp),
			"allocation_id":        awsclient.StringOrNull(a.AllocationId),
			"private_ip":           awsclient.StringOrNull(a.PrivateIp),
			"network_interface_id": awsclient.StringOrNull(a.NetworkInterfaceId),
		}
	}
	return monkey.Config{
		"id":                    aws.ToString(n.NatGatewayId),
		"subnet_id":             awsclient.StringOrNull(n.SubnetId),
		"vpc_id":                awsclient.StringOrNull(n.VpcId),
		"state":                 awsclient.EnumOrNull(n.State),
		"failure_code":          awsclient.StringOrNull(n.FailureCode),
		"failure_message":       awsclient.StringOrNull(n.FailureMessage),
		"create_time":           awsclient.PyStr(n.CreateTime),
		"delete_time":           awsclient.PyStr(n.DeleteTime),
		"nat_gateway_addresses": addrs,
	}
}
