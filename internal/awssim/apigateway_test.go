package awssim_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
)

func TestAPIGateway(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 41, Accounts: 2, ItemsPer: map[string]int{"apigateway": 36}})
	ctx := context.Background()
	acct := b.srv.AccountIDs()[0]
	var policies []string
	for _, region := range []string{"us-east-1", "us-west-2", "eu-west-1"} {
		client := apigateway.NewFromConfig(b.cfg, func(o *apigateway.Options) { o.Region = region })
		n := 0
		p := apigateway.NewGetRestApisPaginator(client, &apigateway.GetRestApisInput{Limit: aws.Int32(5)})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			require.NoError(t, err)
			for _, api := range page.Items {
				require.NotNil(t, api.CreatedDate)
				require.NotNil(t, api.EndpointConfiguration)
				// API Gateway escapes the quotes of the policy document.
				policies = append(policies, strings.ReplaceAll(aws.ToString(api.Policy), `\"`, `"`))
				n++
			}
		}
		require.Equal(t, 12, n)
	}
	requireFlavours(t, policies, true)
	_, err := b.srv.Mutate(acct, "apigateway", 1)
	require.NoError(t, err)
	out, err := apigateway.NewFromConfig(b.cfg).GetRestApis(ctx, &apigateway.GetRestApisInput{Limit: aws.Int32(1)})
	require.NoError(t, err)
	require.Contains(t, aws.ToString(out.Items[0].Policy), "sim-mutation-1")
}
