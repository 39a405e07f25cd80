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

func addresses(t *testing.T, cfg aws.Config, region string) []ec2types.Address {
	t.Helper()
	out, err := regionClient(cfg, region).DescribeAddresses(context.Background(), &ec2.DescribeAddressesInput{})
	require.NoError(t, err)
	return out.Addresses
}

func TestEC2Addresses(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 13, Items: 30, Accounts: 2})
	ids := b.srv.AccountIDs()
	inst := map[string]ec2types.Instance{}
	for _, list := range instances(t, b.cfg) {
		for _, in := range list {
			inst[aws.ToString(in.InstanceId)] = in
		}
	}
	ips := map[string]bool{}
	var n, associated, classic int
	for _, region := range simRegions {
		for _, ad := range addresses(t, b.cfg, region) {
			n++
			ip := aws.ToString(ad.PublicIp)
			require.Regexp(t, `^52\.\d+\.\d+\.\d+$`, ip)
			require.False(t, ips[ip], "unique %s", ip)
			ips[ip] = true
			require.Equal(t, region, aws.ToString(ad.NetworkBorderGroup))
			if ad.Domain == ec2types.DomainTypeStandard {
				classic++
				require.Nil(t, ad.AllocationId)
				require.Nil(t, ad.AssociationId)
			} else {
				require.Equal(t, ec2types.DomainTypeVpc, ad.Domain)
				require.Regexp(t, `^eipalloc-`, aws.ToString(ad.AllocationId))
			}
			if ad.InstanceId == nil {
				require.Nil(t, ad.PrivateIpAddress)
				continue
			}
			associated++
			in, ok := inst[aws.ToString(ad.InstanceId)]
			require.True(t, ok, "associated with a simulated instance")
			require.Equal(t, region, aws.ToString(in.Placement.AvailabilityZone)[:len(region)])
			if ad.Domain == ec2types.DomainTypeVpc {
				require.Equal(t, aws.ToString(in.PrivateIpAddress), aws.ToString(ad.PrivateIpAddress))
				require.Regexp(t, `^eipassoc-`, aws.ToString(ad.AssociationId))
				require.Regexp(t, `^eni-`, aws.ToString(ad.NetworkInterfaceId))
				require.Equal(t, ids[0], aws.ToString(ad.NetworkInterfaceOwnerId))
			}
		}
	}
	require.Equal(t, 30, n)
	require.Equal(t, 20, associated)
	require.Equal(t, 6, classic)
	for _, ad := range addresses(t, b.assumed(ids[1]), "us-east-1") {
		require.False(t, ips[aws.ToString(ad.PublicIp)], "accounts have distinct addresses")
	}

	// A mutation toggles the association.
	first := addresses(t, b.cfg, "us-east-1")[0]
	require.NotNil(t, first.InstanceId)
	arns, err := b.srv.Mutate(ids[0], "elasticip", 1)
	require.NoError(t, err)
	require.Equal(t, "arn:aws:ec2:us-east-1:"+ids[0]+":elastic-ip/"+aws.ToString(first.AllocationId), arns[0])
	require.Nil(t, addresses(t, b.cfg, "us-east-1")[0].InstanceId)
	_, err = b.srv.Mutate(ids[0], "elasticip", 30)
	require.NoError(t, err)
	again := addresses(t, b.cfg, "us-east-1")[0]
	require.Equal(t, first.InstanceId, again.InstanceId)
	require.NotEqual(t, aws.ToString(first.AssociationId), aws.ToString(again.AssociationId), "a new association")
	_, err = b.srv.Delete(ids[0], "elasticip", 3)
	require.NoError(t, err)
	require.Len(t, addresses(t, b.cfg, "eu-west-1"), 9)
}
