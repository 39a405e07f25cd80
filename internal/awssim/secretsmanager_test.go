package awssim_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	smtypes "github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
)

func TestSecretsManager(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 38, Accounts: 2, ItemsPer: map[string]int{"secretsmanager": 36}})
	ctx := context.Background()
	acct := b.srv.AccountIDs()[0]
	var policies []string
	rotating := 0
	for _, region := range []string{"us-east-1", "us-west-2", "eu-west-1"} {
		client := sm.NewFromConfig(b.cfg, func(o *sm.Options) { o.Region = region })
		var secrets []smtypes.SecretListEntry
		p := sm.NewListSecretsPaginator(client, &sm.ListSecretsInput{MaxResults: aws.Int32(5)})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			require.NoError(t, err)
			secrets = append(secrets, page.SecretList...)
		}
		require.Len(t, secrets, 12)
		for _, s := range secrets {
			require.NotNil(t, s.CreatedDate)
			if aws.ToBool(s.RotationEnabled) {
				require.NotNil(t, s.RotationRules)
				rotating++
			}
			out, err := client.GetResourcePolicy(ctx, &sm.GetResourcePolicyInput{SecretId: s.ARN})
			require.NoError(t, err)
			require.Equal(t, aws.ToString(s.Name), aws.ToString(out.Name))
			policies = append(policies, aws.ToString(out.ResourcePolicy))
		}
	}
	requireFlavours(t, policies, true)
	require.Equal(t, 18, rotating)
	_, err := b.srv.Mutate(acct, "secretsmanager", 1)
	require.NoError(t, err)
	client := sm.NewFromConfig(b.cfg)
	out, err := client.GetResourcePolicy(ctx, &sm.GetResourcePolicyInput{SecretId: aws.String("sim-secret-0")})
	require.NoError(t, err)
	require.Contains(t, aws.ToString(out.ResourcePolicy), "sim-mutation-1")
	_, err = client.GetSecretValue(ctx, &sm.GetSecretValueInput{SecretId: aws.String("sim-secret-0")})
	require.Equal(t, "UnknownOperationException", apiCode(t, err), "no secret value is ever served")
	_, err = client.GetResourcePolicy(ctx, &sm.GetResourcePolicyInput{SecretId: aws.String("sim-secret-1")})
	var nf *smtypes.ResourceNotFoundException
	require.ErrorAs(t, err, &nf, "sim-secret-1 lives in us-west-2")
}
