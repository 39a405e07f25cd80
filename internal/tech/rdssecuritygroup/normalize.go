package rdssecuritygroup

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
)

// normalize builds the stored config (technologies.md A.15). vpc_id is
// filled from VpcId when AWS returns it (the reference's was always null);
// the item name stays DBSecurityGroupName.
func normalize(g *types.DBSecurityGroup, region string) monkey.Config {
	ranges := make([]any, 0, len(g.IPRanges))
	for _, r := range g.IPRanges {
		ranges = append(ranges, map[string]any{"cidr_ip": awsclient.StringOrNull(r.CIDRIP), "status": awsclient.StringOrNull(r.Status)})
	}
	groups := make([]any, 0, len(g.EC2SecurityGroups))
	for _, e := range g.EC2SecurityGroups {
		groups = append(groups, map[string]any{
			"name":     awsclient.StringOrNull(e.EC2SecurityGroupName),
			"owner_id": awsclient.StringOrNull(e.EC2SecurityGroupOwnerId),
			"Status":   awsclient.StringOrNull(e.Status),
		})
	}
	return monkey.Config{
		"name":        aws.ToString(g.DBSecurityGroupName),
		"description": aws.ToString(g.DBSecurityGroupDescription),
		"owner_id":    aws.ToString(g.OwnerId),
		"region":      region,
		"ip_ranges":   ranges,
		"ec2_groups":  groups,
		"vpc_id":      awsclient.StringOrNull(g.VpcId),
		"arn":         aws.ToString(g.DBSecurityGroupArn),
	}
}
