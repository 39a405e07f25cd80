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

func ownImages(t *testing.T, cfg aws.Config, region string) []ec2types.Image {
	t.Helper()
	var out []ec2types.Image
	p := ec2.NewDescribeImagesPaginator(regionClient(cfg, region), &ec2.DescribeImagesInput{Owners: []string{"self"}, MaxResults: aws.Int32(5)})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		require.NoError(t, err)
		out = append(out, page.Images...)
	}
	return out
}

func TestEC2Images(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 8, Items: 36, Accounts: 2})
	ctx := context.Background()
	ids := b.srv.AccountIDs()
	cfg := b.assumed(ids[0])

	perms := map[string]bool{}
	var public, para, n int
	for _, region := range simRegions {
		images := ownImages(t, cfg, region)
		n += len(images)
		client := regionClient(cfg, region)
		for _, im := range images {
			id := aws.ToString(im.ImageId)
			require.Regexp(t, `^ami-[0-9a-f]{17}$`, id)
			require.Equal(t, ids[0], aws.ToString(im.OwnerId))
			require.Equal(t, ec2types.ImageStateAvailable, im.State)
			require.Regexp(t, `^20\d\d-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$`, aws.ToString(im.CreationDate))
			require.Len(t, im.BlockDeviceMappings, 1)
			require.Equal(t, int32(8), aws.ToInt32(im.BlockDeviceMappings[0].Ebs.VolumeSize))
			out, err := client.DescribeImageAttribute(ctx, &ec2.DescribeImageAttributeInput{ImageId: im.ImageId, Attribute: ec2types.ImageAttributeNameLaunchPermission})
			require.NoError(t, err)
			require.Equal(t, id, aws.ToString(out.ImageId))
			for _, lp := range out.LaunchPermissions {
				if lp.Group == ec2types.PermissionGroupAll {
					perms["all"] = true
					require.True(t, aws.ToBool(im.Public))
				} else {
					perms[aws.ToString(lp.UserId)] = true
				}
			}
			if aws.ToBool(im.Public) {
				public++
			}
			if im.VirtualizationType == ec2types.VirtualizationTypeParavirtual {
				para++
				require.Regexp(t, `^aki-`, aws.ToString(im.KernelId))
				require.Regexp(t, `^ari-`, aws.ToString(im.RamdiskId))
				require.Len(t, im.ProductCodes, 1)
				require.Equal(t, ec2types.ProductCodeValuesMarketplace, im.ProductCodes[0].ProductCodeType)
				k, err := client.DescribeImageAttribute(ctx, &ec2.DescribeImageAttributeInput{ImageId: im.ImageId, Attribute: ec2types.ImageAttributeNameKernel})
				require.NoError(t, err)
				require.Equal(t, aws.ToString(im.KernelId), aws.ToString(k.KernelId.Value))
				pc, err := client.DescribeImageAttribute(ctx, &ec2.DescribeImageAttributeInput{ImageId: im.ImageId, Attribute: ec2types.ImageAttributeNameProductCodes})
				require.NoError(t, err)
				require.Equal(t, im.ProductCodes, pc.ProductCodes)
			} else {
				require.Nil(t, im.KernelId)
				require.True(t, aws.ToBool(im.EnaSupport))
			}
		}
	}
	require.Equal(t, 36, n)
	require.Positive(t, public)
	require.Positive(t, para)
	require.Equal(t, map[string]bool{"all": true, ids[1]: true, "444455556666": true, "127311923021": true}, perms,
		"shared publicly, with the next account, an unknown one and an AWS-owned one")

	// Without an owner selection the public Amazon images come too.
	out, err := regionClient(cfg, "us-east-1").DescribeImages(ctx, &ec2.DescribeImagesInput{})
	require.NoError(t, err)
	require.Len(t, out.Images, 2+12)
	require.Equal(t, "137112412989", aws.ToString(out.Images[0].OwnerId))
	out, err = regionClient(cfg, "us-east-1").DescribeImages(ctx, &ec2.DescribeImagesInput{Owners: []string{"amazon"}})
	require.NoError(t, err)
	require.Len(t, out.Images, 2)
	out, err = regionClient(cfg, "us-east-1").DescribeImages(ctx, &ec2.DescribeImagesInput{
		Filters: []ec2types.Filter{{Name: aws.String("owner-id"), Values: []string{ids[0]}}}})
	require.NoError(t, err)
	require.Len(t, out.Images, 12)

	// Errors: another region's image, an unknown one, a malformed id, an unknown attribute.
	im := ownImages(t, cfg, "us-east-1")[0]
	_, err = regionClient(cfg, "eu-west-1").DescribeImageAttribute(ctx, &ec2.DescribeImageAttributeInput{ImageId: im.ImageId, Attribute: ec2types.ImageAttributeNameLaunchPermission})
	require.Equal(t, "InvalidAMIID.NotFound", apiCode(t, err))
	_, err = regionClient(cfg, "us-east-1").DescribeImageAttribute(ctx, &ec2.DescribeImageAttributeInput{ImageId: aws.String("ami-00000000000000000"), Attribute: ec2types.ImageAttributeNameLaunchPermission})
	require.Equal(t, "InvalidAMIID.NotFound", apiCode(t, err))
	_, err = regionClient(cfg, "us-east-1").DescribeImageAttribute(ctx, &ec2.DescribeImageAttributeInput{ImageId: aws.String("ami-1"), Attribute: ec2types.ImageAttributeNameLaunchPermission})
	require.Equal(t, "InvalidAMIID.Malformed", apiCode(t, err))
	_, err = regionClient(cfg, "us-east-1").DescribeImageAttribute(ctx, &ec2.DescribeImageAttributeInput{ImageId: im.ImageId, Attribute: "nonsense"})
	require.Equal(t, "InvalidParameterValue", apiCode(t, err))
	// The other account's image is not found in this one.
	other := ownImages(t, b.assumed(ids[1]), "us-east-1")[0]
	_, err = regionClient(cfg, "us-east-1").DescribeImageAttribute(ctx, &ec2.DescribeImageAttributeInput{ImageId: other.ImageId, Attribute: ec2types.ImageAttributeNameLaunchPermission})
	require.Equal(t, "InvalidAMIID.NotFound", apiCode(t, err))
}

func TestEC2ImagesMutateDeleteCreate(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 9, Items: 4, Accounts: 1})
	id := b.srv.AccountIDs()[0]
	arns, err := b.srv.Mutate(id, "ec2image", 1)
	require.NoError(t, err)
	require.Regexp(t, `^arn:aws:ec2:us-east-1::image/ami-[0-9a-f]{17}$`, arns[0])
	images := ownImages(t, b.cfg, "us-east-1")
	require.Len(t, images, 2)
	require.Contains(t, images[0].Tags, ec2types.Tag{Key: aws.String("sim:mutation"), Value: aws.String("1")})
	require.Equal(t, arns[0][len(arns[0])-21:], aws.ToString(images[0].ImageId))

	deleted, err := b.srv.Delete(id, "ec2image", 1)
	require.NoError(t, err)
	require.Contains(t, deleted[0], ":image/"+aws.ToString(images[1].ImageId))
	require.Len(t, ownImages(t, b.cfg, "us-east-1"), 1)
	_, err = regionClient(b.cfg, "us-east-1").DescribeImageAttribute(context.Background(), &ec2.DescribeImageAttributeInput{ImageId: images[1].ImageId, Attribute: ec2types.ImageAttributeNameLaunchPermission})
	require.Equal(t, "InvalidAMIID.NotFound", apiCode(t, err), "a deleted image has no attributes")
	_, err = b.srv.Create(id, "ec2image", 2)
	require.NoError(t, err)
	require.Len(t, ownImages(t, b.cfg, "us-west-2"), 2)
}
