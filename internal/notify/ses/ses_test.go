package ses_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
	"github.com/secmonkey/monkey/internal/awssim/awssimtest"
	"github.com/secmonkey/monkey/internal/notify"
	"github.com/secmonkey/monkey/internal/notify/ses"
)

var sample = notify.Message{Kind: notify.KindTest, Account: "alpha", Subject: "[alpha] Changes in Security Groups",
	Text: "plain body", HTML: "<p>html body</p>"}

// TestSendThroughSimulatedSES: the real SDK sends SendRawEmail to the
// simulator, whose outbox holds the message.
func TestSendThroughSimulatedSES(t *testing.T) {
	t.Parallel()
	endpoint, sim := awssimtest.Start(t, awssim.Options{Accounts: 1, Seed: 1})
	cfg := awssimtest.Config(t, endpoint)
	cfg.Region = "eu-west-1"
	n, err := ses.NewFromConfig(ses.Config{From: "monkey@example.com"}, cfg)
	require.NoError(t, err)
	ctx := context.Background()

	retry, err := n.Notify(ctx, "alice@example.com", sample)
	require.NoError(t, err)
	require.False(t, retry)
	sent := sim.SentEmails()
	require.Len(t, sent, 1)
	m := sent[0]
	require.Equal(t, "SendRawEmail", m.Operation)
	require.Equal(t, "eu-west-1", m.Region)
	require.Equal(t, "monkey@example.com", m.Source)
	require.Equal(t, []string{"alice@example.com"}, m.To)
	require.Equal(t, sample.Subject, m.Subject)
	require.Contains(t, m.Raw, "multipart/alternative")
	require.Contains(t, m.Raw, "plain body")
	require.Contains(t, m.Raw, "<p>html body</p>")

	// A refused address is final.
	retry, err = n.Notify(ctx, "no-domain", sample)
	require.Error(t, err)
	require.False(t, retry)

	// Throttling is retried (after the SDK's own attempts).
	require.NoError(t, sim.SetFaults(awssim.Faults{ThrottleRate: 1}))
	retry, err = n.Notify(ctx, "bob@example.com", sample)
	require.Error(t, err)
	require.True(t, retry)
	require.Len(t, sim.SentEmails(), 1)
}
