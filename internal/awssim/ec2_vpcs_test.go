package awssim_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
)

func vpcs(t *testing.T, cfg aws.Config, region string) []ec2types.Vpc {
	t.Helper()
	var out []ec2types.Vpc
	p := ec2.NewDescribeVpcsPaginator(regionClient(cfg, region), &ec2.DescribeVpcsInput{MaxResults: aws.Int32(5)})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		require.NoError(t, err)
		out = append(out, page.Vpcs...)
	}
	return out
}

// regionVPCs returns the ids of every VPC of the regions (id → region).
func regionVPCs(t *testing.T, cfg aws.Config) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, region := range simRegions {
		for _, v := range vpcs(t, cfg, region) {
			out[aws.ToString(v.VpcId)] = region
		}
	}
	return out
}

func tagValue(tags []ec2types.Tag, key string) (string, bool) {
	for _, tg := range tags {
		if aws.ToString(tg.Key) == key {
			return aws.ToString(tg.Value), true
		}
	}
	return "", false
}

func TestEC2VPCs(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 30, Items: 24, Accounts: 1})
	ctx := context.Background()
	var n, named, vpcnat, ipv6, dedicated, defaults int
	for _, region := range simRegions {
		c := regionClient(b.cfg, region)
		for _, v := range vpcs(t, b.cfg, region) {
			n++
			id := aws.ToString(v.VpcId)
			require.Regexp(t, `^vpc-[0-9a-f]{17}$`, id)
			require.Regexp(t, `^10\.\d+\.0\.0/16$`, aws.ToString(v.CidrBlock))
			require.Len(t, v.CidrBlockAssociationSet, 1)
			require.Equal(t, aws.ToString(v.CidrBlock), aws.ToString(v.CidrBlockAssociationSet[0].CidrBlock))
			require.Equal(t, ec2types.VpcCidrBlockStateCodeAssociated, v.CidrBlockAssociationSet[0].CidrBlockState.State)
			require.Regexp(t, `^dopt-`, aws.ToString(v.DhcpOptionsId))
			require.Equal(t, ec2types.VpcStateAvailable, v.State)
			if _, ok := tagValue(v.Tags, "Name"); ok {
				named++
			}
			if _, ok := tagValue(v.Tags, "vpcnat"); ok {
				vpcnat++
			}
			if len(v.Ipv6CidrBlockAssociationSet) > 0 {
				ipv6++
				require.NotEmpty(t, aws.ToString(v.Ipv6CidrBlockAssociationSet[0].Ipv6CidrBlock))
			}
			if v.InstanceTenancy == ec2types.TenancyDedicated {
				dedicated++
			}
			if aws.ToBool(v.IsDefault) {
				defaults++
			}
			for _, attr := range []ec2types.VpcAttributeName{ec2types.VpcAttributeNameEnableDnsSupport, ec2types.VpcAttributeNameEnableDnsHostnames} {
				out, err := c.DescribeVpcAttribute(ctx, &ec2.DescribeVpcAttributeInput{VpcId: v.VpcId, Attribute: attr})
				require.NoError(t, err)
				require.Equal(t, id, aws.ToString(out.VpcId))
				if attr == ec2types.VpcAttributeNameEnableDnsSupport {
					require.NotNil(t, out.EnableDnsSupport)
					require.Nil(t, out.EnableDnsHostnames)
				} else {
					require.NotNil(t, out.EnableDnsHostnames)
				}
			}
		}
	}
	require.Equal(t, 24, n)
	require.Equal(t, 3, defaults, "the region's VPC is the default VPC")
	require.Equal(t, 16, named)
	require.Positive(t, vpcnat)
	require.Positive(t, ipv6)
	require.Positive(t, dedicated)

	// The region's VPC is the one security groups and instances live in.
	sgs, err := regionClient(b.cfg, "us-west-2").DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{})
	require.NoError(t, err)
	require.Equal(t, aws.ToString(vpcs(t, b.cfg, "us-west-2")[0].VpcId), aws.ToString(sgs.SecurityGroups[0].VpcId))

	// Internet gateways: attached to VPCs of their region.
	all := regionVPCs(t, b.cfg)
	igws := 0
	for _, region := range simRegions {
		p := ec2.NewDescribeInternetGatewaysPaginator(regionClient(b.cfg, region), &ec2.DescribeInternetGatewaysInput{MaxResults: aws.Int32(5)})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			require.NoError(t, err)
			for _, g := range page.InternetGateways {
				igws++
				require.Regexp(t, `^igw-`, aws.ToString(g.InternetGatewayId))
				require.Len(t, g.Attachments, 1)
				require.Equal(t, region, all[aws.ToString(g.Attachments[0].VpcId)])
				require.Equal(t, ec2types.AttachmentStatus("available"), g.Attachments[0].State)
			}
		}
	}
	require.Equal(t, 16, igws)

	// Errors: unknown VPC, a VPC of another region, an unknown attribute.
	east := vpcs(t, b.cfg, "us-east-1")
	_, err = regionClient(b.cfg, "us-east-1").DescribeVpcAttribute(ctx, &ec2.DescribeVpcAttributeInput{VpcId: aws.String("vpc-0"), Attribute: "enableDnsSupport"})
	require.Equal(t, "InvalidVpcID.NotFound", apiCode(t, err))
	_, err = regionClient(b.cfg, "eu-west-1").DescribeVpcAttribute(ctx, &ec2.DescribeVpcAttributeInput{VpcId: east[1].VpcId, Attribute: "enableDnsSupport"})
	require.Equal(t, "InvalidVpcID.NotFound", apiCode(t, err))
	_, err = regionClient(b.cfg, "us-east-1").DescribeVpcAttribute(ctx, &ec2.DescribeVpcAttributeInput{VpcId: east[1].VpcId, Attribute: "enableNetworkAddressUsageMetrics"})
	require.Equal(t, "InvalidParameterValue", apiCode(t, err))
	_, err = regionClient(b.cfg, "us-east-1").DescribeVpcs(ctx, &ec2.DescribeVpcsInput{MaxResults: aws.Int32(1001)})
	require.Equal(t, "InvalidParameterValue", apiCode(t, err))

	// Mutate, delete, create.
	id := b.srv.AccountIDs()[0]
	arns, err := b.srv.Mutate(id, "vpc", 1)
	require.NoError(t, err)
	require.Equal(t, "arn:aws:ec2:us-east-1:"+id+":vpc/"+aws.ToString(east[0].VpcId), arns[0])
	v, _ := tagValue(vpcs(t, b.cfg, "us-east-1")[0].Tags, "sim:mutation")
	require.Equal(t, "1", v)
	deleted, err := b.srv.Delete(id, "vpc", 1)
	require.NoError(t, err)
	require.Len(t, vpcs(t, b.cfg, "eu-west-1"), 7)
	_, err = regionClient(b.cfg, "eu-west-1").DescribeVpcAttribute(ctx, &ec2.DescribeVpcAttributeInput{VpcId: aws.String(arnID(deleted[0])), Attribute: "enableDnsSupport"})
	require.Equal(t, "InvalidVpcID.NotFound", apiCode(t, err))
	created, err := b.srv.Create(id, "vpc", 1)
	require.NoError(t, err)
	require.NotContains(t, all, arnID(created[0]))
	require.Equal(t, arnID(created[0]), aws.ToString(vpcs(t, b.cfg, "us-east-1")[8].VpcId))
}

// arnID is the resource id after the last "/" of an ARN.
func arnID(arn string) string {
	for i := len(arn) - 1; i >= 0; i-- {
		if arn[i] == '/' {
			return arn[i+1:]
		}
	}
	return arn
}
