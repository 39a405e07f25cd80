package awssim_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
)

func TestSQS(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 31, Accounts: 2, ItemsPer: map[string]int{"sqs": 36}})
	ctx := context.Background()
	acct := b.srv.AccountIDs()[0]
	var policies []string
	dlq, tagged, untagged := 0, 0, 0
	for _, region := range []string{"us-east-1", "us-west-2", "eu-west-1"} {
		client := sqs.NewFromConfig(b.cfg, func(o *sqs.Options) { o.Region = region })
		var urls []string
		p := sqs.NewListQueuesPaginator(client, &sqs.ListQueuesInput{MaxResults: aws.Int32(5)})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			require.NoError(t, err)
			require.LessOrEqual(t, len(page.QueueUrls), 5)
			urls = append(urls, page.QueueUrls...)
		}
		require.Len(t, urls, 12)
		for _, u := range urls {
			a, err := client.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: aws.String(u),
				AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameAll}})
			require.NoError(t, err)
			require.Contains(t, a.Attributes["QueueArn"], ":"+region+":"+acct+":sim-queue-")
			policies = append(policies, a.Attributes["Policy"])
			tags, err := client.ListQueueTags(ctx, &sqs.ListQueueTagsInput{QueueUrl: aws.String(u)})
			require.NoError(t, err)
			if len(tags.Tags) > 0 {
				tagged++
			} else {
				untagged++
			}
			src, err := client.ListDeadLetterSourceQueues(ctx, &sqs.ListDeadLetterSourceQueuesInput{QueueUrl: aws.String(u)})
			require.NoError(t, err)
			dlq += len(src.QueueUrls)
		}
	}
	requireFlavours(t, policies, true)
	require.Positive(t, dlq)
	require.Positive(t, tagged)
	require.Positive(t, untagged)

	client := sqs.NewFromConfig(b.cfg)
	u := "https://sqs.us-east-1.amazonaws.com/" + acct + "/sim-queue-0"
	_, err := b.srv.Mutate(acct, "sqs", 1)
	require.NoError(t, err)
	a, err := client.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: aws.String(u)})
	require.NoError(t, err)
	require.Contains(t, a.Attributes["Policy"], "sim-mutation-1")
	require.Equal(t, "31", a.Attributes["VisibilityTimeout"])

	_, err = client.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: aws.String(u + "1")})
	var qne *sqstypes.QueueDoesNotExist
	require.ErrorAs(t, err, &qne)
	deleted, err := b.srv.Delete(acct, "sqs", 1)
	require.NoError(t, err)
	require.Equal(t, []string{"arn:aws:sqs:eu-west-1:" + acct + ":sim-queue-35"}, deleted)
	out, err := sqs.NewFromConfig(b.cfg, func(o *sqs.Options) { o.Region = "eu-west-1" }).ListQueues(ctx, &sqs.ListQueuesInput{})
	require.NoError(t, err)
	require.Len(t, out.QueueUrls, 11)
}
