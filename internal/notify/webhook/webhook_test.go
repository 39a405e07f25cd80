package webhook_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/notify"
	"github.com/secmonkey/monkey/internal/notify/webhook"
)

var sample = notify.Message{ID: "change/prod/slot@abc/webhook/", Kind: notify.KindChange, Account: "prod",
	Subject: "[prod] Changes in IAM Roles", Text: "text body",
	Summary: notify.Summary{Kind: notify.KindChange, Account: "prod", Changed: 1, TopIssues: []notify.TopIssue{}}}

// verifier is a receiver that checks every request as docs/notifications.md
// tells receivers to.
type verifier struct {
	secret string
	now    time.Time
	mu     sync.Mutex
	events []webhook.Event
	errs   []error
	status int
}

func (v *verifier) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	err := webhook.Verify(v.secret, r.Header.Get(webhook.HeaderTimestamp), r.Header.Get(webhook.HeaderSignature), body, v.now, 5*time.Minute)
	v.mu.Lock()
	defer v.mu.Unlock()
	if err != nil {
		v.errs = append(v.errs, err)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	var e webhook.Event
	if err := json.Unmarshal(body, &e); err != nil || e.ID != r.Header.Get(webhook.HeaderDelivery) {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	v.events = append(v.events, e)
	if v.status != 0 {
		w.WriteHeader(v.status)
	}
}

func TestSignedDelivery(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 2, 3, 0, 0, 0, time.UTC)
	v := &verifier{secret: "s3cret", now: now}
	srv := httptest.NewServer(v)
	t.Cleanup(srv.Close)
	ctx := context.Background()

	n, err := webhook.New(webhook.Config{URL: srv.URL + "/hook?token=abc", Secret: "s3cret", Now: func() time.Time { return now }})
	require.NoError(t, err)
	retry, err := n.Notify(ctx, "", sample)
	require.NoError(t, err)
	require.False(t, retry)
	require.Len(t, v.events, 1)
	require.Equal(t, webhook.Event{ID: sample.ID, Kind: "change", Subject: sample.Subject, Summary: sample.Summary, Text: "text body"}, v.events[0])

	// A wrong secret, or a stale timestamp, is refused by the receiver
	// (401: not retried).
	wrong, err := webhook.New(webhook.Config{URL: srv.URL, Secret: "other", Now: func() time.Time { return now }})
	require.NoError(t, err)
	retry, err = wrong.Notify(ctx, "", sample)
	require.Error(t, err)
	require.False(t, retry)
	stale, err := webhook.New(webhook.Config{URL: srv.URL, Secret: "s3cret", Now: func() time.Time { return now.Add(-10 * time.Minute) }})
	require.NoError(t, err)
	_, err = stale.Notify(ctx, "", sample)
	require.Error(t, err)
	require.Len(t, v.errs, 2)
	require.ErrorContains(t, v.errs[0], "bad signature")
	require.ErrorContains(t, v.errs[1], "timestamp")
	require.Len(t, v.events, 1)
}

func TestRetryOnServerError(t *testing.T) {
	t.Parallel()
	now := time.Now()
	v := &verifier{secret: "k", now: now, status: http.StatusServiceUnavailable}
	srv := httptest.NewServer(v)
	t.Cleanup(srv.Close)
	n, err := webhook.New(webhook.Config{URL: srv.URL + "/hook?token=secret-token", Secret: "k"})
	require.NoError(t, err)
	retry, err := n.Notify(context.Background(), "", sample)
	require.Error(t, err)
	require.True(t, retry)
	require.NotContains(t, err.Error(), "secret-token")
}

func TestSignature(t *testing.T) {
	t.Parallel()
	// The documented example (docs/notifications.md), computed with
	// Python's hmac module.
	require.Equal(t, "sha256=cc4373815ae71a61fb11ef5a9bb00d2ad5502fc4cecd0eb1004ae67b15d52a88",
		webhook.Sign("s3cret", "1764644400", []byte(`{"id":"x"}`)))
}
