package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
	"github.com/secmonkey/monkey/internal/awssim/awssimtest"
	"github.com/secmonkey/monkey/internal/status"
)

// runMain runs the command line in-process and returns the exit code and
// stdout.
func runMain(ctx context.Context, args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := Main(ctx, args, strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	return l.Addr().String()
}

// TestAllInProcess runs `monkey all` in-process (SQLite, embedded broker,
// simulated AWS): every pair is scanned, the admin endpoint enqueues, the
// status reports it, and cancellation stops everything cleanly.
func TestAllInProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("in-process runtime test")
	}
	endpoint, sim := awssimtest.Start(t, awssim.Options{Accounts: 2, Seed: 3})
	watched := []string{"s3", "iamrole", "securitygroup", "sqs"}
	addr := freeAddr(t)
	for k, v := range map[string]string{
		"MONKEY_DATABASE_URL": filepath.Join(t.TempDir(), "m.db"), "MONKEY_BROKER_URL": "",
		"AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
		"AWS_REGION": "us-east-1", "MONKEY_API_ADDR": addr, "MONKEY_API_TOKEN": "tok",
		"MONKEY_SCHEDULER_LEASE_TTL": "3s", "MONKEY_SCHEDULER_TICK": "1s", "MONKEY_LOG_LEVEL": "warn",
		// The runtime is under test, not the 56 technologies (their
		// pipeline has its own tests): four of them, a global and a
		// regional of each cloud API style, keep the run short under -race.
		"MONKEY_ONLY_WATCH": strings.Join(watched, ","),
	} {
		t.Setenv(k, v)
	}
	ctx := context.Background()
	code, _, errOut := runMain(ctx, "migrate")
	require.Zero(t, code, errOut)
	for i, id := range sim.AccountIDs() {
		code, _, errOut := runMain(ctx, "account", "add", "aws", "--name", fmt.Sprintf("a%d", i), "--id", id)
		require.Zero(t, code, errOut)
	}

	runCtx, stop := context.WithCancel(ctx)
	done := make(chan int, 1)
	var allErr string
	go func() {
		code, _, e := runMain(runCtx, "all")
		allErr = e
		done <- code
	}()
	require.Eventually(t, func() bool {
		select {
		case code := <-done:
			t.Fatalf("monkey all exited %d: %s", code, allErr)
		default:
		}
		resp, err := http.Get("http://" + addr + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == 200
	}, 20*time.Second, 100*time.Millisecond)

	var st status.Status
	require.Eventually(t, func() bool {
		code, out, _ := runMain(ctx, "status", "--json")
		if code != 0 || json.Unmarshal([]byte(out), &st) != nil {
			return false
		}
		ok := 0
		for _, s := range st.Scans {
			if s.Outcome == "ok" && s.Items > 0 {
				ok++
			}
		}
		return ok == 2*len(watched)
	}, 2*time.Minute, 200*time.Millisecond)
	require.Len(t, st.Scans, 2*len(watched), "only the watched technologies are scheduled")
	require.Equal(t, "embedded", st.Broker)
	require.NotEmpty(t, st.Leader)

	req, err := http.NewRequest("POST", "http://"+addr+"/api/1/scans", strings.NewReader(`{"accounts":["a0"],"technologies":["s3"]}`))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer tok")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	var sr struct {
		Enqueued int `json:"enqueued"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&sr))
	resp.Body.Close()
	require.Equal(t, 202, resp.StatusCode)
	require.Equal(t, 1, sr.Enqueued)

	// enqueue needs a shared broker: a clear usage error without one.
	code, _, errOut = runMain(ctx, "enqueue")
	require.Equal(t, 2, code)
	require.Contains(t, errOut, "MONKEY_BROKER_URL")

	stop()
	select {
	case code := <-done:
		require.Zero(t, code)
	case <-time.After(40 * time.Second):
		t.Fatal("monkey all did not stop after cancellation")
	}
}

func TestStatusReportsUnreachableDependencies(t *testing.T) {
	t.Setenv("MONKEY_DATABASE_URL", "postgres://postgres@127.0.0.1:1/none?sslmode=disable&connect_timeout=2")
	t.Setenv("MONKEY_BROKER_URL", "redis://127.0.0.1:1/0")
	code, out, _ := runMain(context.Background(), "status", "--json")
	require.Equal(t, 1, code)
	var st status.Status
	require.NoError(t, json.Unmarshal([]byte(out), &st), out)
	require.Equal(t, "unreachable", st.Database)
	require.Equal(t, "unreachable", st.Broker)
	require.Len(t, st.Errors, 2)
	require.NotNil(t, st.Scans)
	require.NotNil(t, st.Workers)
}
