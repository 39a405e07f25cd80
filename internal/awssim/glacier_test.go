package awssim_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier"
	glaciertypes "github.com/aws/aws-sdk-go-v2/service/glacier/types"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
)

func TestGlacier(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 35, Accounts: 2, ItemsPer: map[string]int{"glacier": 36}})
	ctx := context.Background()
	acct := b.srv.AccountIDs()[0]
	var policies []string
	tagged := 0
	for _, region := range []string{"us-east-1", "us-west-2", "eu-west-1"} {
		client := glacier.NewFromConfig(b.cfg, func(o *glacier.Options) { o.Region = region })
		var vaults []glaciertypes.DescribeVaultOutput
		p := glacier.NewListVaultsPaginator(client, &glacier.ListVaultsInput{AccountId: aws.String("-"), Limit: aws.Int32(5)})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			require.NoError(t, err)
			vaults = append(vaults, page.VaultList...)
		}
		require.Len(t, vaults, 12)
		for _, v := range vaults {
			require.NotNil(t, v.CreationDate)
			pol, err := client.GetVaultAccessPolicy(ctx, &glacier.GetVaultAccessPolicyInput{AccountId: aws.String(acct), VaultName: v.VaultName})
			if err != nil {
				var nf *glaciertypes.ResourceNotFoundException
				require.ErrorAs(t, err, &nf)
				policies = append(policies, "")
			} else {
				policies = append(policies, aws.ToString(pol.Policy.Policy))
			}
			tags, err := client.ListTagsForVault(ctx, &glacier.ListTagsForVaultInput{AccountId: aws.String("-"), VaultName: v.VaultName})
			require.NoError(t, err)
			if len(tags.Tags) > 0 {
				tagged++
			}
		}
	}
	requireFlavours(t, policies, true)
	require.Positive(t, tagged)

	client := glacier.NewFromConfig(b.cfg)
	_, err := b.srv.Mutate(acct, "glacier", 1)
	require.NoError(t, err)
	pol, err := client.GetVaultAccessPolicy(ctx, &glacier.GetVaultAccessPolicyInput{AccountId: aws.String("-"), VaultName: aws.String("sim-vault-0")})
	require.NoError(t, err)
	require.Contains(t, aws.ToString(pol.Policy.Policy), "sim-mutation-1")
	_, err = client.ListTagsForVault(ctx, &glacier.ListTagsForVaultInput{AccountId: aws.String("-"), VaultName: aws.String("sim-vault-1")})
	var nf *glaciertypes.ResourceNotFoundException
	require.ErrorAs(t, err, &nf, "sim-vault-1 lives in us-west-2")
}
