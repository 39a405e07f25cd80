package slack_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/notify"
	"github.com/secmonkey/monkey/internal/notify/slack"
)

var update = flag.Bool("update", false, "rewrite the golden files")

var sample = notify.Message{Kind: notify.KindChange, Account: "prod", Subject: "NEW ISSUE - [prod] Changes in Security Groups",
	Summary: notify.Summary{Kind: notify.KindChange, Account: "prod", Identifier: "123456789012", Technologies: []string{"Security Groups"},
		New: 1, Changed: 2, NewIssues: 1, OpenIssues: 2, URL: "https://monkey.example.com/search?accounts=prod",
		At: time.Date(2026, 12, 2, 3, 0, 0, 0, time.UTC),
		TopIssues: []notify.TopIssue{{Score: 10, Issue: "Internet Accessible", Technology: "Security Group", Item: "web <public>",
			Region: "us-east-1", URL: "https://monkey.example.com/items/7"}}}}

type receiver struct {
	mu     sync.Mutex
	bodies [][]byte
	status int
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	b, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	defer r.mu.Unlock()
	if req.Method != http.MethodPost || req.Header.Get("Content-Type") != "application/json" {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	r.bodies = append(r.bodies, b)
	if r.status != 0 {
		w.WriteHeader(r.status)
		_, _ = w.Write([]byte("no_service"))
		return
	}
	_, _ = w.Write([]byte("ok"))
}

func TestSlackBlockKit(t *testing.T) {
	t.Parallel()
	rcv := &receiver{}
	srv := httptest.NewServer(rcv)
	t.Cleanup(srv.Close)
	n, err := slack.New(slack.Config{HookURL: srv.URL + "/services/T000/B000/secret-token", Channel: "#security",
		Username: "SecurityMonkey", Icon: ":monkey:"})
	require.NoError(t, err)
	retry, err := n.Notify(context.Background(), "", sample)
	require.NoError(t, err)
	require.False(t, retry)
	require.Len(t, rcv.bodies, 1)
	var pretty map[string]any
	require.NoError(t, json.Unmarshal(rcv.bodies[0], &pretty))
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	require.NoError(t, enc.Encode(pretty))
	got := buf.Bytes()
	path := filepath.Join("testdata", "change.json")
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err)
	require.JSONEq(t, string(want), string(got))
	require.Contains(t, string(got), "web &lt;public&gt;", "mrkdwn is escaped")
}

func TestSlackFailures(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		status int
		retry  bool
	}{{http.StatusTooManyRequests, true}, {http.StatusInternalServerError, true}, {http.StatusNotFound, false}, {http.StatusForbidden, false}} {
		t.Run(http.StatusText(tc.status), func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(&receiver{status: tc.status})
			t.Cleanup(srv.Close)
			n, err := slack.New(slack.Config{HookURL: srv.URL + "/services/secret-token"})
			require.NoError(t, err)
			retry, err := n.Notify(context.Background(), "", sample)
			require.Error(t, err)
			require.Equal(t, tc.retry, retry)
			require.NotContains(t, err.Error(), "secret-token", "the hook URL is a secret")
		})
	}
	t.Run("unreachable", func(t *testing.T) {
		t.Parallel()
		n, err := slack.New(slack.Config{HookURL: "http://127.0.0.1:1/services/secret-token"})
		require.NoError(t, err)
		retry, err := n.Notify(context.Background(), "", sample)
		require.Error(t, err)
		require.True(t, retry)
		require.NotContains(t, err.Error(), "secret-token")
	})
}
