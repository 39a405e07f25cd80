package awssim_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/acm"
	acmtypes "github.com/aws/aws-sdk-go-v2/service/acm/types"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
)

func acmClient(cfg aws.Config, region string) *acm.Client {
	return acm.NewFromConfig(cfg, func(o *acm.Options) { o.Region = region })
}

func TestACM(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 56, Accounts: 2, ItemsPer: map[string]int{"acm": 60}})
	ctx := context.Background()
	id := b.srv.AccountIDs()[1]
	cfg := b.assumed(id)
	allKeys := &acmtypes.Filters{KeyTypes: acmtypes.KeyAlgorithm("").Values()}
	statuses := map[acmtypes.CertificateStatus]int{}
	types := map[acmtypes.CertificateType]int{}
	keys := map[acmtypes.KeyAlgorithm]int{}
	renewing, inUse := 0, 0
	for _, region := range simRegions {
		c := acmClient(cfg, region)
		var arns []string
		pages := 0
		p := acm.NewListCertificatesPaginator(c, &acm.ListCertificatesInput{MaxItems: aws.Int32(8), Includes: allKeys})
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			require.NoError(t, err)
			pages++
			for _, s := range out.CertificateSummaryList {
				arns = append(arns, aws.ToString(s.CertificateArn))
				require.NotNil(t, s.NotAfter)
			}
		}
		require.Len(t, arns, 20)
		require.Equal(t, 3, pages)
		rsa, err := c.ListCertificates(ctx, &acm.ListCertificatesInput{MaxItems: aws.Int32(1000)})
		require.NoError(t, err)
		require.Len(t, rsa.CertificateSummaryList, 16, "by default, RSA_2048 keys only")
		for _, arn := range arns {
			out, err := c.DescribeCertificate(ctx, &acm.DescribeCertificateInput{CertificateArn: aws.String(arn)})
			require.NoError(t, err)
			cert := out.Certificate
			require.Equal(t, arn, aws.ToString(cert.CertificateArn))
			require.NotEmpty(t, aws.ToString(cert.DomainName))
			require.NotNil(t, cert.NotAfter)
			require.NotEmpty(t, cert.KeyUsages)
			statuses[cert.Status]++
			types[cert.Type]++
			keys[cert.KeyAlgorithm]++
			if cert.RenewalSummary != nil {
				renewing++
				require.NotNil(t, cert.RenewalSummary.UpdatedAt)
			}
			if len(cert.InUseBy) > 0 {
				inUse++
			}
		}
	}
	// Below 50 i%4: 0 issued, 1 imported, 2 issued renewing, 3 imported expired;
	// 50..59: 60 is the next 20th, so all variant 0.
	require.Equal(t, map[acmtypes.CertificateStatus]int{"ISSUED": 48, "EXPIRED": 12}, statuses)
	require.Equal(t, map[acmtypes.CertificateType]int{"AMAZON_ISSUED": 35, "IMPORTED": 25}, types)
	require.Equal(t, map[acmtypes.KeyAlgorithm]int{"RSA_2048": 48, "EC_prime256v1": 12}, keys)
	require.Equal(t, 12, renewing)
	require.Equal(t, 23, inUse)

	c := acmClient(cfg, "us-east-1")
	arns, err := b.srv.Mutate(id, "acm", 1)
	require.NoError(t, err)
	out, err := c.DescribeCertificate(ctx, &acm.DescribeCertificateInput{CertificateArn: aws.String(arns[0])})
	require.NoError(t, err)
	require.Len(t, out.Certificate.InUseBy, 2)
	require.Contains(t, out.Certificate.InUseBy[1], "/sim-mutation-1/")

	deleted, err := b.srv.Delete(id, "acm", 1)
	require.NoError(t, err)
	_, err = acmClient(cfg, "eu-west-1").DescribeCertificate(ctx, &acm.DescribeCertificateInput{CertificateArn: aws.String(deleted[0])})
	var nf *acmtypes.ResourceNotFoundException
	require.ErrorAs(t, err, &nf)
	_, err = acmClient(cfg, "eu-west-1").DescribeCertificate(ctx, &acm.DescribeCertificateInput{CertificateArn: aws.String(arns[0])})
	require.ErrorAs(t, err, &nf, "a certificate of another region")
}
