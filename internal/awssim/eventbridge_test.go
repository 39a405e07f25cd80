package awssim_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
)

func TestEventBridge(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 40, Accounts: 2, ItemsPer: map[string]int{"eventbus": 36}})
	ctx := context.Background()
	acct := b.srv.AccountIDs()[0]
	var policies []string
	for _, region := range []string{"us-east-1", "us-west-2", "eu-west-1"} {
		client := eventbridge.NewFromConfig(b.cfg, func(o *eventbridge.Options) { o.Region = region })
		n := 0
		var token *string
		for {
			out, err := client.ListEventBuses(ctx, &eventbridge.ListEventBusesInput{Limit: aws.Int32(5), NextToken: token})
			require.NoError(t, err)
			for _, bus := range out.EventBuses {
				require.NotNil(t, bus.CreationTime)
				policies = append(policies, aws.ToString(bus.Policy))
				n++
			}
			if token = out.NextToken; token == nil {
				break
			}
		}
		require.Equal(t, 12, n)
	}
	requireFlavours(t, policies, true)
	_, err := b.srv.Mutate(acct, "eventbus", 1)
	require.NoError(t, err)
	out, err := eventbridge.NewFromConfig(b.cfg).ListEventBuses(ctx, &eventbridge.ListEventBusesInput{Limit: aws.Int32(1)})
	require.NoError(t, err)
	require.Contains(t, aws.ToString(out.EventBuses[0].Policy), "sim-mutation-1")
}
