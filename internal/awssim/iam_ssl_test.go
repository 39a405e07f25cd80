package awssim_test

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
)

func TestIAMServerCertificates(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 61, Accounts: 2, ItemsPer: map[string]int{"iamssl": 12}})
	ctx := context.Background()
	id := b.srv.AccountIDs()[1]
	c := iam.NewFromConfig(b.assumed(id))
	var names []string
	pages := 0
	p := iam.NewListServerCertificatesPaginator(c, &iam.ListServerCertificatesInput{MaxItems: aws.Int32(5)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		require.NoError(t, err)
		pages++
		for _, m := range out.ServerCertificateMetadataList {
			names = append(names, aws.ToString(m.ServerCertificateName))
			require.NotNil(t, m.Expiration)
			require.NotNil(t, m.UploadDate)
		}
	}
	require.Len(t, names, 12)
	require.Equal(t, 3, pages)
	algs := map[x509.SignatureAlgorithm]int{}
	for _, n := range names {
		out, err := c.GetServerCertificate(ctx, &iam.GetServerCertificateInput{ServerCertificateName: aws.String(n)})
		require.NoError(t, err)
		block, _ := pem.Decode([]byte(aws.ToString(out.ServerCertificate.CertificateBody)))
		require.NotNil(t, block, n)
		cert, err := x509.ParseCertificate(block.Bytes)
		require.NoError(t, err, n)
		algs[cert.SignatureAlgorithm]++
		require.True(t, cert.NotAfter.Equal(*out.ServerCertificate.ServerCertificateMetadata.Expiration), n)
	}
	require.Equal(t, map[x509.SignatureAlgorithm]int{x509.SHA256WithRSA: 7, x509.SHA1WithRSA: 3, x509.MD5WithRSA: 2}, algs)
	cf, err := c.ListServerCertificates(ctx, &iam.ListServerCertificatesInput{PathPrefix: aws.String("/cloudfront/")})
	require.NoError(t, err)
	require.Len(t, cf.ServerCertificateMetadataList, 1, "sim-ssl-6")

	before, err := c.GetServerCertificate(ctx, &iam.GetServerCertificateInput{ServerCertificateName: aws.String("sim-ssl-0")})
	require.NoError(t, err)
	_, err = b.srv.Mutate(id, "iamssl", 1)
	require.NoError(t, err)
	after, err := c.GetServerCertificate(ctx, &iam.GetServerCertificateInput{ServerCertificateName: aws.String("sim-ssl-0")})
	require.NoError(t, err)
	require.NotEqual(t, aws.ToString(before.ServerCertificate.CertificateBody), aws.ToString(after.ServerCertificate.CertificateBody))
	require.Equal(t, 24.0, after.ServerCertificate.ServerCertificateMetadata.Expiration.Sub(*before.ServerCertificate.ServerCertificateMetadata.Expiration).Hours())

	arns, err := b.srv.Delete(id, "iamssl", 1)
	require.NoError(t, err)
	require.Equal(t, "arn:aws:iam::"+id+":server-certificate/sim-ssl-11", arns[0])
	_, err = c.GetServerCertificate(ctx, &iam.GetServerCertificateInput{ServerCertificateName: aws.String("sim-ssl-11")})
	var nse *iamtypes.NoSuchEntityException
	require.ErrorAs(t, err, &nse)
}
