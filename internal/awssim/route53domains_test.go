package awssim_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/route53domains"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
)

func r53dClient(cfg aws.Config, region string) *route53domains.Client {
	return route53domains.NewFromConfig(cfg, func(o *route53domains.Options) { o.Region = region })
}

func TestRoute53Domains(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 58, Accounts: 2, ItemsPer: map[string]int{"route53domains": 45}})
	ctx := context.Background()
	id := b.srv.AccountIDs()[1]
	cfg := b.assumed(id)
	c := r53dClient(cfg, "us-east-1")
	var names []string
	pages := 0
	p := route53domains.NewListDomainsPaginator(c, &route53domains.ListDomainsInput{MaxItems: aws.Int32(20)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		require.NoError(t, err)
		pages++
		for _, d := range out.Domains {
			names = append(names, aws.ToString(d.DomainName))
			require.NotNil(t, d.Expiry)
		}
	}
	require.Len(t, names, 45)
	require.Equal(t, 3, pages)
	kinds := map[string]int{}
	sameAdmin := 0
	for _, n := range names {
		out, err := c.GetDomainDetail(ctx, &route53domains.GetDomainDetailInput{DomainName: aws.String(n)})
		require.NoError(t, err)
		require.Equal(t, n, aws.ToString(out.DomainName))
		require.NotNil(t, out.AdminContact)
		require.NotNil(t, out.RegistrantContact)
		kinds[string(out.RegistrantContact.ContactType)]++
		if aws.ToString(out.AdminContact.FirstName) == aws.ToString(out.RegistrantContact.FirstName) {
			sameAdmin++
		}
	}
	require.Equal(t, map[string]int{"PERSON": 15, "COMPANY": 15, "ASSOCIATION": 15}, kinds)
	require.Equal(t, 30, sameAdmin)

	_, err := c.ListDomains(ctx, &route53domains.ListDomainsInput{MaxItems: aws.Int32(101)})
	require.Equal(t, "InvalidInput", apiCode(t, err))
	_, err = r53dClient(cfg, "eu-west-1").ListDomains(ctx, &route53domains.ListDomainsInput{})
	require.Error(t, err, "us-east-1 only")

	arns, err := b.srv.Mutate(id, "route53domains", 1)
	require.NoError(t, err)
	require.Equal(t, "arn:aws:route53domains:us-east-1:"+id+":domain/sim-domain-0.example", arns[0])
	out, err := c.GetDomainDetail(ctx, &route53domains.GetDomainDetailInput{DomainName: aws.String("sim-domain-0.example")})
	require.NoError(t, err)
	require.Equal(t, "+1.5550001", aws.ToString(out.AdminContact.PhoneNumber))
	_, err = b.srv.Delete(id, "route53domains", 1)
	require.NoError(t, err)
	_, err = c.GetDomainDetail(ctx, &route53domains.GetDomainDetailInput{DomainName: aws.String("sim-domain-44.example")})
	require.Equal(t, "InvalidInput", apiCode(t, err))
}
