package subnet

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
)

// subnetARN is arn:<partition>:ec2:<region>:<account>:subnet/<SubnetId>.
func subnetARN(partition, region, account, id string) string {
	return "arn:" + partition + ":ec2:" + region + ":" + account + ":subnet/" + id
}

// itemName is "<Name tag> (<SubnetId>)", or the subnet id when it has no
// (or an empty) Name tag.
func itemName(s *types.Subnet) string {
	id := aws.ToString(s.SubnetId)
	if name, _ := awsclient.EC2NameTag(s.Tags); name != "" {
		return name + " (" + id + ")"
	}
	return id
}

// normalize builds the stored config (technologies.md A.27).
func normalize(s *types.Subnet, name, arn string) monkey.Config {
	var tags any
	if s.Tags != nil {
		tags = awsclient.Passthrough(s.Tags)
	}
	return monkey.Config{
		"name":                name,
		"arn":                 arn,
		"id":                  aws.ToString(s.SubnetId),
		"cidr_block":          awsclient.StringOrNull(s.CidrBlock),
		"availability_zone":   awsclient.StringOrNull(s.AvailabilityZone),
		"state":               awsclient.EnumOrNull(s.State),
		"vpc_id":              awsclient.StringOrNull(s.VpcId),
		"defaultForAz":        aws.ToBool(s.DefaultForAz),
		"mapPublicIpOnLaunch": aws.ToBool(s.MapPublicIpOnLaunch),
		"tags":                tags,
	}
}
