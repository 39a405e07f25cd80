package rdssubnetgroup

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"

	"github.com/secmonkey/monkey/internal/monkey"
)

// itemName is "<DBSubnetGroupName> (in <VpcId>)", or the bare name for a
// group without VpcId.
func itemName(g *types.DBSubnetGroup) string {
	if vpc := aws.ToString(g.VpcId); vpc != "" {
		return aws.ToString(g.DBSubnetGroupName) + " (in " + vpc + ")"
	}
	return aws.ToString(g.DBSubnetGroupName)
}

// normalize builds the stored config (technologies.md A.18).
func normalize(g *types.DBSubnetGroup) monkey.Config {
	subnets := make([]any, 0, len(g.Subnets))
	for _, s := range g.Subnets {
		var az string
		if s.SubnetAvailabilityZone != nil {
			az = aws.ToString(s.SubnetAvailabilityZone.Name)
		}
		subnets = append(subnets, map[string]any{
			"subnet_identifier": aws.ToString(s.SubnetIdentifier),
			"subnet_status":     aws.ToString(s.SubnetStatus),
			"name":              az,
		})
	}
	var vpc any
	if g.VpcId != nil {
		vpc = *g.VpcId
	}
	return monkey.Config{
		"name":                        itemName(g),
		"db_subnet_group_description": aws.ToString(g.DBSubnetGroupDescription),
		"subnet_group_status":         aws.ToString(g.SubnetGroupStatus),
		"vpc_id":                      vpc,
		"subnets":                     subnets,
		"arn":                         aws.ToString(g.DBSubnetGroupArn),
	}
}
