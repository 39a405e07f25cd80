package awssim_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
)

func regionClient(cfg aws.Config, region string) *ec2.Client {
	return ec2.NewFromConfig(cfg, func(o *ec2.Options) { o.Region = region })
}

func TestEC2DescribeRegions(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 2})
	ctx := context.Background()
	client := ec2.NewFromConfig(b.cfg)

	out, err := client.DescribeRegions(ctx, &ec2.DescribeRegionsInput{})
	require.NoError(t, err)
	var names []string
	for _, r := range out.Regions {
		names = append(names, aws.ToString(r.RegionName))
		require.Equal(t, "opt-in-not-required", aws.ToString(r.OptInStatus))
	}
	require.Equal(t, []string{"us-east-1", "us-west-2", "eu-west-1"}, names)

	out, err = client.DescribeRegions(ctx, &ec2.DescribeRegionsInput{AllRegions: aws.Bool(true)})
	require.NoError(t, err)
	require.Len(t, out.Regions, 4)
	require.Equal(t, "af-south-1", aws.ToString(out.Regions[3].RegionName))
	require.Equal(t, "not-opted-in", aws.ToString(out.Regions[3].OptInStatus))

	_, err = regionClient(b.cfg, "af-south-1").DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{})
	require.Equal(t, "OptInRequired", apiCode(t, err))

	_, err = client.DescribeTransitGateways(ctx, &ec2.DescribeTransitGatewaysInput{})
	require.Equal(t, "InvalidAction", apiCode(t, err))
}

func TestEC2DescribeSecurityGroups(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 4, Items: 60})
	ctx := context.Background()
	ids := b.srv.AccountIDs()
	cfg := b.assumed(ids[0])

	total := 0
	seen := map[string]bool{}
	var openSSH, ipv6, pairOther, classic, egressAll bool
	for _, region := range []string{"us-east-1", "us-west-2", "eu-west-1"} {
		p := ec2.NewDescribeSecurityGroupsPaginator(regionClient(cfg, region), &ec2.DescribeSecurityGroupsInput{MaxResults: aws.Int32(7)})
		pages := 0
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			require.NoError(t, err)
			pages++
			for _, g := range out.SecurityGroups {
				id := aws.ToString(g.GroupId)
				require.False(t, seen[id], "duplicate %s", id)
				seen[id] = true
				require.Equal(t, ids[0], aws.ToString(g.OwnerId))
				require.Equal(t, "arn:aws:ec2:"+region+":"+ids[0]+":security-group/"+id, aws.ToString(g.SecurityGroupArn))
				if g.VpcId == nil {
					classic = true
				}
				for _, perm := range g.IpPermissions {
					for _, r := range perm.IpRanges {
						if aws.ToString(r.CidrIp) == "0.0.0.0/0" && aws.ToInt32(perm.FromPort) == 22 {
							openSSH = true
						}
					}
					for _, r := range perm.Ipv6Ranges {
						ipv6 = ipv6 || aws.ToString(r.CidrIpv6) == "::/0"
					}
					for _, pair := range perm.UserIdGroupPairs {
						pairOther = pairOther || aws.ToString(pair.UserId) == ids[1]
					}
				}
				for _, perm := range g.IpPermissionsEgress {
					egressAll = egressAll || (aws.ToString(perm.IpProtocol) == "-1" && perm.FromPort == nil)
				}
			}
			total += len(out.SecurityGroups)
		}
		require.Equal(t, 3, pages, region)
	}
	require.Equal(t, 60, total)
	require.True(t, openSSH)
	require.True(t, ipv6)
	require.True(t, pairOther)
	require.True(t, classic)
	require.True(t, egressAll)

	_, err := regionClient(cfg, "us-east-1").DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{MaxResults: aws.Int32(2000)})
	require.Equal(t, "InvalidParameterValue", apiCode(t, err))
}
