package awssim_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
)

func TestKMS(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 32, Accounts: 2, ItemsPer: map[string]int{"kms": 45}})
	ctx := context.Background()
	acct := b.srv.AccountIDs()[0]
	var policies []string
	denied, grants, rotationOff, aliases := 0, 0, 0, 0
	for _, region := range []string{"us-east-1", "us-west-2", "eu-west-1"} {
		client := kms.NewFromConfig(b.cfg, func(o *kms.Options) { o.Region = region })
		ap := kms.NewListAliasesPaginator(client, &kms.ListAliasesInput{Limit: aws.Int32(4)})
		for ap.HasMorePages() {
			page, err := ap.NextPage(ctx)
			require.NoError(t, err)
			aliases += len(page.Aliases)
		}
		var keys []kmstypes.KeyListEntry
		p := kms.NewListKeysPaginator(client, &kms.ListKeysInput{Limit: aws.Int32(4)})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			require.NoError(t, err)
			keys = append(keys, page.Keys...)
		}
		require.Len(t, keys, 15)
		for _, k := range keys {
			d, err := client.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: k.KeyId})
			if err != nil {
				require.Equal(t, "AccessDeniedException", apiCode(t, err))
				denied++
				continue
			}
			require.Equal(t, aws.ToString(k.KeyArn), aws.ToString(d.KeyMetadata.Arn))
			require.NotNil(t, d.KeyMetadata.CreationDate)
			g, err := client.ListGrants(ctx, &kms.ListGrantsInput{KeyId: k.KeyArn})
			require.NoError(t, err)
			grants += len(g.Grants)
			pol, err := client.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: k.KeyId, PolicyName: aws.String("default")})
			require.NoError(t, err)
			policies = append(policies, aws.ToString(pol.Policy))
			r, err := client.GetKeyRotationStatus(ctx, &kms.GetKeyRotationStatusInput{KeyId: k.KeyId})
			require.NoError(t, err)
			if !r.KeyRotationEnabled {
				rotationOff++
			}
		}
	}
	requireFlavours(t, policies, false)
	require.Equal(t, 4, denied, "keys 10, 21, 32, 43")
	require.Positive(t, grants)
	require.Positive(t, rotationOff)
	require.Equal(t, 45-9+9, aliases, "9 keys without alias, 9 with two")

	client := kms.NewFromConfig(b.cfg)
	arns, err := b.srv.Mutate(acct, "kms", 1)
	require.NoError(t, err)
	pol, err := client.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: aws.String(arns[0]), PolicyName: aws.String("default")})
	require.NoError(t, err)
	require.Contains(t, aws.ToString(pol.Policy), "sim-mutation-1")
	deleted, err := b.srv.Delete(acct, "kms", 1)
	require.NoError(t, err)
	_, err = kms.NewFromConfig(b.cfg, func(o *kms.Options) { o.Region = "eu-west-1" }).DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(deleted[0])})
	var nf *kmstypes.NotFoundException
	require.ErrorAs(t, err, &nf)
}
