package ec2image

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/watch/watchtest"
)

func fullImage() types.Image {
	return types.Image{
		ImageId: aws.String("ami-0123456789abcdef0"), ImageLocation: aws.String("123456789012/web"), State: types.ImageStateAvailable,
		OwnerId: aws.String("123456789012"), CreationDate: aws.String("2019-03-04T05:06:07.000Z"), Public: aws.Bool(true),
		Architecture: types.ArchitectureValuesX8664, ImageType: types.ImageTypeValuesMachine,
		KernelId: aws.String("aki-1234"), RamdiskId: aws.String("ari-5678"), Name: aws.String("web"), Description: aws.String("web tier"),
		RootDeviceType: types.DeviceTypeEbs, RootDeviceName: aws.String("/dev/sda1"), VirtualizationType: types.VirtualizationTypeParavirtual,
		Hypervisor: types.HypervisorTypeXen, EnaSupport: aws.Bool(false), SriovNetSupport: aws.String("simple"),
		ProductCodes: []types.ProductCode{{ProductCodeId: aws.String("abc123"), ProductCodeType: types.ProductCodeValuesMarketplace}},
		BlockDeviceMappings: []types.BlockDeviceMapping{{DeviceName: aws.String("/dev/sda1"), Ebs: &types.EbsBlockDevice{
			SnapshotId: aws.String("snap-1"), VolumeSize: aws.Int32(8), DeleteOnTermination: aws.Bool(true), VolumeType: types.VolumeTypeGp3, Encrypted: aws.Bool(false)}}},
		Tags: []types.Tag{{Key: aws.String("Name"), Value: aws.String("web")}},
	}
}

func TestWatcherNormalizeGolden(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		im    types.Image
		perms []types.LaunchPermission
	}{
		{"full", fullImage(), []types.LaunchPermission{{Group: types.PermissionGroupAll}, {UserId: aws.String("444455556666")},
			{OrganizationArn: aws.String("arn:aws:organizations::123456789012:organization/o-abc")}}},
		{"bare", types.Image{ImageId: aws.String("ami-00000000000000001")}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			watchtest.Golden(t, "watcher_"+tc.name+".golden.json", normalize(&tc.im, tc.perms, "eu-west-1"))
		})
	}
}

// fakeEC2 serves images and fails the attribute call of one image.
type fakeEC2 struct {
	images []types.Image
	fail   string
	mu     *sync.Mutex
	inputs []*ec2.DescribeImagesInput
}

func (f *fakeEC2) DescribeImages(_ context.Context, in *ec2.DescribeImagesInput, _ ...func(*ec2.Options)) (*ec2.DescribeImagesOutput, error) {
	f.mu.Lock()
	f.inputs = append(f.inputs, in)
	f.mu.Unlock()
	return &ec2.DescribeImagesOutput{Images: f.images}, nil
}

func (f *fakeEC2) DescribeImageAttribute(_ context.Context, in *ec2.DescribeImageAttributeInput, _ ...func(*ec2.Options)) (*ec2.DescribeImageAttributeOutput, error) {
	if aws.ToString(in.ImageId) == f.fail {
		return nil, errors.New("InternalError")
	}
	return &ec2.DescribeImageAttributeOutput{ImageId: in.ImageId}, nil
}

func TestWatcherItemFailureAndOwners(t *testing.T) {
	t.Parallel()
	f := &fakeEC2{mu: &sync.Mutex{}, fail: "ami-2", images: []types.Image{{ImageId: aws.String("ami-1")}, {ImageId: aws.String("ami-2")}, {ImageId: aws.String("ami-3")}}}
	w := NewWatcher(withClient(func(aws.Config) ec2API { return f }))
	scope := watchtest.FakeScope(monkey.Account{Name: "prod", Identifier: "123456789012", Type: "AWS"}, "us-east-1")
	scope.Ignore = []string{"AMI-3"}
	res, err := w.Collect(context.Background(), scope)
	require.NoError(t, err)
	require.Len(t, res.Items, 1)
	require.Equal(t, "ami-1", res.Items[0].Name)
	require.Equal(t, "arn:aws:ec2:us-east-1::image/ami-1", res.Items[0].ARN)
	require.Len(t, res.Failures, 1)
	require.Equal(t, "us-east-1", res.Failures[0].Region)
	require.Equal(t, "ami-2", res.Failures[0].Name, "only the image whose attribute failed")
	require.Equal(t, []string{"self"}, f.inputs[0].Owners, "never the public images of others")
}

var keys = []string{"ImageId", "ImageLocation", "State", "OwnerId", "CreationDate", "Public", "Architecture", "ImageType", "Name",
	"Description", "RootDeviceType", "RootDeviceName", "BlockDeviceMappings", "VirtualizationType", "Hypervisor",
	"KernelId", "RamdiskId", "LaunchPermissions", "ProductCodes", "Arn", "Region", "_version"}

func TestWatcherSim(t *testing.T) {
	t.Parallel()
	const items = 18
	sim := watchtest.StartSim(t, awssim.Options{Accounts: 2, Seed: 20, Items: items})
	scope := sim.Scope(t, 0)
	other := sim.Account(t, 1).Identifier
	res := watchtest.Run(t, NewWatcher(), scope)
	require.Len(t, res.Items, items)
	shared := map[string]bool{}
	public, kernels := 0, 0
	for _, it := range res.Items {
		watchtest.RequireKeys(t, it.Config, keys, []string{"Tags", "EnaSupport", "SriovNetSupport", "PlatformDetails", "UsageOperation"})
		require.Equal(t, it.Config["ImageId"], it.Name)
		require.Equal(t, "arn:aws:ec2:"+it.Region+"::image/"+it.Name, it.ARN)
		require.Equal(t, it.ARN, it.Config["Arn"])
		require.Equal(t, it.Region, it.Config["Region"])
		require.Equal(t, scope.Account.Identifier, it.Config["OwnerId"])
		for _, p := range it.Config["LaunchPermissions"].([]any) {
			for _, v := range p.(map[string]any) {
				shared[v.(string)] = true
			}
		}
		if it.Config["Public"] == true {
			public++
		}
		if k := it.Config["KernelId"].(map[string]any); len(k) > 0 {
			kernels++
			require.Regexp(t, `^aki-`, k["Value"])
			require.Len(t, it.Config["ProductCodes"], 1)
		}
	}
	require.Equal(t, map[string]bool{"all": true, other: true, "444455556666": true, "127311923021": true}, shared)
	require.Positive(t, public)
	require.Positive(t, kernels)
}

func TestWatcherSimFaults(t *testing.T) {
	t.Parallel()
	t.Run("ec2 fails", func(t *testing.T) {
		t.Parallel()
		watchtest.ServiceFails(t, NewWatcher(), awssim.Options{Accounts: 2, Seed: 20, Items: 5}, "ec2", "us-east-1", "x")
	})
	t.Run("failing region", func(t *testing.T) {
		t.Parallel()
		sim := watchtest.StartSim(t, awssim.Options{Accounts: 2, Seed: 20, Items: 9})
		scope := sim.Scope(t, 1)
		require.NoError(t, sim.Server.SetFaults(awssim.Faults{FailRegions: []string{"us-west-2"}}))
		res, err := NewWatcher().Collect(context.Background(), scope)
		require.NoError(t, err)
		require.Len(t, res.Failures, 1)
		require.Equal(t, "us-west-2", res.Failures[0].Region)
		require.Empty(t, res.Failures[0].Name)
		require.Len(t, res.Items, 6)
	})
	t.Run("throttled", func(t *testing.T) {
		t.Parallel()
		got := watchtest.Throttled(t, NewWatcher(), awssim.Options{Accounts: 2, Seed: 20, Items: 12})
		require.Len(t, got.Items, 12)
	})
}

func BenchmarkWatcherCollectSim10000(b *testing.B) {
	watchtest.BenchmarkCollect(b, NewWatcher(), "ec2", 10000)
}
