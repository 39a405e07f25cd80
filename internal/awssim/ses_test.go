package awssim_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ses"
	sestypes "github.com/aws/aws-sdk-go-v2/service/ses/types"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
)

func sesClient(cfg aws.Config, region string) *ses.Client {
	return ses.NewFromConfig(cfg, func(o *ses.Options) { o.Region = region })
}

func TestSES(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 53, Accounts: 2, ItemsPer: map[string]int{"ses": 330}})
	ctx := context.Background()
	id := b.srv.AccountIDs()[0]
	statuses := map[sestypes.VerificationStatus]int{}
	verifiedAddresses := 0
	for _, region := range simRegions {
		c := sesClient(b.cfg, region)
		var names []string
		pages := 0
		p := ses.NewListIdentitiesPaginator(c, &ses.ListIdentitiesInput{MaxItems: aws.Int32(50)})
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			require.NoError(t, err)
			names = append(names, out.Identities...)
			pages++
		}
		require.Len(t, names, 110)
		require.Equal(t, 3, pages)
		for k := 0; k < len(names); k += 99 {
			chunk := names[k:min(k+99, len(names))]
			out, err := c.GetIdentityVerificationAttributes(ctx, &ses.GetIdentityVerificationAttributesInput{
				Identities: append([]string{"nobody@example.com"}, chunk...)})
			require.NoError(t, err)
			require.Len(t, out.VerificationAttributes, len(chunk), "unknown identities left out")
			for _, v := range out.VerificationAttributes {
				statuses[v.VerificationStatus]++
			}
		}
		emails, err := c.ListIdentities(ctx, &ses.ListIdentitiesInput{IdentityType: sestypes.IdentityTypeEmailAddress, MaxItems: aws.Int32(1000)})
		require.NoError(t, err)
		require.Len(t, emails.Identities, 55)
		v, err := c.ListVerifiedEmailAddresses(ctx, &ses.ListVerifiedEmailAddressesInput{})
		require.NoError(t, err)
		verifiedAddresses += len(v.VerifiedEmailAddresses)
	}
	// Below 50: i%4 2 Pending, 3 Failed; above: every 20th follows i%4 (all
	// multiples of 4), the rest Success.
	require.Equal(t, map[sestypes.VerificationStatus]int{"Success": 306, "Pending": 12, "Failed": 12}, statuses)
	require.Equal(t, 165-12, verifiedAddresses, "odd identities are addresses; the i%4 == 3 ones failed")

	c := sesClient(b.cfg, "us-east-1")
	_, err := c.GetIdentityVerificationAttributes(ctx, &ses.GetIdentityVerificationAttributesInput{Identities: make([]string, 101)})
	require.Equal(t, "ValidationError", apiCode(t, err))
	arns, err := b.srv.Mutate(id, "ses", 1)
	require.NoError(t, err)
	require.Equal(t, "arn:aws:ses:us-east-1:"+id+":identity/sim-0.example.com", arns[0])
	out, err := c.GetIdentityVerificationAttributes(ctx, &ses.GetIdentityVerificationAttributesInput{Identities: []string{"sim-0.example.com"}})
	require.NoError(t, err)
	require.Equal(t, sestypes.VerificationStatusPending, out.VerificationAttributes["sim-0.example.com"].VerificationStatus)
}
