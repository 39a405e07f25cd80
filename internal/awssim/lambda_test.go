package awssim_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
)

func TestLambda(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 33, Accounts: 2, ItemsPer: map[string]int{"lambda": 36}})
	ctx := context.Background()
	acct := b.srv.AccountIDs()[0]
	var policies []string
	aliases, versions, mappings, tags := 0, 0, 0, 0
	for _, region := range []string{"us-east-1", "us-west-2", "eu-west-1"} {
		client := lambda.NewFromConfig(b.cfg, func(o *lambda.Options) { o.Region = region })
		var fns []lambdatypes.FunctionConfiguration
		p := lambda.NewListFunctionsPaginator(client, &lambda.ListFunctionsInput{MaxItems: aws.Int32(5)})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			require.NoError(t, err)
			fns = append(fns, page.Functions...)
		}
		require.Len(t, fns, 12)
		for _, fn := range fns {
			require.NotEmpty(t, fn.Runtime)
			require.NotNil(t, fn.TracingConfig)
			a, err := client.ListAliases(ctx, &lambda.ListAliasesInput{FunctionName: fn.FunctionName})
			require.NoError(t, err)
			aliases += len(a.Aliases)
			v, err := client.ListVersionsByFunction(ctx, &lambda.ListVersionsByFunctionInput{FunctionName: fn.FunctionArn})
			require.NoError(t, err)
			versions += len(v.Versions)
			m, err := client.ListEventSourceMappings(ctx, &lambda.ListEventSourceMappingsInput{FunctionName: fn.FunctionName})
			require.NoError(t, err)
			for _, e := range m.EventSourceMappings {
				require.NotNil(t, e.LastModified)
				mappings++
			}
			tg, err := client.ListTags(ctx, &lambda.ListTagsInput{Resource: fn.FunctionArn})
			require.NoError(t, err)
			tags += len(tg.Tags)
			pol, err := client.GetPolicy(ctx, &lambda.GetPolicyInput{FunctionName: fn.FunctionName})
			if err != nil {
				require.Equal(t, "ResourceNotFoundException", apiCode(t, err))
				policies = append(policies, "")
			} else {
				policies = append(policies, aws.ToString(pol.Policy))
			}
			for _, al := range a.Aliases {
				_, err := client.GetPolicy(ctx, &lambda.GetPolicyInput{FunctionName: fn.FunctionName, Qualifier: al.Name})
				if err != nil {
					require.Equal(t, "ResourceNotFoundException", apiCode(t, err))
				}
			}
		}
	}
	requireFlavours(t, policies, true)
	require.Equal(t, 18, aliases)
	require.Equal(t, 36+18, versions)
	require.Equal(t, 12, mappings)
	require.Positive(t, tags)

	client := lambda.NewFromConfig(b.cfg)
	_, err := b.srv.Mutate(acct, "lambda", 1)
	require.NoError(t, err)
	pol, err := client.GetPolicy(ctx, &lambda.GetPolicyInput{FunctionName: aws.String("sim-fn-0")})
	require.NoError(t, err)
	require.Contains(t, aws.ToString(pol.Policy), "sim-mutation-1")
	_, err = client.GetPolicy(ctx, &lambda.GetPolicyInput{FunctionName: aws.String("sim-fn-1")})
	var rnf *lambdatypes.ResourceNotFoundException
	require.ErrorAs(t, err, &rnf, "sim-fn-1 lives in us-west-2")
}
