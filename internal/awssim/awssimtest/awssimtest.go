// Package awssimtest starts an awssim endpoint for tests of other packages.
package awssimtest

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
)

// Start runs a simulated AWS endpoint on a free loopback port for the
// duration of the test and returns its URL and the server (for AccountIDs,
// Mutate, SetFaults, Calls …). It is closed in t.Cleanup.
func Start(t testing.TB, opts awssim.Options) (endpoint string, srv *awssim.Server) {
	t.Helper()
	srv, err := awssim.New(opts)
	require.NoError(t, err)
	endpoint, err = srv.Start("127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, srv.Close()) })
	return endpoint, srv
}

// Config returns an aws.Config that reaches endpoint with static base
// credentials (AKID "test", which acts in the first simulated account),
// region us-east-1, BaseEndpoint set and at most 3 attempts per call.
//
// S3 clients MUST use path-style addressing, otherwise the SDK puts the
// bucket in the host name:
//
//	s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
//
// To act in another account, wrap the config with stscreds.NewAssumeRoleProvider
// for arn:aws:iam::<account id>:role/<any name>.
func Config(t testing.TB, endpoint string) aws.Config {
	t.Helper()
	return aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint: aws.String(endpoint),
		Retryer: func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) { o.MaxAttempts = 3 })
		},
	}
}
