package app_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/stretchr/testify/require"
	_ "modernc.org/sqlite"

	"github.com/secmonkey/monkey/internal/store/storetest"
)

// binary is the monkey binary built once for the end-to-end tests.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "monkey-cli-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "monkey")
	out, err := exec.Command("go", "build", "-o", binary, "../../cmd/monkey").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "build monkey: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type cli struct {
	t   *testing.T
	env []string
}

// run runs the binary and returns stdout; it fails the test on a non-zero exit.
func (c cli) run(args ...string) string {
	c.t.Helper()
	out, errOut, err := c.try(args...)
	require.NoError(c.t, err, "monkey %s\nstdout: %s\nstderr: %s", strings.Join(args, " "), out, errOut)
	return out
}

func (c cli) try(args ...string) (string, string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = c.env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	return stdout.String(), stderr.String(), err
}

type techSummary struct {
	Items, New, Changed, Ephemeral, Deleted, Issues, Errors int
}

type summary struct {
	Technologies map[string]techSummary `json:"technologies"`
	DurationMS   int64                  `json:"duration_ms"`
}

func (c cli) findChanges(args ...string) summary {
	c.t.Helper()
	out := c.run(append([]string{"find-changes", "--json"}, args...)...)
	var s summary
	require.NoError(c.t, json.Unmarshal([]byte(out), &s), out)
	return s
}

// sim is a running `monkey aws-sim` process.
type sim struct {
	Endpoint string   `json:"endpoint"`
	Accounts []string `json:"accounts"`
}

func startSim(t *testing.T, args ...string) sim {
	t.Helper()
	cmd := exec.Command(binary, append([]string{"aws-sim", "--listen", "127.0.0.1:0"}, args...)...)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	cmd.Stderr = os.Stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	require.NoError(t, err)
	var s sim
	require.NoError(t, json.Unmarshal([]byte(line), &s), line)
	require.NotEmpty(t, s.Accounts)
	return s
}

func (s sim) post(t *testing.T, path string, body any) map[string]any {
	t.Helper()
	b, _ := json.Marshal(body)
	resp, err := http.Post(s.Endpoint+path, "application/json", bytes.NewReader(b))
	require.NoError(t, err)
	defer resp.Body.Close()
	var out map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	require.Equal(t, http.StatusOK, resp.StatusCode, "%v", out)
	return out
}

func simEnv(s sim, dbURL string) []string {
	return []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + os.TempDir(),
		"MONKEY_DATABASE_URL=" + dbURL, "MONKEY_LOG_LEVEL=warn",
		"AWS_ENDPOINT_URL=" + s.Endpoint, "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test",
		"AWS_REGION=us-east-1", "AWS_EC2_METADATA_DISABLED=true",
	}
}

// snapshot returns every revision and issue row, to prove a rescan wrote
// nothing.
func snapshot(t *testing.T, driver, dsn string) string {
	t.Helper()
	db, err := sql.Open(driver, dsn)
	require.NoError(t, err)
	defer db.Close()
	var b strings.Builder
	for _, q := range []string{
		"SELECT id, item_id, active, config, date_last_ephemeral_change FROM revisions ORDER BY id",
		"SELECT id, item_id, score, fixed, justified FROM issues ORDER BY id",
		"SELECT id, latest_revision_id, complete_hash, durable_hash, audit_hash FROM items ORDER BY id",
	} {
		rows, err := db.Query(q)
		require.NoError(t, err, q)
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			require.NoError(t, rows.Scan(ptrs...))
			line := fmt.Sprint(vals...)
			sum := sha256.Sum256([]byte(line))
			fmt.Fprintf(&b, "%s %v %x\n", strings.Fields(q)[len(strings.Fields(q))-3], vals[0], sum[:6])
		}
		require.NoError(t, rows.Err())
		rows.Close()
	}
	return b.String()
}

var sixTechnologies = []string{"iamgroup", "iamrole", "iamuser", "policy", "s3", "securitygroup"}

// TestScanAcceptance runs the acceptance scenario of the core issue on both
// engines, through the real binary against a real `monkey aws-sim`.
func TestScanAcceptance(t *testing.T) {
	t.Parallel()
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			s := startSim(t, "--accounts", "2", "--seed", "7")
			var dbURL, driver string
			if engine == "sqlite" {
				dbURL, driver = filepath.Join(t.TempDir(), "monkey.db"), "sqlite"
			} else {
				dbURL = storetest.ScratchPostgres(t)
				driver = "pgx"
			}
			c := cli{t: t, env: simEnv(s, dbURL)}
			c.run("migrate")
			c.run("account", "add", "aws", "--name", "alpha", "--id", s.Accounts[0])
			c.run("account", "add", "aws", "--name", "beta", "--id", s.Accounts[1])

			first := c.findChanges()
			for _, tech := range sixTechnologies {
				ts := first.Technologies[tech]
				require.Positive(t, ts.Items, tech)
				require.Equal(t, ts.Items, ts.New, tech)
				require.Zero(t, ts.Errors, tech)
			}
			require.Positive(t, first.Technologies["securitygroup"].Issues)
			require.Positive(t, first.Technologies["iamrole"].Issues)
			require.Positive(t, first.Technologies["s3"].Issues)

			before := snapshot(t, driver, dbURL)
			second := c.findChanges()
			for _, tech := range sixTechnologies {
				ts := second.Technologies[tech]
				require.Equal(t, techSummary{Items: first.Technologies[tech].Items, Issues: first.Technologies[tech].Issues}, ts, tech)
			}
			require.Equal(t, before, snapshot(t, driver, dbURL), "an unchanged rescan must write nothing")

			// Mutate one item of every technology in the first account, two security groups.
			for _, tech := range sixTechnologies {
				n := 1
				if tech == "securitygroup" {
					n = 2
				}
				out := s.post(t, "/_sim/mutate", map[string]any{"account": s.Accounts[0], "technology": tech, "count": n})
				require.Len(t, out["items"], n, tech)
			}
			third := c.findChanges()
			for _, tech := range sixTechnologies {
				want := 1
				if tech == "securitygroup" {
					want = 2
				}
				ts := third.Technologies[tech]
				require.Equal(t, want, ts.Changed, "%s: %+v", tech, ts)
				require.Zero(t, ts.New+ts.Deleted, tech)
			}

			// Delete one bucket and one role.
			s.post(t, "/_sim/delete", map[string]any{"account": s.Accounts[1], "technology": "s3", "count": 1})
			s.post(t, "/_sim/delete", map[string]any{"account": s.Accounts[1], "technology": "iamrole", "count": 1})
			fourth := c.findChanges()
			require.Equal(t, 1, fourth.Technologies["s3"].Deleted)
			require.Equal(t, 1, fourth.Technologies["iamrole"].Deleted)
			require.Equal(t, first.Technologies["s3"].Items-1, fourth.Technologies["s3"].Items)

			// A failing region: its items are not reported deleted, the failure is counted.
			s.post(t, "/_sim/faults", map[string]any{"fail_regions": []string{"eu-west-1"}})
			fifth := c.findChanges("-m", "securitygroup,s3")
			require.Zero(t, fifth.Technologies["securitygroup"].Deleted)
			require.Zero(t, fifth.Technologies["s3"].Deleted)
			require.Positive(t, fifth.Technologies["securitygroup"].Errors)
			require.Equal(t, fourth.Technologies["securitygroup"].Items, fifth.Technologies["securitygroup"].Items)
			s.post(t, "/_sim/faults", map[string]any{})
			sixth := c.findChanges()
			for _, tech := range sixTechnologies {
				ts := sixth.Technologies[tech]
				require.Zero(t, ts.New+ts.Changed+ts.Deleted+ts.Errors, "%s: %+v", tech, ts)
			}
		})
	}
}

func TestDemoOnceJSON(t *testing.T) {
	t.Parallel()
	c := cli{t: t, env: []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "MONKEY_LOG_LEVEL=error"}}
	out := c.run("demo", "--once", "--json")
	var s summary
	require.NoError(t, json.Unmarshal([]byte(out), &s), out)
	for _, tech := range sixTechnologies {
		require.Positive(t, s.Technologies[tech].Items, tech)
		require.Positive(t, s.Technologies[tech].Issues, tech)
	}
}

func TestErrorsAreOneLine(t *testing.T) {
	t.Parallel()
	c := cli{t: t, env: []string{"PATH=" + os.Getenv("PATH"), "MONKEY_DATABASE_URL=" + filepath.Join(t.TempDir(), "m.db")}}
	tests := []struct {
		args []string
		want string
		code int
	}{
		{[]string{"nope"}, `unknown command "nope"`, 2},
		{[]string{"account", "add", "aws", "--name", "x", "--id", "123"}, "12-digit", 2},
		{[]string{"find-changes", "-m", "nosuch"}, `unknown technology "nosuch"`, 2},
		{[]string{"find-changes"}, "no active watched account", 1},
		{[]string{"audit-file", "--technology", "s3", "/does/not/exist"}, "no such file", 1},
	}
	for _, tt := range tests {
		_, stderr, err := c.try(tt.args...)
		require.Error(t, err, tt.args)
		require.Equal(t, tt.code, err.(*exec.ExitError).ExitCode(), "%v: %s", tt.args, stderr)
		require.Contains(t, stderr, tt.want)
		require.Equal(t, 1, strings.Count(strings.TrimSpace(stderr), "\n")+1, "one line: %q", stderr)
	}
}

func TestAccountCommands(t *testing.T) {
	t.Parallel()
	c := cli{t: t, env: []string{"PATH=" + os.Getenv("PATH"), "MONKEY_DATABASE_URL=" + filepath.Join(t.TempDir(), "m.db")}}
	c.run("migrate")
	var accts []map[string]any
	require.NoError(t, json.Unmarshal([]byte(c.run("account", "list", "--json")), &accts))
	require.Empty(t, accts, "the AWS-owned accounts are hidden by default")
	require.NoError(t, json.Unmarshal([]byte(c.run("account", "list", "--json", "--all")), &accts))
	require.Len(t, accts, 66)
	require.Equal(t, true, accts[0]["third_party"])

	c.run("account", "add", "aws", "--name", "prod", "--id", "111122223333", "--role-name", "Audit", "--external-id", "x-1")
	_, stderr, err := c.try("account", "add", "aws", "--name", "prod", "--id", "111122223334")
	require.Error(t, err)
	require.Contains(t, stderr, "prod")
	c.run("account", "update", "prod", "--inactive", "--notes", "paused")
	require.NoError(t, json.Unmarshal([]byte(c.run("account", "list", "--json")), &accts))
	require.Len(t, accts, 1)
	require.Equal(t, "prod", accts[0]["name"])
	require.Equal(t, false, accts[0]["active"])
	require.Equal(t, "paused", accts[0]["notes"])
	require.Equal(t, map[string]any{"role_name": "Audit", "external_id": "x-1"}, accts[0]["custom_fields"])
	c.run("account", "remove", "prod")
	require.NoError(t, json.Unmarshal([]byte(c.run("account", "list", "--json")), &accts))
	require.Empty(t, accts)
}

// TestDemoKeepsRunning: without --once the demo goes on as `monkey all`
// (ready on its listen address) and stops cleanly on SIGTERM.
func TestDemoKeepsRunning(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	l.Close()
	cmd := exec.Command(binary, "demo", "--listen", addr)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "MONKEY_LOG_LEVEL=error"}
	var out lockedBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	require.NoError(t, cmd.Start())
	defer cmd.Process.Kill()
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		require.True(t, time.Now().Before(deadline), "demo never became ready:\n%s", out.String())
		time.Sleep(200 * time.Millisecond)
	}
	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	require.NoError(t, cmd.Wait(), out.String())
	require.Contains(t, out.String(), "monkey status")
}

// lockedBuffer is a bytes.Buffer safe to read while a process writes to it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
