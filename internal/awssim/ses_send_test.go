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

// TestSESSendEmail: SendEmail and SendRawEmail land in the outbox tests
// read; refused input is refused as SES does.
func TestSESSendEmail(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 1, Accounts: 1})
	ctx := context.Background()
	c := sesClient(b.cfg, "us-west-2")
	out, err := c.SendEmail(ctx, &ses.SendEmailInput{
		Source:      aws.String("monkey@example.com"),
		Destination: &sestypes.Destination{ToAddresses: []string{"a@example.com"}, CcAddresses: []string{"b@example.com"}},
		Message: &sestypes.Message{Subject: &sestypes.Content{Data: aws.String("hello")},
			Body: &sestypes.Body{Text: &sestypes.Content{Data: aws.String("text")}, Html: &sestypes.Content{Data: aws.String("<p>html</p>")}}},
	})
	require.NoError(t, err)
	require.NotEmpty(t, aws.ToString(out.MessageId))
	raw := "From: monkey@example.com\r\nTo: c@example.com\r\nSubject: =?UTF-8?q?r=C3=A9sum=C3=A9?=\r\n\r\nbody\r\n"
	_, err = c.SendRawEmail(ctx, &ses.SendRawEmailInput{RawMessage: &sestypes.RawMessage{Data: []byte(raw)}})
	require.NoError(t, err)

	sent := b.srv.SentEmails()
	require.Len(t, sent, 2)
	require.Equal(t, awssim.SentEmail{MessageID: aws.ToString(out.MessageId), Account: b.srv.AccountIDs()[0], Region: "us-west-2",
		Operation: "SendEmail", Source: "monkey@example.com", To: []string{"a@example.com", "b@example.com"}, Subject: "hello",
		Text: "text", HTML: "<p>html</p>", ReceivedAt: sent[0].ReceivedAt}, sent[0])
	require.Equal(t, "SendRawEmail", sent[1].Operation)
	require.Equal(t, []string{"c@example.com"}, sent[1].To)
	require.Equal(t, "résumé", sent[1].Subject)
	require.Equal(t, raw, sent[1].Raw)

	_, err = c.SendEmail(ctx, &ses.SendEmailInput{Source: aws.String("monkey@example.com"),
		Destination: &sestypes.Destination{ToAddresses: []string{"no-domain"}},
		Message:     &sestypes.Message{Subject: &sestypes.Content{Data: aws.String("x")}, Body: &sestypes.Body{}}})
	require.ErrorContains(t, err, "InvalidParameterValue")
	require.Len(t, b.srv.SentEmails(), 2)
}
