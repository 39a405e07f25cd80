package ec2instance

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
)

// itemName is "<name>(<InstanceId>)", no space, where name is the Name tag
// or the instance id; name is returned too (the ignore list tests it).
func itemName(in *types.Instance) (item, name string) {
	id := aws.ToString(in.InstanceId)
	name, ok := awsclient.EC2NameTag(in.Tags)
	if !ok {
		name = id
	}
	return name + "(" + id + ")", name
}

// normalize builds the stored config (technologies.md A.19) of one
// instance. placement is the API Placement object (the reference read a
// key that never exists and stored null: the quirk is fixed).
func normalize(in *types.Instance) monkey.Config {
	_, name := itemName(in)
	groups := make([]any, len(in.SecurityGroups))
	for i, g := range in.SecurityGroups {
		groups[i] = map[string]any{"GroupName": awsclient.StringOrNull(g.GroupName), "GroupId": awsclient.StringOrNull(g.GroupId)}
	}
	var tags any
	if len(in.Tags) > 0 {
		tags = awsclient.Passthrough(in.Tags)
	}
	var state any
	if in.State != nil {
		state = map[string]any{"Code": int(aws.ToInt32(in.State.Code)), "Name": string(in.State.Name)}
	}
	return monkey.Config{
		"name":               name,
		"instance_id":        awsclient.StringOrNull(in.InstanceId),
		"image_id":           awsclient.StringOrNull(in.ImageId),
		"instance_type":      nullIfEmpty(string(in.InstanceType)),
		"private_dns_name":   awsclient.StringOrNull(in.PrivateDnsName),
		"public_dns_name":    awsclient.StringOrNull(in.PublicDnsName),
		"subnet_id":          awsclient.StringOrNull(in.SubnetId),
		"vpc_id":             awsclient.StringOrNull(in.VpcId),
		"private_ip_address": awsclient.StringOrNull(in.PrivateIpAddress),
		"public_ip_address":  awsclient.StringOrNull(in.PublicIpAddress),
		"state":              state,
		"launch_time":        awsclient.PyStr(in.LaunchTime),
		"placement":          awsclient.Passthrough(in.Placement),
		"security_groups":    groups,
		"tags":               tags,
	}
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
