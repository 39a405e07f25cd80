package awssim_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codeartifact"
	catypes "github.com/aws/aws-sdk-go-v2/service/codeartifact/types"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
)

func TestCodeArtifact(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 43, Accounts: 2, ItemsPer: map[string]int{"codeartifactrepository": 36}})
	ctx := context.Background()
	acct := b.srv.AccountIDs()[0]
	var policies []string
	for _, region := range []string{"us-east-1", "us-west-2", "eu-west-1"} {
		client := codeartifact.NewFromConfig(b.cfg, func(o *codeartifact.Options) { o.Region = region })
		var repos []catypes.RepositorySummary
		p := codeartifact.NewListRepositoriesPaginator(client, &codeartifact.ListRepositoriesInput{MaxResults: aws.Int32(5)})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			require.NoError(t, err)
			repos = append(repos, page.Repositories...)
		}
		require.Len(t, repos, 12)
		for _, r := range repos {
			require.NotNil(t, r.CreatedTime)
			out, err := client.GetRepositoryPermissionsPolicy(ctx, &codeartifact.GetRepositoryPermissionsPolicyInput{
				Domain: r.DomainName, DomainOwner: r.DomainOwner, Repository: r.Name})
			if err != nil {
				var nf *catypes.ResourceNotFoundException
				require.ErrorAs(t, err, &nf)
				policies = append(policies, "")
				continue
			}
			require.Equal(t, aws.ToString(r.Arn), aws.ToString(out.Policy.ResourceArn))
			policies = append(policies, aws.ToString(out.Policy.Document))
		}
	}
	requireFlavours(t, policies, true)
	_, err := b.srv.Mutate(acct, "codeartifactrepository", 1)
	require.NoError(t, err)
	out, err := codeartifact.NewFromConfig(b.cfg).GetRepositoryPermissionsPolicy(ctx, &codeartifact.GetRepositoryPermissionsPolicyInput{
		Domain: aws.String("sim-domain"), Repository: aws.String("sim-pkgs-0")})
	require.NoError(t, err)
	require.Contains(t, aws.ToString(out.Policy.Document), "sim-mutation-1")
}
