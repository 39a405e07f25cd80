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

var simRegions = []string{"us-east-1", "us-west-2", "eu-west-1"}

// instances lists every instance of the account of cfg, region by region,
// in pages of 5.
func instances(t *testing.T, cfg aws.Config) map[string][]ec2types.Instance {
	t.Helper()
	out := map[string][]ec2types.Instance{}
	for _, region := range simRegions {
		p := ec2.NewDescribeInstancesPaginator(regionClient(cfg, region), &ec2.DescribeInstancesInput{MaxResults: aws.Int32(5)})
		for p.HasMorePages() {
			page, err := p.NextPage(context.Background())
			require.NoError(t, err)
			for _, r := range page.Reservations {
				out[region] = append(out[region], r.Instances...)
			}
		}
	}
	return out
}

func TestEC2DescribeInstances(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 5, Items: 30})
	ctx := context.Background()

	groups := map[string]string{} // id → region
	for _, region := range simRegions {
		sgs, err := regionClient(b.cfg, region).DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{})
		require.NoError(t, err)
		for _, g := range sgs.SecurityGroups {
			groups[aws.ToString(g.GroupId)] = region
		}
	}
	byGroup := map[string]int{}
	var n, stopped, untagged, public, classic int
	for region, list := range instances(t, b.cfg) {
		for _, in := range list {
			n++
			require.Regexp(t, `^i-[0-9a-f]{17}$`, aws.ToString(in.InstanceId))
			require.Len(t, in.SecurityGroups, 1)
			g := aws.ToString(in.SecurityGroups[0].GroupId)
			require.Equal(t, region, groups[g], "instance runs in a described group of its region")
			byGroup[g]++
			require.NotNil(t, in.LaunchTime)
			require.NotEmpty(t, aws.ToString(in.PrivateIpAddress))
			require.NotEmpty(t, aws.ToString(in.PrivateDnsName))
			require.Contains(t, aws.ToString(in.Placement.AvailabilityZone), region)
			switch in.State.Name {
			case ec2types.InstanceStateNameStopped:
				stopped++
				require.Nil(t, in.PublicIpAddress)
			default:
				require.Equal(t, ec2types.InstanceStateNameRunning, in.State.Name)
				require.Equal(t, int32(16), aws.ToInt32(in.State.Code))
			}
			if len(in.Tags) == 0 {
				untagged++
			}
			if in.PublicIpAddress != nil {
				public++
				require.NotEmpty(t, aws.ToString(in.PublicDnsName))
			}
			if in.VpcId == nil {
				classic++
				require.Nil(t, in.SubnetId)
			}
		}
	}
	require.Equal(t, 30, n)
	require.Positive(t, stopped)
	require.Positive(t, untagged)
	require.Positive(t, public)
	require.Positive(t, classic, "instances of an EC2-Classic group")
	// 10 instances a region: local indices 0-2, 3-5, 6-8 and 9 share the
	// groups of local index 0, 3, 6 and 9.
	counts := map[int]int{}
	for _, c := range byGroup {
		counts[c]++
	}
	require.Equal(t, map[int]int{3: 9, 1: 3}, counts)
}

func TestEC2InstancesMutateDeleteCreate(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 6, Items: 6, Accounts: 1})
	id := b.srv.AccountIDs()[0]
	arns, err := b.srv.Mutate(id, "ec2instance", 1)
	require.NoError(t, err)
	require.Len(t, arns, 1)
	require.Regexp(t, `^arn:aws:ec2:us-east-1:`+id+`:instance/i-[0-9a-f]{17}$`, arns[0])
	_, err = b.srv.Delete(id, "ec2instance", 1)
	require.NoError(t, err)
	_, err = b.srv.Create(id, "ec2instance", 3)
	require.NoError(t, err)
	all := instances(t, b.cfg)
	n := 0
	for _, list := range all {
		n += len(list)
	}
	require.Equal(t, 8, n)
	first := all["us-east-1"][0]
	require.Equal(t, arns[0][len(arns[0])-19:], aws.ToString(first.InstanceId))
	require.Contains(t, first.Tags, ec2types.Tag{Key: aws.String("sim:mutation"), Value: aws.String("1")})
}

func TestEC2DescribeTags(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 7, Items: 40, Accounts: 1})
	ctx := context.Background()
	client := regionClient(b.cfg, "us-west-2")
	list := instances(t, b.cfg)["us-west-2"]
	require.Len(t, list, 13)

	// Every tag of the region, in pages of 5.
	p := ec2.NewDescribeTagsPaginator(client, &ec2.DescribeTagsInput{MaxResults: aws.Int32(5)})
	var all []ec2types.TagDescription
	pages := 0
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		require.NoError(t, err)
		require.LessOrEqual(t, len(page.Tags), 5)
		all = append(all, page.Tags...)
		pages++
	}
	want := 0
	for _, in := range list {
		want += len(in.Tags)
	}
	require.Len(t, all, want)
	require.Greater(t, pages, 1)

	// Name tags of two instances.
	ids := []string{aws.ToString(list[0].InstanceId), aws.ToString(list[1].InstanceId), "i-00000000000000000"}
	out, err := client.DescribeTags(ctx, &ec2.DescribeTagsInput{Filters: []ec2types.Filter{
		{Name: aws.String("resource-id"), Values: ids},
		{Name: aws.String("key"), Values: []string{"Name"}},
		{Name: aws.String("resource-type"), Values: []string{"instance"}},
	}})
	require.NoError(t, err)
	require.Len(t, out.Tags, 2)
	for i, tg := range out.Tags {
		require.Equal(t, ids[i], aws.ToString(tg.ResourceId))
		require.Equal(t, ec2types.ResourceTypeInstance, tg.ResourceType)
		require.Equal(t, "Name", aws.ToString(tg.Key))
		require.Contains(t, list[i].Tags, ec2types.Tag{Key: tg.Key, Value: tg.Value})
	}
	out, err = client.DescribeTags(ctx, &ec2.DescribeTagsInput{Filters: []ec2types.Filter{
		{Name: aws.String("resource-type"), Values: []string{"volume"}},
	}})
	require.NoError(t, err)
	require.Empty(t, out.Tags)
}
