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

func keyPairs(t *testing.T, cfg aws.Config, region string) []ec2types.KeyPairInfo {
	t.Helper()
	out, err := regionClient(cfg, region).DescribeKeyPairs(context.Background(), &ec2.DescribeKeyPairsInput{})
	require.NoError(t, err)
	return out.KeyPairs
}

func TestEC2KeyPairs(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 15, Items: 9, Accounts: 1})
	id := b.srv.AccountIDs()[0]
	n := 0
	for _, region := range simRegions {
		for _, k := range keyPairs(t, b.cfg, region) {
			n++
			require.Regexp(t, `^sim-key-\d+$`, aws.ToString(k.KeyName))
			require.Regexp(t, `^key-[0-9a-f]{17}$`, aws.ToString(k.KeyPairId))
			require.Regexp(t, `^[0-9a-f]{2}(:[0-9a-f]{2}){15}((:[0-9a-f]{2}){4})?$`, aws.ToString(k.KeyFingerprint))
			require.NotEmpty(t, k.KeyType)
			require.NotNil(t, k.CreateTime)
		}
	}
	require.Equal(t, 9, n)

	first := keyPairs(t, b.cfg, "us-east-1")[0]
	arns, err := b.srv.Mutate(id, "keypair", 1)
	require.NoError(t, err)
	require.Equal(t, "arn:aws:ec2:us-east-1:"+id+":key-pair/sim-key-0", arns[0])
	after := keyPairs(t, b.cfg, "us-east-1")[0]
	require.Equal(t, first.KeyName, after.KeyName)
	require.NotEqual(t, aws.ToString(first.KeyFingerprint), aws.ToString(after.KeyFingerprint))
	_, err = b.srv.Delete(id, "keypair", 1)
	require.NoError(t, err)
	require.Len(t, keyPairs(t, b.cfg, "eu-west-1"), 2)
}
