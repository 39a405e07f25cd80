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

func ownSnapshots(t *testing.T, cfg aws.Config, region string) []ec2types.Snapshot {
	t.Helper()
	var out []ec2types.Snapshot
	p := ec2.NewDescribeSnapshotsPaginator(regionClient(cfg, region), &ec2.DescribeSnapshotsInput{OwnerIds: []string{"self"}, MaxResults: aws.Int32(5)})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		require.NoError(t, err)
		out = append(out, page.Snapshots...)
	}
	return out
}

func TestEC2Snapshots(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 10, Items: 36, Accounts: 2})
	ctx := context.Background()
	ids := b.srv.AccountIDs()
	cfg := b.assumed(ids[0])

	perms := map[string]bool{}
	var encrypted, untagged, codes, n int
	for _, region := range simRegions {
		snaps := ownSnapshots(t, cfg, region)
		n += len(snaps)
		client := regionClient(cfg, region)
		for _, sn := range snaps {
			require.Regexp(t, `^snap-[0-9a-f]{17}$`, aws.ToString(sn.SnapshotId))
			require.Regexp(t, `^vol-[0-9a-f]{17}$`, aws.ToString(sn.VolumeId))
			require.Equal(t, ids[0], aws.ToString(sn.OwnerId))
			require.Equal(t, ec2types.SnapshotStateCompleted, sn.State)
			require.Equal(t, "100%", aws.ToString(sn.Progress))
			require.NotNil(t, sn.StartTime)
			require.Positive(t, aws.ToInt32(sn.VolumeSize))
			if aws.ToBool(sn.Encrypted) {
				encrypted++
				require.Regexp(t, `^arn:aws:kms:`+region+`:`+ids[0]+`:key/`, aws.ToString(sn.KmsKeyId))
			}
			if len(sn.Tags) == 0 {
				untagged++
			}
			out, err := client.DescribeSnapshotAttribute(ctx, &ec2.DescribeSnapshotAttributeInput{SnapshotId: sn.SnapshotId, Attribute: ec2types.SnapshotAttributeNameCreateVolumePermission})
			require.NoError(t, err)
			require.Equal(t, aws.ToString(sn.SnapshotId), aws.ToString(out.SnapshotId))
			for _, p := range out.CreateVolumePermissions {
				if p.Group == ec2types.PermissionGroupAll {
					perms["all"] = true
				} else {
					perms[aws.ToString(p.UserId)] = true
				}
			}
			pc, err := client.DescribeSnapshotAttribute(ctx, &ec2.DescribeSnapshotAttributeInput{SnapshotId: sn.SnapshotId, Attribute: ec2types.SnapshotAttributeNameProductCodes})
			require.NoError(t, err)
			if len(pc.ProductCodes) > 0 {
				codes++
				require.Equal(t, ec2types.ProductCodeValuesMarketplace, pc.ProductCodes[0].ProductCodeType)
				require.Len(t, aws.ToString(pc.ProductCodes[0].ProductCodeId), 25)
			}
		}
	}
	require.Equal(t, 36, n)
	require.Positive(t, encrypted)
	require.Positive(t, untagged)
	require.Equal(t, 6, codes, "the marketplace snapshots")
	require.Equal(t, map[string]bool{"all": true, ids[1]: true, "444455556666": true, "127311923021": true, "aws-marketplace": true}, perms)

	// Without an owner selection the public Amazon snapshots come too.
	out, err := regionClient(cfg, "us-east-1").DescribeSnapshots(ctx, &ec2.DescribeSnapshotsInput{})
	require.NoError(t, err)
	require.Len(t, out.Snapshots, 2+12)
	require.Equal(t, "amazon", aws.ToString(out.Snapshots[0].OwnerAlias))

	sn := ownSnapshots(t, cfg, "us-east-1")[0]
	_, err = regionClient(cfg, "us-west-2").DescribeSnapshotAttribute(ctx, &ec2.DescribeSnapshotAttributeInput{SnapshotId: sn.SnapshotId, Attribute: ec2types.SnapshotAttributeNameCreateVolumePermission})
	require.Equal(t, "InvalidSnapshot.NotFound", apiCode(t, err))
	_, err = regionClient(cfg, "us-east-1").DescribeSnapshotAttribute(ctx, &ec2.DescribeSnapshotAttributeInput{SnapshotId: aws.String("snap-1"), Attribute: ec2types.SnapshotAttributeNameCreateVolumePermission})
	require.Equal(t, "InvalidParameterValue", apiCode(t, err))
	_, err = regionClient(cfg, "us-east-1").DescribeSnapshotAttribute(ctx, &ec2.DescribeSnapshotAttributeInput{SnapshotId: sn.SnapshotId, Attribute: "nonsense"})
	require.Equal(t, "InvalidParameterValue", apiCode(t, err))
}

func TestEC2SnapshotsMutateDeleteCreate(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 11, Items: 4, Accounts: 1})
	id := b.srv.AccountIDs()[0]
	arns, err := b.srv.Mutate(id, "ebssnapshot", 1)
	require.NoError(t, err)
	require.Regexp(t, `^arn:aws:ec2:us-east-1::snapshot/snap-[0-9a-f]{17}$`, arns[0])
	snaps := ownSnapshots(t, b.cfg, "us-east-1")
	require.Len(t, snaps, 2)
	require.Contains(t, snaps[0].Tags, ec2types.Tag{Key: aws.String("sim:mutation"), Value: aws.String("1")})
	_, err = b.srv.Delete(id, "ebssnapshot", 1)
	require.NoError(t, err)
	require.Len(t, ownSnapshots(t, b.cfg, "us-east-1"), 1)
	_, err = regionClient(b.cfg, "us-east-1").DescribeSnapshotAttribute(context.Background(), &ec2.DescribeSnapshotAttributeInput{SnapshotId: snaps[1].SnapshotId, Attribute: ec2types.SnapshotAttributeNameCreateVolumePermission})
	require.Equal(t, "InvalidSnapshot.NotFound", apiCode(t, err))
	_, err = b.srv.Create(id, "ebssnapshot", 2)
	require.NoError(t, err)
	require.Len(t, ownSnapshots(t, b.cfg, "us-west-2"), 2)
}
