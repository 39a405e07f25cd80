package awssim_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	snstypes "github.com/aws/aws-sdk-go-v2/service/sns/types"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
)

func TestSNS(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 34, Accounts: 2, ItemsPer: map[string]int{"sns": 630}})
	ctx := context.Background()
	acct := b.srv.AccountIDs()[0]
	var policies []string
	owners := map[string]int{}
	for _, region := range []string{"us-east-1", "us-west-2", "eu-west-1"} {
		client := sns.NewFromConfig(b.cfg, func(o *sns.Options) { o.Region = region })
		var topics []snstypes.Topic
		pages := 0
		p := sns.NewListTopicsPaginator(client, &sns.ListTopicsInput{})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			require.NoError(t, err)
			topics = append(topics, page.Topics...)
			pages++
		}
		require.Len(t, topics, 210)
		require.Equal(t, 3, pages, "100 a page")
		for _, tp := range topics[:20] {
			out, err := client.GetTopicAttributes(ctx, &sns.GetTopicAttributesInput{TopicArn: tp.TopicArn})
			require.NoError(t, err)
			require.Equal(t, acct, out.Attributes["Owner"])
			policies = append(policies, out.Attributes["Policy"])
		}
		sp := sns.NewListSubscriptionsPaginator(client, &sns.ListSubscriptionsInput{})
		for sp.HasMorePages() {
			page, err := sp.NextPage(ctx)
			require.NoError(t, err)
			for _, s := range page.Subscriptions {
				require.NotEmpty(t, aws.ToString(s.TopicArn))
				owners[aws.ToString(s.Owner)]++
			}
		}
	}
	requireFlavours(t, policies, false)
	require.Len(t, owners, 3, "own, next and stranger owners")

	client := sns.NewFromConfig(b.cfg)
	arns, err := b.srv.Mutate(acct, "sns", 1)
	require.NoError(t, err)
	out, err := client.GetTopicAttributes(ctx, &sns.GetTopicAttributesInput{TopicArn: aws.String(arns[0])})
	require.NoError(t, err)
	require.Contains(t, out.Attributes["Policy"], "sim-mutation-1")
	_, err = client.GetTopicAttributes(ctx, &sns.GetTopicAttributesInput{TopicArn: aws.String(arns[0] + "9")})
	var nf *snstypes.NotFoundException
	require.ErrorAs(t, err, &nf)
}
