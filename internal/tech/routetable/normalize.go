package routetable

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
)

// routeTableARN is arn:<partition>:ec2:<region>:<account>:route-table/<id>.
func routeTableARN(partition, region, account, id string) string {
	return "arn:" + partition + ":ec2:" + region + ":" + account + ":route-table/" + id
}

// itemName is "<Name tag> (<RouteTableId>)", or the id when the table has
// no (or an empty) Name tag.
func itemName(rt *types.RouteTable) string {
	id := aws.ToString(rt.RouteTableId)
	if name, _ := awsclient.EC2NameTag(rt.Tags); name != "" {
		return name + " (" + id + ")"
	}
	return id
}

// normalize builds the stored config (technologies.md A.28): routes and
// associations under the reference's snake_case keys, tags as a map of the
// tags with a non-empty key and value.
func normalize(rt *types.RouteTable, arn string) monkey.Config {
	var name any
	if n, ok := awsclient.EC2NameTag(rt.Tags); ok {
		name = n
	}
	tags := map[string]any{}
	for _, t := range rt.Tags {
		if k, v := aws.ToString(t.Key), aws.ToString(t.Value); k != "" && v != "" {
			tags[k] = v
		}
	}
	routes := make([]any, len(rt.Routes))
	for i, r := range rt.Routes {
		routes[i] = map[string]any{
			"destination_cidr_block":    awsclient.StringOrNull(r.DestinationCidrBlock),
			"gateway_id":                awsclient.StringOrNull(r.GatewayId),
			"instance_id":               awsclient.StringOrNull(r.InstanceId),
			"interface_id":              awsclient.StringOrNull(r.NetworkInterfaceId),
			"nat_gateway_id":            awsclient.StringOrNull(r.NatGatewayId),
			"state":                     awsclient.EnumOrNull(r.State),
			"vpc_peering_connection_id": awsclient.StringOrNull(r.VpcPeeringConnectionId),
		}
	}
	assocs := make([]any, len(rt.Associations))
	for i, a := range rt.Associations {
		assocs[i] = map[string]any{
			"id":        awsclient.StringOrNull(a.RouteTableAssociationId),
			"main":      aws.ToBool(a.Main),
			"subnet_id": awsclient.StringOrNull(a.SubnetId),
		}
	}
	return monkey.Config{
		"name":         name,
		"arn":          arn,
		"id":           aws.ToString(rt.RouteTableId),
		"vpc_id":       awsclient.StringOrNull(rt.VpcId),
		"tags":         tags,
		"routes":       routes,
		"associations": assocs,
	}
}
