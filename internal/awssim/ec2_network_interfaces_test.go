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

func networkInterfaces(t *testing.T, cfg aws.Config, region string) []ec2types.NetworkInterface {
	t.Helper()
	var out []ec2types.NetworkInterface
	p := ec2.NewDescribeNetworkInterfacesPaginator(regionClient(cfg, region), &ec2.DescribeNetworkInterfacesInput{MaxResults: aws.Int32(5)})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		require.NoError(t, err)
		out = append(out, page.NetworkInterfaces...)
	}
	return out
}

func TestEC2NetworkInterfaces(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 14, Items: 24, Accounts: 1})
	id := b.srv.AccountIDs()[0]
	inst := map[string]ec2types.Instance{}
	for _, in := range instances(t, b.cfg)["us-east-1"] {
		inst[aws.ToString(in.InstanceId)] = in
	}
	enis := networkInterfaces(t, b.cfg, "us-east-1")
	require.Len(t, enis, 24, "every ENI lives in the first region")
	require.Empty(t, networkInterfaces(t, b.cfg, "us-west-2"))
	kinds := map[string]int{}
	for _, e := range enis {
		require.Regexp(t, `^eni-[0-9a-f]{17}$`, aws.ToString(e.NetworkInterfaceId))
		require.Regexp(t, `^0e(:[0-9a-f]{2}){5}$`, aws.ToString(e.MacAddress))
		require.Equal(t, id, aws.ToString(e.OwnerId))
		require.NotEmpty(t, aws.ToString(e.VpcId))
		require.NotEmpty(t, aws.ToString(e.SubnetId))
		require.NotEmpty(t, aws.ToString(e.PrivateDnsName))
		require.NotNil(t, e.SourceDestCheck)
		require.Len(t, e.PrivateIpAddresses, 1)
		switch {
		case e.Attachment == nil:
			kinds["detached"]++
			require.Equal(t, ec2types.NetworkInterfaceStatusAvailable, e.Status)
		case e.Attachment.InstanceId != nil:
			kinds["instance"]++
			in, ok := inst[aws.ToString(e.Attachment.InstanceId)]
			require.True(t, ok, "attached to an instance of the region")
			require.Equal(t, aws.ToString(in.PrivateIpAddress), aws.ToString(e.PrivateIpAddress))
			require.Equal(t, int32(0), aws.ToInt32(e.Attachment.DeviceIndex))
			require.NotNil(t, e.Attachment.AttachTime)
			if in.PublicIpAddress != nil {
				require.Equal(t, aws.ToString(in.PublicIpAddress), aws.ToString(e.Association.PublicIp))
			}
		default:
			kinds["managed"]++
			require.True(t, aws.ToBool(e.RequesterManaged))
			require.NotNil(t, e.Association)
			require.NotEmpty(t, aws.ToString(e.Association.IpOwnerId))
		}
	}
	require.Len(t, kinds, 3)

	arns, err := b.srv.Mutate(id, "networkinterface", 1)
	require.NoError(t, err)
	require.Equal(t, "arn:aws:ec2:us-east-1:"+id+":network-interface/"+aws.ToString(enis[0].NetworkInterfaceId), arns[0])
	require.Equal(t, aws.ToString(enis[0].Description)+" (mutation 1)", aws.ToString(networkInterfaces(t, b.cfg, "us-east-1")[0].Description))
	_, err = b.srv.Delete(id, "networkinterface", 2)
	require.NoError(t, err)
	require.Len(t, networkInterfaces(t, b.cfg, "us-east-1"), 22)
}
