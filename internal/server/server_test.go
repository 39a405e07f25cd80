package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/config"
	"github.com/secmonkey/monkey/internal/metrics"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/server"
)

type bundle struct {
	base string
	got  *server.ScanRequest
}

func setup(t *testing.T, token string, dbErr error) *bundle {
	t.Helper()
	tb := &bundle{}
	m := metrics.New()
	m.SetLeader(true)
	s, err := server.New(server.Config{Addr: "127.0.0.1:0", APIToken: config.Secret(token)}, server.Deps{
		Registry: m.Registry,
		Checks: map[string]server.Check{
			"database": func(context.Context) error { return dbErr },
			"broker":   func(context.Context) error { return nil },
		},
		Scans: func(_ context.Context, req server.ScanRequest) (server.ScanResponse, error) {
			tb.got = &req
			if len(req.Accounts) == 1 && req.Accounts[0] == "nope" {
				return server.ScanResponse{}, monkey.Errorf(monkey.ENOTFOUND, "account %q not found", "nope")
			}
			if len(req.Accounts) == 1 && req.Accounts[0] == "boom" {
				return server.ScanResponse{}, errors.New("redis: secret internal detail")
			}
			return server.ScanResponse{Enqueued: 1, Tasks: []string{"prod/s3/manual-1"}}, nil
		},
	})
	require.NoError(t, err)
	require.NoError(t, s.Start(context.Background()))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		require.NoError(t, s.Stop(ctx))
		require.NoError(t, s.Stop(ctx))
	})
	tb.base = "http://" + s.Addr()
	return tb
}

func do(t *testing.T, method, url, token, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	require.NoError(t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var out map[string]any
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		require.NoError(t, json.Unmarshal(b, &out), string(b))
	} else {
		out = map[string]any{"body": string(b)}
	}
	return resp.StatusCode, out
}

func TestHealthReadyMetrics(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		dbErr  error
		status int
		db     string
	}{
		{"ready", nil, 200, "ok"},
		{"database down", errors.New("connection refused"), 503, "unreachable"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tb := setup(t, "", tc.dbErr)
			code, body := do(t, "GET", tb.base+"/healthz", "", "")
			require.Equal(t, 200, code)
			require.Equal(t, "ok", body["status"])
			code, body = do(t, "GET", tb.base+"/readyz", "", "")
			require.Equal(t, tc.status, code)
			require.Equal(t, map[string]any{"database": tc.db, "broker": "ok"}, body)
			code, body = do(t, "GET", tb.base+"/metrics", "", "")
			require.Equal(t, 200, code)
			require.Contains(t, body["body"], "monkey_scheduler_leader 1")
		})
	}
}

func TestAdminScansEndpoint(t *testing.T) {
	t.Parallel()
	closed := setup(t, "", nil)
	code, body := do(t, "POST", closed.base+"/api/1/scans", "anything", `{}`)
	require.Equal(t, 401, code, "no token configured: no way in")
	require.Contains(t, body["error"], "bearer token")
	require.Nil(t, closed.got)

	tb := setup(t, "s3cret", nil)
	for _, tc := range []struct {
		name, token, body string
		status            int
		errText           string
	}{
		{"no token", "", `{}`, 401, ""},
		{"wrong token", "nope", `{}`, 401, "bearer"},
		{"bad json", "s3cret", `{"accounts":`, 400, "malformed JSON"},
		{"wrong type", "s3cret", `{"accounts":"prod"}`, 400, ""},
		{"unknown account", "s3cret", `{"accounts":["nope"]}`, 404, `account "nope" not found`},
		{"internal error hidden", "s3cret", `{"accounts":["boom"]}`, 500, "Internal Server Error"},
		{"ok", "s3cret", `{"accounts":["prod"],"technologies":["s3"]}`, 202, ""},
	} {
		code, body := do(t, "POST", tb.base+"/api/1/scans", tc.token, tc.body)
		require.Equal(t, tc.status, code, tc.name)
		if tc.errText != "" {
			require.Contains(t, body["error"], tc.errText, tc.name)
			require.NotContains(t, body["error"], "secret internal", tc.name)
		}
	}
	require.Equal(t, &server.ScanRequest{Accounts: []string{"prod"}, Technologies: []string{"s3"}}, tb.got)
	code, body = do(t, "POST", tb.base+"/api/1/scans", "s3cret", `{}`)
	require.Equal(t, 202, code)
	require.Equal(t, 1.0, body["enqueued"])
	require.Equal(t, []any{"prod/s3/manual-1"}, body["tasks"])
	code, _ = do(t, "GET", tb.base+"/api/1/scans", "s3cret", "")
	require.Equal(t, 405, code)
}

// A busy default address falls back to an ephemeral port; a busy address
// the user chose is an error.
func TestBusyAddress(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	busy := ln.Addr().String()
	ctx := context.Background()
	for _, tc := range []struct {
		name     string
		fallback bool
	}{{"explicit", false}, {"default", true}} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := server.New(server.Config{Addr: busy, EphemeralWhenBusy: tc.fallback}, server.Deps{Registry: metrics.New().Registry})
			require.NoError(t, err)
			err = s.Start(ctx)
			if !tc.fallback {
				require.ErrorContains(t, err, "address already in use")
				return
			}
			require.NoError(t, err)
			defer func() { require.NoError(t, s.Stop(ctx)) }()
			require.NotEqual(t, busy, s.Addr())
			require.True(t, strings.HasPrefix(s.Addr(), "127.0.0.1:"), s.Addr())
			resp, err := http.Get("http://" + s.Addr() + "/healthz")
			require.NoError(t, err)
			resp.Body.Close()
			require.Equal(t, http.StatusOK, resp.StatusCode)
		})
	}
}

// The server closes idle keep-alive connections and bodies that trickle
// in: its connection timeouts are set.
func TestConnectionTimeouts(t *testing.T) {
	t.Parallel()
	to := server.Timeouts()
	require.Positive(t, to.ReadHeader)
	require.Positive(t, to.Read)
	require.Positive(t, to.Idle)
	require.GreaterOrEqual(t, to.Write, time.Minute, "long legitimate answers")
	require.LessOrEqual(t, to.Read, time.Minute)
}
