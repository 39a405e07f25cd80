package awssim_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	ecrtypes "github.com/aws/aws-sdk-go-v2/service/ecr/types"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
)

func TestECR(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 37, Accounts: 2, ItemsPer: map[string]int{"ecrrepository": 36}})
	ctx := context.Background()
	acct := b.srv.AccountIDs()[0]
	var policies []string
	for _, region := range []string{"us-east-1", "us-west-2", "eu-west-1"} {
		client := ecr.NewFromConfig(b.cfg, func(o *ecr.Options) { o.Region = region })
		var repos []ecrtypes.Repository
		p := ecr.NewDescribeRepositoriesPaginator(client, &ecr.DescribeRepositoriesInput{MaxResults: aws.Int32(5)})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			require.NoError(t, err)
			repos = append(repos, page.Repositories...)
		}
		require.Len(t, repos, 12)
		for _, r := range repos {
			require.NotNil(t, r.CreatedAt)
			require.NotEmpty(t, r.ImageTagMutability)
			out, err := client.GetRepositoryPolicy(ctx, &ecr.GetRepositoryPolicyInput{RepositoryName: r.RepositoryName, RegistryId: r.RegistryId})
			if err != nil {
				var nf *ecrtypes.RepositoryPolicyNotFoundException
				require.ErrorAs(t, err, &nf)
				policies = append(policies, "")
				continue
			}
			policies = append(policies, aws.ToString(out.PolicyText))
		}
	}
	requireFlavours(t, policies, true)
	_, err := b.srv.Mutate(acct, "ecrrepository", 1)
	require.NoError(t, err)
	client := ecr.NewFromConfig(b.cfg)
	out, err := client.GetRepositoryPolicy(ctx, &ecr.GetRepositoryPolicyInput{RepositoryName: aws.String("sim-repo-0")})
	require.NoError(t, err)
	require.Contains(t, aws.ToString(out.PolicyText), "sim-mutation-1")
	_, err = client.GetRepositoryPolicy(ctx, &ecr.GetRepositoryPolicyInput{RepositoryName: aws.String("sim-repo-1")})
	var nf *ecrtypes.RepositoryNotFoundException
	require.ErrorAs(t, err, &nf, "sim-repo-1 lives in us-west-2")
}
