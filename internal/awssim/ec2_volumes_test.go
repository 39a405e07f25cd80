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

func volumes(t *testing.T, cfg aws.Config, region string) []ec2types.Volume {
	t.Helper()
	var out []ec2types.Volume
	p := ec2.NewDescribeVolumesPaginator(regionClient(cfg, region), &ec2.DescribeVolumesInput{MaxResults: aws.Int32(5)})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		require.NoError(t, err)
		out = append(out, page.Volumes...)
	}
	return out
}

func TestEC2Volumes(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 12, Items: 24, Accounts: 1})
	ctx := context.Background()
	inst := map[string]string{} // instance id → region
	for region, list := range instances(t, b.cfg) {
		for _, in := range list {
			inst[aws.ToString(in.InstanceId)] = region
		}
	}
	var n, attached, fromSnapshot, encrypted int
	types := map[ec2types.VolumeType]bool{}
	for _, region := range simRegions {
		for _, v := range volumes(t, b.cfg, region) {
			n++
			require.Regexp(t, `^vol-[0-9a-f]{17}$`, aws.ToString(v.VolumeId))
			require.Contains(t, aws.ToString(v.AvailabilityZone), region)
			require.NotNil(t, v.CreateTime)
			require.Positive(t, aws.ToInt32(v.Size))
			types[v.VolumeType] = true
			if aws.ToString(v.SnapshotId) != "" {
				fromSnapshot++
			}
			if aws.ToBool(v.Encrypted) {
				encrypted++
				require.NotEmpty(t, aws.ToString(v.KmsKeyId))
			}
			switch v.State {
			case ec2types.VolumeStateInUse:
				attached++
				require.Len(t, v.Attachments, 1)
				a := v.Attachments[0]
				require.Equal(t, region, inst[aws.ToString(a.InstanceId)], "attached to an instance of its region")
				require.Equal(t, aws.ToString(v.VolumeId), aws.ToString(a.VolumeId))
				require.Equal(t, ec2types.VolumeAttachmentStateAttached, a.State)
				require.NotNil(t, a.AttachTime)
				require.NotNil(t, a.DeleteOnTermination)
				require.NotEmpty(t, aws.ToString(a.Device))
			default:
				require.Equal(t, ec2types.VolumeStateAvailable, v.State)
				require.Empty(t, v.Attachments)
			}
		}
	}
	require.Equal(t, 24, n)
	require.Equal(t, 18, attached)
	require.Positive(t, fromSnapshot)
	require.Positive(t, encrypted)
	require.Len(t, types, 4)

	_, err := regionClient(b.cfg, "us-east-1").DescribeVolumes(ctx, &ec2.DescribeVolumesInput{MaxResults: aws.Int32(501)})
	require.Equal(t, "InvalidParameterValue", apiCode(t, err), "DescribeVolumes pages hold at most 500")

	id := b.srv.AccountIDs()[0]
	before := volumes(t, b.cfg, "us-east-1")[0]
	arns, err := b.srv.Mutate(id, "ebsvolume", 1)
	require.NoError(t, err)
	require.Equal(t, "arn:aws:ec2:us-east-1:"+id+":volume/"+aws.ToString(before.VolumeId), arns[0])
	after := volumes(t, b.cfg, "us-east-1")[0]
	require.Equal(t, aws.ToInt32(before.Size)+1, aws.ToInt32(after.Size))
	_, err = b.srv.Delete(id, "ebsvolume", 1)
	require.NoError(t, err)
	require.Len(t, volumes(t, b.cfg, "eu-west-1"), 7)
}
