package awssim_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
)

func s3Client(cfg aws.Config, region string) *s3.Client {
	return s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.UsePathStyle = true
		o.Region = region
	})
}

func TestS3ListBuckets(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 6, Items: 11})
	ctx := context.Background()
	ids := b.srv.AccountIDs()
	client := s3Client(b.assumed(ids[1]), "us-east-1")

	all, err := client.ListBuckets(ctx, &s3.ListBucketsInput{})
	require.NoError(t, err)
	require.Len(t, all.Buckets, 11)
	require.NotEmpty(t, aws.ToString(all.Owner.ID))
	require.Nil(t, all.ContinuationToken)

	var names []string
	p := s3.NewListBucketsPaginator(client, &s3.ListBucketsInput{MaxBuckets: aws.Int32(4)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		require.NoError(t, err)
		for _, bk := range out.Buckets {
			names = append(names, aws.ToString(bk.Name))
			require.NotNil(t, bk.CreationDate)
		}
	}
	require.Len(t, names, 11)
	require.Equal(t, aws.ToString(all.Buckets[10].Name), names[10])
}

func TestS3BucketOperations(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 8, Items: 10})
	ctx := context.Background()
	client := s3Client(b.cfg, "us-east-1")
	list, err := client.ListBuckets(ctx, &s3.ListBucketsInput{})
	require.NoError(t, err)
	require.Len(t, list.Buckets, 10)

	regions := map[string]int{}
	var (
		allUsers, logDelivery, ownerFull, legacyEU    bool
		policyStar, noPolicy, tags, noTags, versioned bool
		logging, lifecycle, noLifecycle               bool
	)
	for _, bk := range list.Buckets {
		name := bk.Name
		loc, err := client.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: name})
		require.NoError(t, err)
		regions[string(loc.LocationConstraint)]++
		legacyEU = legacyEU || loc.LocationConstraint == s3types.BucketLocationConstraintEu

		region := aws.ToString(bk.BucketRegion)
		rc := s3Client(b.cfg, region)
		acl, err := rc.GetBucketAcl(ctx, &s3.GetBucketAclInput{Bucket: name})
		require.NoError(t, err)
		require.Equal(t, aws.ToString(list.Owner.ID), aws.ToString(acl.Owner.ID))
		for _, g := range acl.Grants {
			switch {
			case g.Grantee.Type == s3types.TypeGroup && aws.ToString(g.Grantee.URI) == "http://acs.amazonaws.com/groups/global/AllUsers":
				allUsers = true
			case g.Grantee.Type == s3types.TypeGroup && aws.ToString(g.Grantee.URI) == "http://acs.amazonaws.com/groups/s3/LogDelivery":
				logDelivery = true
			case g.Grantee.Type == s3types.TypeCanonicalUser && g.Permission == s3types.PermissionFullControl:
				ownerFull = true
			}
		}

		pol, err := rc.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: name})
		if err != nil {
			require.Equal(t, "NoSuchBucketPolicy", apiCode(t, err))
			noPolicy = true
		} else {
			var doc struct{ Statement []struct{ Principal any } }
			require.NoError(t, json.Unmarshal([]byte(aws.ToString(pol.Policy)), &doc))
			policyStar = policyStar || doc.Statement[0].Principal == "*"
		}

		tg, err := rc.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: name})
		if err != nil {
			require.Equal(t, "NoSuchTagSet", apiCode(t, err))
			noTags = true
		} else {
			tags = tags || len(tg.TagSet) > 0
		}
		v, err := rc.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: name})
		require.NoError(t, err)
		versioned = versioned || v.Status == s3types.BucketVersioningStatusEnabled
		lg, err := rc.GetBucketLogging(ctx, &s3.GetBucketLoggingInput{Bucket: name})
		require.NoError(t, err)
		logging = logging || lg.LoggingEnabled != nil
		lc, err := rc.GetBucketLifecycleConfiguration(ctx, &s3.GetBucketLifecycleConfigurationInput{Bucket: name})
		if err != nil {
			require.Equal(t, "NoSuchLifecycleConfiguration", apiCode(t, err))
			noLifecycle = true
		} else {
			lifecycle = len(lc.Rules) == 1
		}

		_, err = rc.GetBucketWebsite(ctx, &s3.GetBucketWebsiteInput{Bucket: name})
		require.Equal(t, "NoSuchWebsiteConfiguration", apiCode(t, err))
		_, err = rc.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: name})
		require.Equal(t, "NoSuchCORSConfiguration", apiCode(t, err))
		_, err = rc.GetBucketReplication(ctx, &s3.GetBucketReplicationInput{Bucket: name})
		require.Equal(t, "ReplicationConfigurationNotFoundError", apiCode(t, err))
		n, err := rc.GetBucketNotificationConfiguration(ctx, &s3.GetBucketNotificationConfigurationInput{Bucket: name})
		require.NoError(t, err)
		require.Empty(t, n.TopicConfigurations)
		acc, err := rc.GetBucketAccelerateConfiguration(ctx, &s3.GetBucketAccelerateConfigurationInput{Bucket: name})
		require.NoError(t, err)
		require.Empty(t, acc.Status)
		an, err := rc.ListBucketAnalyticsConfigurations(ctx, &s3.ListBucketAnalyticsConfigurationsInput{Bucket: name})
		require.NoError(t, err)
		require.Empty(t, an.AnalyticsConfigurationList)
		me, err := rc.ListBucketMetricsConfigurations(ctx, &s3.ListBucketMetricsConfigurationsInput{Bucket: name})
		require.NoError(t, err)
		require.Empty(t, me.MetricsConfigurationList)
		in, err := rc.ListBucketInventoryConfigurations(ctx, &s3.ListBucketInventoryConfigurationsInput{Bucket: name})
		require.NoError(t, err)
		require.Empty(t, in.InventoryConfigurationList)
	}
	require.Equal(t, 4, regions[""], "us-east-1 buckets have an empty constraint")
	require.Equal(t, 3, regions["us-west-2"])
	require.True(t, legacyEU)
	require.True(t, allUsers)
	require.True(t, logDelivery)
	require.True(t, ownerFull)
	require.True(t, policyStar)
	require.True(t, noPolicy)
	require.True(t, tags)
	require.True(t, noTags)
	require.True(t, versioned)
	require.True(t, logging)
	require.True(t, lifecycle)
	require.True(t, noLifecycle)

	_, err = client.GetBucketAcl(ctx, &s3.GetBucketAclInput{Bucket: aws.String("no-such-bucket")})
	require.Equal(t, "NoSuchBucket", apiCode(t, err))
	_, err = client.GetObject(ctx, &s3.GetObjectInput{Bucket: list.Buckets[0].Name, Key: aws.String("k")})
	require.Equal(t, "NotImplemented", apiCode(t, err))
}
