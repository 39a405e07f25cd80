package email_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/notify"
	"github.com/secmonkey/monkey/internal/notify/email"
	"github.com/secmonkey/monkey/internal/notify/smtptest"
)

var sample = notify.Message{Kind: notify.KindTest, Account: "alpha", Subject: "[alpha] Changes in Security Groups",
	Text: "plain body", HTML: "<p>html body</p>"}

func TestDelivery(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		opts smtptest.Options
		cfg  func(s *smtptest.Server) email.Config
	}{
		{"plain", smtptest.Options{}, func(s *smtptest.Server) email.Config {
			return email.Config{Host: s.Host, Port: s.Port, From: "monkey@example.com"}
		}},
		{"plain with auth", smtptest.Options{Username: "user", Password: "pass-word"}, func(s *smtptest.Server) email.Config {
			return email.Config{Host: s.Host, Port: s.Port, From: "monkey@example.com", Username: "user", Password: "pass-word"}
		}},
		{"starttls with auth", smtptest.Options{StartTLS: true, Username: "user", Password: "pass-word"}, func(s *smtptest.Server) email.Config {
			return email.Config{Host: s.Host, Port: s.Port, From: "monkey@example.com", StartTLS: true, Username: "user",
				Password: "pass-word", TLSConfig: s.TLSConfig}
		}},
		{"implicit tls", smtptest.Options{ImplicitTLS: true, Username: "user", Password: "pass-word"}, func(s *smtptest.Server) email.Config {
			return email.Config{Host: s.Host, Port: s.Port, From: "monkey@example.com", SSL: true, Username: "user",
				Password: "pass-word", TLSConfig: s.TLSConfig}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := smtptest.Start(t, tc.opts)
			n, err := email.New(tc.cfg(srv))
			require.NoError(t, err)
			retry, err := n.Notify(context.Background(), "alice@example.com", sample)
			require.NoError(t, err)
			require.False(t, retry)
			msgs := srv.Messages()
			require.Len(t, msgs, 1)
			m := msgs[0]
			require.Equal(t, "monkey@example.com", m.From)
			require.Equal(t, []string{"alice@example.com"}, m.To)
			require.Equal(t, sample.Subject, m.Subject())
			require.Contains(t, m.Header().Get("Content-Type"), "multipart/alternative")
			body := string(m.Data)
			require.Contains(t, body, "plain body")
			require.Contains(t, body, "<p>html body</p>")
			require.Less(t, strings.Index(body, "text/plain"), strings.Index(body, "text/html"), "text first, HTML preferred last")
		})
	}
}

func TestFailures(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("temporary refusal is retried", func(t *testing.T) {
		t.Parallel()
		srv := smtptest.Start(t, smtptest.Options{})
		srv.Refuse(451)
		n, err := email.New(email.Config{Host: srv.Host, Port: srv.Port, From: "m@example.com"})
		require.NoError(t, err)
		retry, err := n.Notify(ctx, "a@example.com", sample)
		require.Error(t, err)
		require.True(t, retry)
	})
	t.Run("permanent refusal is not", func(t *testing.T) {
		t.Parallel()
		srv := smtptest.Start(t, smtptest.Options{})
		srv.Refuse(550)
		n, err := email.New(email.Config{Host: srv.Host, Port: srv.Port, From: "m@example.com"})
		require.NoError(t, err)
		retry, err := n.Notify(ctx, "a@example.com", sample)
		require.Error(t, err)
		require.False(t, retry)
	})
	t.Run("wrong password is redacted", func(t *testing.T) {
		t.Parallel()
		srv := smtptest.Start(t, smtptest.Options{Username: "u", Password: "right"})
		n, err := email.New(email.Config{Host: srv.Host, Port: srv.Port, From: "m@example.com", Username: "u", Password: "s3cr3t-wrong"})
		require.NoError(t, err)
		_, err = n.Notify(ctx, "a@example.com", sample)
		require.Error(t, err)
		require.NotContains(t, err.Error(), "s3cr3t-wrong")
		require.Empty(t, srv.Messages())
	})
	t.Run("server down is retried", func(t *testing.T) {
		t.Parallel()
		n, err := email.New(email.Config{Host: "127.0.0.1", Port: 1, From: "m@example.com"})
		require.NoError(t, err)
		retry, err := n.Notify(ctx, "a@example.com", sample)
		require.Error(t, err)
		require.True(t, retry)
	})
	t.Run("configuration", func(t *testing.T) {
		t.Parallel()
		_, err := email.New(email.Config{Port: 25, From: "m@example.com"})
		require.Error(t, err)
		_, err = email.New(email.Config{Host: "h", Port: 25})
		require.Error(t, err)
	})
}
