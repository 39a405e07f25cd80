package rdssecuritygroup

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"

	"github.com/secmonkey/monkey/internal/monkey"
)

// normalize builds the stored config (technologies.md A.15). vpc_id is
// filled from VpcId when AWS returns it (the reference's was always null);
// the item name stays DBSecurityGroupName.
func normalize(g *types.DBSecurityGroup, region string) monkey.Config {
	ranges := make([]any, 0, len(g.IPRanges))
	for _, r := range g.IPRanges {
		ranges = append(ranges, map[string]any{"cidr_ip": strOrNil(r.CIDRIP), "status": strOrNil(r.Status)})
	}
	groups := make([]any, 0, len(g.EC2SecurityGroups))
	for _, e := range g.EC2SecurityGroups {
		groups = append(groups, map[string]any{
			"name":     strOrNil(e.EC2SecurityGroupName),
			"owner_id": strOrNil(e.EC2SecurityGroupOwnerId),
			"Status":   strOrNil(e.Status),
		})
	}
	return monkey.Config{
		"name":        aws.ToString(g.DBSecurityGroupName),
		"description": aws.ToString(g.DBSecurityGroupDescription),
		"owner_id":    aws.ToString(g.OwnerId),
		"region":      region,
		"ip_ranges":   ranges,
		"ec2_groups":  groups,
		"vpc_id":      strOrNil(g.VpcId),
		"arn":         aws.ToString(g.DBSecurityGroupArn),
	}
}

func strOrNil(s *string) any {
	if s == nil {
		return nil
	}
	return *s
}
