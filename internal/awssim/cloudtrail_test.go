package awssim_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
)

func ctClient(cfg aws.Config, region string) *cloudtrail.Client {
	return cloudtrail.NewFromConfig(cfg, func(o *cloudtrail.Options) { o.Region = region })
}

func TestCloudTrail(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 55, Accounts: 2, ItemsPer: map[string]int{"cloudtrail": 8}})
	ctx := context.Background()
	id := b.srv.AccountIDs()[1]
	cfg := b.assumed(id)
	homed := map[string]int{}
	logging := 0
	for _, region := range simRegions {
		c := ctClient(cfg, region)
		all, err := c.DescribeTrails(ctx, &cloudtrail.DescribeTrailsInput{})
		require.NoError(t, err)
		own, err := c.DescribeTrails(ctx, &cloudtrail.DescribeTrailsInput{IncludeShadowTrails: aws.Bool(false)})
		require.NoError(t, err)
		shadows := 0
		for _, tr := range all.TrailList {
			if aws.ToString(tr.HomeRegion) != region {
				shadows++
				require.True(t, aws.ToBool(tr.IsMultiRegionTrail), "only multi-region trails have shadows")
			}
		}
		require.Equal(t, len(all.TrailList)-shadows, len(own.TrailList))
		require.Positive(t, shadows)
		for _, tr := range own.TrailList {
			require.Equal(t, region, aws.ToString(tr.HomeRegion))
			homed[region]++
			st, err := c.GetTrailStatus(ctx, &cloudtrail.GetTrailStatusInput{Name: tr.TrailARN})
			require.NoError(t, err)
			if aws.ToBool(st.IsLogging) {
				logging++
				require.NotNil(t, st.LatestDeliveryTime)
			} else {
				require.NotNil(t, st.StopLoggingTime)
			}
		}
	}
	require.Equal(t, map[string]int{"us-east-1": 3, "us-west-2": 3, "eu-west-1": 2}, homed)
	require.Equal(t, 4, logging, "variants 0 and 1")

	c := ctClient(cfg, "us-west-2")
	_, err := c.GetTrailStatus(ctx, &cloudtrail.GetTrailStatusInput{Name: aws.String("sim-trail-3")})
	var nf *cttypes.TrailNotFoundException
	require.ErrorAs(t, err, &nf, "trail 3 is a single-region trail of us-east-1")
	_, err = c.GetTrailStatus(ctx, &cloudtrail.GetTrailStatusInput{Name: aws.String("arn:aws:cloudtrail:us-east-1:" + id + ":trail/sim-trail-3")})
	require.NoError(t, err, "by ARN from any region")

	arns, err := b.srv.Mutate(id, "cloudtrail", 1)
	require.NoError(t, err)
	require.Equal(t, "arn:aws:cloudtrail:us-east-1:"+id+":trail/sim-trail-0", arns[0])
	out, err := ctClient(cfg, "us-east-1").DescribeTrails(ctx, &cloudtrail.DescribeTrailsInput{TrailNameList: []string{"sim-trail-0"}})
	require.NoError(t, err)
	require.Equal(t, "sim-mutation-1", aws.ToString(out.TrailList[0].S3KeyPrefix))
}
