package vpc

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
)

// vpcARN is arn:aws:ec2:<region>:<account>:vpc/<VpcId>, the partition
// hard-coded as CloudAux did.
func vpcARN(region, account, id string) string {
	return "arn:aws:ec2:" + region + ":" + account + ":vpc/" + id
}

// itemName is "<Name tag> (<VpcId>)", with the literal None when the VPC
// has no (or an empty) Name tag.
func itemName(v *types.Vpc) string {
	name, _ := awsclient.EC2NameTag(v.Tags)
	if name == "" {
		name = "None"
	}
	return name + " (" + aws.ToString(v.VpcId) + ")"
}

// normalize builds the stored config (technologies.md A.26): CloudAux's
// camelized keys, nested structures in API casing. ClassicLink is {}
// (EC2-Classic and ClassicLink were retired in 2023: no VPC can have it).
func normalize(v *types.Vpc, arn, region string, a attrs, m vpcMembers) monkey.Config {
	var name any
	if n, ok := awsclient.EC2NameTag(v.Tags); ok {
		name = n
	}
	attributes := map[string]any{}
	if a.dnsHostnames != nil {
		attributes["EnableDnsHostnames"] = map[string]any{"Value": *a.dnsHostnames}
	}
	if a.dnsSupport != nil {
		attributes["EnableDnsSupport"] = map[string]any{"Value": *a.dnsSupport}
	}
	gateway := map[string]any{}
	if m.gateway != nil {
		gateway = map[string]any{"State": m.gateway.state, "Id": m.gateway.id, "Tags": list(m.gateway.tags)}
	}
	return monkey.Config{
		"Arn":                         arn,
		"Id":                          aws.ToString(v.VpcId),
		"Name":                        name,
		"Region":                      region,
		"Tags":                        list(v.Tags),
		"IsDefault":                   aws.ToBool(v.IsDefault),
		"InstanceTenancy":             string(v.InstanceTenancy),
		"DhcpOptionsId":               awsclient.StringOrNull(v.DhcpOptionsId),
		"CidrBlock":                   aws.ToString(v.CidrBlock),
		"CidrBlockAssociationSet":     list(v.CidrBlockAssociationSet),
		"Ipv6CidrBlockAssociationSet": list(v.Ipv6CidrBlockAssociationSet),
		"Attributes":                  attributes,
		"InternetGateway":             gateway,
		"ClassicLink":                 map[string]any{},
		"VpcPeeringConnections":       idList(m.peerings),
		"Subnets":                     idList(m.subnets),
		"RouteTables":                 idList(m.routeTables),
		"NetworkAcls":                 idList(m.acls),
		"FlowLogs":                    idList(m.flowLogs),
		"_version":                    1,
	}
}

// list renders an API list in API casing, [] when absent.
func list[T any](v []T) []any {
	if v == nil {
		return []any{}
	}
	return awsclient.Passthrough(v).([]any)
}

func idList(ids []string) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}
