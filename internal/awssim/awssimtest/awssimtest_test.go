package awssimtest_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/secmonkey/monkey/internal/awssim"
	"github.com/secmonkey/monkey/internal/awssim/awssimtest"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func TestStartConfig(t *testing.T) {
	t.Parallel()
	endpoint, srv := awssimtest.Start(t, awssim.Options{Seed: 1, Items: 2})
	cfg := awssimtest.Config(t, endpoint)
	require.Equal(t, "us-east-1", cfg.Region)
	require.Equal(t, endpoint, aws.ToString(cfg.BaseEndpoint))

	ctx := context.Background()
	id, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	require.NoError(t, err)
	require.Equal(t, srv.AccountIDs()[0], aws.ToString(id.Account))

	out, err := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true }).ListBuckets(ctx, &s3.ListBucketsInput{})
	require.NoError(t, err)
	require.Len(t, out.Buckets, 2)
}
