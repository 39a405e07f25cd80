package awssim_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
)

func TestIAMSAMLProviders(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 63, Accounts: 2, ItemsPer: map[string]int{"samlprovider": 6}})
	ctx := context.Background()
	id := b.srv.AccountIDs()[1]
	c := iam.NewFromConfig(b.assumed(id))
	list, err := c.ListSAMLProviders(ctx, &iam.ListSAMLProvidersInput{})
	require.NoError(t, err)
	require.Len(t, list.SAMLProviderList, 6)
	encryption := 0
	for _, p := range list.SAMLProviderList {
		require.NotNil(t, p.CreateDate)
		require.NotNil(t, p.ValidUntil)
		out, err := c.GetSAMLProvider(ctx, &iam.GetSAMLProviderInput{SAMLProviderArn: p.Arn})
		require.NoError(t, err)
		doc := aws.ToString(out.SAMLMetadataDocument)
		require.Contains(t, doc, "entityID=")
		if strings.Contains(doc, `use="encryption"`) {
			encryption++
		}
	}
	require.Equal(t, 2, encryption, "i%3 == 2")

	arn := aws.String("arn:aws:iam::" + id + ":saml-provider/sim-idp-0")
	before, err := c.GetSAMLProvider(ctx, &iam.GetSAMLProviderInput{SAMLProviderArn: arn})
	require.NoError(t, err)
	_, err = b.srv.Mutate(id, "samlprovider", 1)
	require.NoError(t, err)
	after, err := c.GetSAMLProvider(ctx, &iam.GetSAMLProviderInput{SAMLProviderArn: arn})
	require.NoError(t, err)
	require.NotEqual(t, aws.ToString(before.SAMLMetadataDocument), aws.ToString(after.SAMLMetadataDocument))
	deleted, err := b.srv.Delete(id, "samlprovider", 1)
	require.NoError(t, err)
	_, err = c.GetSAMLProvider(ctx, &iam.GetSAMLProviderInput{SAMLProviderArn: aws.String(deleted[0])})
	var nse *iamtypes.NoSuchEntityException
	require.ErrorAs(t, err, &nse)
}
