package awssim_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/redshift"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
)

func redshiftClient(cfg aws.Config, region string) *redshift.Client {
	return redshift.NewFromConfig(cfg, func(o *redshift.Options) { o.Region = region })
}

func TestRedshift(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 51, Accounts: 2, ItemsPer: map[string]int{"redshift": 66}})
	ctx := context.Background()
	id := b.srv.AccountIDs()[1]
	cfg := b.assumed(id)
	total, pages := 0, 0
	var classic, public, restored, encrypted int
	for _, region := range simRegions {
		p := redshift.NewDescribeClustersPaginator(redshiftClient(cfg, region), &redshift.DescribeClustersInput{MaxRecords: aws.Int32(20)})
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			require.NoError(t, err)
			pages++
			for _, c := range out.Clusters {
				total++
				require.NotNil(t, c.Endpoint)
				require.Equal(t, int32(5439), aws.ToInt32(c.Endpoint.Port))
				require.NotNil(t, c.ClusterCreateTime)
				require.NotNil(t, c.PendingModifiedValues)
				require.Len(t, c.ClusterParameterGroups, 1)
				require.Len(t, c.ClusterParameterGroups[0].ClusterParameterStatusList, 1)
				require.Len(t, c.ClusterNodes, 1)
				require.Equal(t, region+"a", aws.ToString(c.AvailabilityZone))
				if c.VpcId == nil {
					classic++
					require.Len(t, c.ClusterSecurityGroups, 1)
					require.Empty(t, c.VpcSecurityGroups)
				} else {
					require.Len(t, c.VpcSecurityGroups, 1)
				}
				if aws.ToBool(c.PubliclyAccessible) {
					public++
					require.NotNil(t, c.ElasticIpStatus)
				}
				if c.RestoreStatus != nil {
					restored++
					require.Len(t, c.IamRoles, 1)
				}
				if aws.ToBool(c.Encrypted) {
					encrypted++
					require.NotEmpty(t, aws.ToString(c.KmsKeyId))
				}
			}
		}
	}
	require.Equal(t, 66, total)
	require.Equal(t, 6, pages, "22 a region: two pages of 20 in each")
	// Variants i%4 below 50, then every 20th (60 is variant 0).
	require.Equal(t, 12, classic)
	require.Equal(t, 13, public)
	require.Equal(t, 12, restored)
	require.Equal(t, 41, encrypted)

	c := redshiftClient(cfg, "us-east-1")
	arns, err := b.srv.Mutate(id, "redshift", 1)
	require.NoError(t, err)
	require.Equal(t, "arn:aws:redshift:us-east-1:"+id+":cluster:sim-cluster-0", arns[0])
	out, err := c.DescribeClusters(ctx, &redshift.DescribeClustersInput{ClusterIdentifier: aws.String("sim-cluster-0")})
	require.NoError(t, err)
	require.Equal(t, int32(2), aws.ToInt32(out.Clusters[0].AutomatedSnapshotRetentionPeriod))
	_, err = c.DescribeClusters(ctx, &redshift.DescribeClustersInput{ClusterIdentifier: aws.String("sim-cluster-1")})
	require.Equal(t, "ClusterNotFound", apiCode(t, err), "cluster 1 lives in us-west-2")
	_, err = b.srv.Delete(id, "redshift", 1)
	require.NoError(t, err)
	_, err = redshiftClient(cfg, "af-south-1").DescribeClusters(ctx, &redshift.DescribeClustersInput{})
	require.Equal(t, "InvalidClientTokenId", apiCode(t, err))
}
