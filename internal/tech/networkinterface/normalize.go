package networkinterface

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
)

// normalize builds the stored config (technologies.md A.24): the fields
// every interface has, the address fields when the API gives them, and
// the attachment when attached (its time in EC2's own rendering, RAW).
func normalize(e *types.NetworkInterface) monkey.Config {
	cfg := monkey.Config{
		"network_interface_id": aws.ToString(e.NetworkInterfaceId),
		"availability_zone":    aws.ToString(e.AvailabilityZone),
		"description":          aws.ToString(e.Description),
		"mac_address":          aws.ToString(e.MacAddress),
		"owner_id":             aws.ToString(e.OwnerId),
		"private_ip_address":   aws.ToString(e.PrivateIpAddress),
		"status":               string(e.Status),
		"vpc_id":               aws.ToString(e.VpcId),
		"source_dest_check":    aws.ToBool(e.SourceDestCheck),
	}
	optional := func(key string, v *string) {
		if s := aws.ToString(v); s != "" {
			cfg[key] = s
		}
	}
	optional("private_dns_name", e.PrivateDnsName)
	if a := e.Association; a != nil {
		optional("allocation_id", a.AllocationId)
		optional("association_id", a.AssociationId)
		optional("public_dns_name", a.PublicDnsName)
		optional("public_ip_address", a.PublicIp)
		optional("ip_owner_id", a.IpOwnerId)
	}
	if a := e.Attachment; a != nil {
		var index any
		if a.DeviceIndex != nil {
			index = int(*a.DeviceIndex)
		}
		cfg["attachment"] = map[string]any{
			"attach_time":           awsclient.EC2Time(a.AttachTime),
			"delete_on_termination": aws.ToBool(a.DeleteOnTermination),
			"device_index":          index,
			"id":                    awsclient.StringOrNull(a.AttachmentId),
			"instance_id":           awsclient.StringOrNull(a.InstanceId),
			"instance_owner_id":     awsclient.StringOrNull(a.InstanceOwnerId),
			"status":                string(a.Status),
		}
	}
	return cfg
}
