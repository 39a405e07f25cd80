package awssim_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	es "github.com/aws/aws-sdk-go-v2/service/elasticsearchservice"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
)

func TestElasticsearch(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 36, Accounts: 2, ItemsPer: map[string]int{"elasticsearchservice": 36}})
	ctx := context.Background()
	acct := b.srv.AccountIDs()[0]
	var policies []string
	for _, region := range []string{"us-east-1", "us-west-2", "eu-west-1"} {
		client := es.NewFromConfig(b.cfg, func(o *es.Options) { o.Region = region })
		names, err := client.ListDomainNames(ctx, &es.ListDomainNamesInput{})
		require.NoError(t, err)
		require.Len(t, names.DomainNames, 12)
		for k := 0; k < 12; k += 4 {
			var batch []string
			for _, d := range names.DomainNames[k:min(k+4, 12)] {
				batch = append(batch, aws.ToString(d.DomainName))
			}
			out, err := client.DescribeElasticsearchDomains(ctx, &es.DescribeElasticsearchDomainsInput{DomainNames: append(batch, "nosuch")})
			require.NoError(t, err)
			require.Len(t, out.DomainStatusList, len(batch))
			for _, d := range out.DomainStatusList {
				require.Contains(t, aws.ToString(d.ARN), ":"+region+":"+acct+":domain/")
				policies = append(policies, aws.ToString(d.AccessPolicies))
			}
		}
	}
	requireFlavours(t, policies, true)
	_, err := es.NewFromConfig(b.cfg).DescribeElasticsearchDomains(ctx, &es.DescribeElasticsearchDomainsInput{DomainNames: []string{"a", "b", "c", "d", "e", "f"}})
	require.Equal(t, "ValidationException", apiCode(t, err))

	_, err = b.srv.Mutate(acct, "elasticsearchservice", 1)
	require.NoError(t, err)
	out, err := es.NewFromConfig(b.cfg).DescribeElasticsearchDomains(ctx, &es.DescribeElasticsearchDomainsInput{DomainNames: []string{"sim-es-0"}})
	require.NoError(t, err)
	require.Contains(t, aws.ToString(out.DomainStatusList[0].AccessPolicies), "sim-mutation-1")
}
