package app_test

import (
	"bufio"
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/store/storetest"
)

// overlapEnv is a database with two accounts scanned once, against a
// running `monkey aws-sim`.
type overlapEnv struct {
	c      cli
	s      sim
	driver string
	dbURL  string
	techs  int // technologies scanned
}

func newOverlapEnv(t *testing.T, engine string) overlapEnv {
	t.Helper()
	s := startSim(t, "--accounts", "2", "--seed", "5")
	e := overlapEnv{s: s}
	if engine == "sqlite" {
		e.dbURL, e.driver = filepath.Join(t.TempDir(), "monkey.db"), "sqlite"
	} else {
		e.dbURL, e.driver = storetest.ScratchPostgres(t), "pgx"
	}
	e.c = cli{t: t, env: simEnv(s, e.dbURL)}
	e.c.run("migrate")
	e.c.run("account", "add", "aws", "--name", "a1", "--id", s.Accounts[0])
	e.c.run("account", "add", "aws", "--name", "a2", "--id", s.Accounts[1])
	e.techs = len(e.c.findChanges().Technologies)
	return e
}

// change creates 5 users and mutates 5 roles of a2.
func (e overlapEnv) change(t *testing.T) {
	t.Helper()
	require.Len(t, e.s.post(t, "/_sim/create", map[string]any{"account": e.s.Accounts[1], "technology": "iamuser", "count": 5})["items"], 5)
	require.Len(t, e.s.post(t, "/_sim/mutate", map[string]any{"account": e.s.Accounts[1], "technology": "iamrole", "count": 5})["items"], 5)
}

// requireNoDuplicates checks the whole database: at most one open issue
// per identity, no revision repeating its predecessor, no two revisions
// following the same one.
func (e overlapEnv) requireNoDuplicates(t *testing.T) {
	t.Helper()
	db, err := sql.Open(e.driver, e.dbURL)
	require.NoError(t, err)
	defer db.Close()
	for _, q := range []string{
		`SELECT COUNT(*) FROM (SELECT item_id FROM issues WHERE fixed = FALSE
			GROUP BY item_id, issue_text, notes, score HAVING COUNT(*) > 1) AS d`,
		`SELECT COUNT(*) FROM revisions r JOIN revisions p ON p.id = (SELECT MAX(x.id) FROM revisions x
			WHERE x.item_id = r.item_id AND x.id < r.id) WHERE p.config = r.config AND p.active = r.active`,
	} {
		var n int
		require.NoError(t, db.QueryRow(q).Scan(&n), q)
		require.Zero(t, n, "duplicates: %s", q)
	}
}

// TestTwoFindChangesAtOnce: two find-changes processes on the same pairs,
// started together, on both engines; and one process given a pair twice.
func TestTwoFindChangesAtOnce(t *testing.T) {
	t.Parallel()
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			e := newOverlapEnv(t, engine)
			e.change(t)
			var sums [2]summary
			var wg sync.WaitGroup
			for i := range sums {
				wg.Add(1)
				go func() {
					defer wg.Done()
					out, errOut, err := e.c.try("find-changes", "--json", "-a", "a2", "-m", "iamuser,iamrole")
					if !assertNoError(t, err, out, errOut) {
						return
					}
					_ = json.Unmarshal([]byte(out), &sums[i])
				}()
			}
			wg.Wait()
			users := sums[0].Technologies["iamuser"].New + sums[1].Technologies["iamuser"].New
			roles := sums[0].Technologies["iamrole"].Changed + sums[1].Technologies["iamrole"].Changed
			require.Equal(t, 5, users, "each new user reported once: %+v", sums)
			require.Equal(t, 5, roles, "each changed role reported once: %+v", sums)
			e.requireNoDuplicates(t)

			// One process, a pair given twice: scanned once.
			e.change(t)
			one := e.c.findChanges("-a", "a2,a2", "-m", "iamuser,iamrole,iamuser")
			require.Equal(t, 5, one.Technologies["iamuser"].New)
			require.Equal(t, 5, one.Technologies["iamrole"].Changed)
			e.requireNoDuplicates(t)
		})
	}
}

func assertNoError(t *testing.T, err error, out, errOut string) bool {
	t.Helper()
	if err != nil {
		t.Errorf("find-changes: %v\nstdout: %s\nstderr: %s", err, out, errOut)
		return false
	}
	return true
}

// TestEmptyListElementsAreUsageErrors: `-a ,` must not mean "everything".
func TestEmptyListElementsAreUsageErrors(t *testing.T) {
	t.Parallel()
	c := cli{t: t, env: []string{"PATH=" + os.Getenv("PATH"), "MONKEY_DATABASE_URL=" + filepath.Join(t.TempDir(), "m.db")}}
	c.run("migrate")
	c.run("account", "add", "aws", "--name", "a1", "--id", "111122223333")
	for _, args := range [][]string{
		{"find-changes", "-a", ","}, {"find-changes", "-a", "a1,"}, {"find-changes", "-m", ""},
		{"audit-changes", "-m", "s3,,iamrole"}, {"find-changes", "-a", " "},
	} {
		_, stderr, err := c.try(args...)
		require.Error(t, err, args)
		require.Equal(t, 2, err.(*exec.ExitError).ExitCode(), "%v: %s", args, stderr)
		require.Contains(t, stderr, "empty name", args)
	}
}

// TestAllWithFindChangesAndTwoManualScans: `monkey all` running, a
// find-changes and two POST /api/1/scans a second apart on the same pair:
// the second request is told the scan is queued or running, no two scans of
// the pair write at once, every change is reported once.
func TestAllWithFindChangesAndTwoManualScans(t *testing.T) {
	t.Parallel()
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			e := newOverlapEnv(t, engine)
			addr := freeListenAddr(t)
			logs := startAll(t, e, addr)

			e.change(t)
			// Slow calls: find-changes holds the pairs for a few seconds.
			e.s.post(t, "/_sim/faults", map[string]any{"latency_ms": 500})
			var fc summary
			fcDone := make(chan error, 1)
			go func() {
				out, errOut, err := e.c.try("find-changes", "--json", "-a", "a2", "-m", "iamuser,iamrole")
				if err != nil {
					fcDone <- fmt.Errorf("%w: %s", err, errOut)
					return
				}
				fcDone <- json.Unmarshal([]byte(out), &fc)
			}()
			// Once find-changes holds the pairs, two manual requests a
			// second apart.
			db, err := sql.Open(e.driver, e.dbURL)
			require.NoError(t, err)
			defer db.Close()
			require.Eventually(t, func() bool {
				var n int
				err := db.QueryRow("SELECT COUNT(*) FROM scan_locks l JOIN accounts a ON a.id = l.account_id WHERE a.name = 'a2'").Scan(&n)
				return err == nil && n == 2
			}, 30*time.Second, 20*time.Millisecond)
			var posts [2]scanResponse
			posts[0] = postScans(t, addr, `{"accounts":["a2"],"technologies":["iamuser","iamrole"]}`)
			time.Sleep(time.Second)
			posts[1] = postScans(t, addr, `{"accounts":["a2"],"technologies":["iamuser","iamrole"]}`)
			e.s.post(t, "/_sim/faults", map[string]any{})
			require.NoError(t, <-fcDone)
			require.Equal(t, 2, posts[0].Enqueued, "%+v", posts[0])
			require.Zero(t, posts[1].Enqueued, "the second request enqueues nothing: %+v", posts[1])
			require.Len(t, append(posts[1].Queued, posts[1].Running...), 2, "%+v", posts[1])
			require.Equal(t, 2, posts[1].Duplicates)

			// Wait for the worker's two manual scans.
			worker := map[string]logLine{}
			require.Eventually(t, func() bool {
				for _, l := range logs.lines() {
					if l.Msg == "scan finished" && l.Account == "a2" && l.JobID != "" && strings.HasSuffix(l.JobID, "/manual") {
						worker[l.Technology] = l
					}
				}
				return len(worker) == 2
			}, 90*time.Second, 200*time.Millisecond, "worker scans: %v", worker)
			require.Equal(t, 5, fc.Technologies["iamuser"].New+worker["iamuser"].New, "fc %+v, worker %+v", fc, worker)
			require.Equal(t, 5, fc.Technologies["iamrole"].Changed+worker["iamrole"].Changed, "fc %+v, worker %+v", fc, worker)
			e.requireNoDuplicates(t)
		})
	}
}

type scanResponse struct {
	Enqueued   int      `json:"enqueued"`
	Duplicates int      `json:"duplicates"`
	Tasks      []string `json:"tasks"`
	Queued     []string `json:"queued"`
	Running    []string `json:"running"`
}

func postScans(t *testing.T, addr, body string) scanResponse {
	t.Helper()
	req, err := http.NewRequest("POST", "http://"+addr+"/api/1/scans", strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer tok")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	require.Equal(t, http.StatusAccepted, resp.StatusCode, string(b))
	var sr scanResponse
	require.NoError(t, json.Unmarshal(b, &sr), string(b))
	return sr
}

func freeListenAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	return l.Addr().String()
}

// logLine is the part of a JSON log line the overlap test reads.
type logLine struct {
	Msg        string `json:"msg"`
	Account    string `json:"account"`
	Technology string `json:"technology"`
	JobID      string `json:"job_id"`
	New        int    `json:"new"`
	Changed    int    `json:"changed"`
}

type logs struct {
	mu  sync.Mutex
	all []logLine
}

func (l *logs) lines() []logLine {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]logLine(nil), l.all...)
}

// startAll runs `monkey all` on e's database until the test ends, waits
// until it served and its first scans are done, and collects its JSON logs.
func startAll(t *testing.T, e overlapEnv, addr string) *logs {
	t.Helper()
	cmd := exec.Command(binary, "all", "--listen", addr)
	cmd.Env = append(append([]string{}, e.c.env...), "MONKEY_API_TOKEN=tok", "MONKEY_LOG_FORMAT=json", "MONKEY_LOG_LEVEL=info")
	stderr, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	l := &logs{}
	var raw bytes.Buffer
	var rawMu sync.Mutex
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			rawMu.Lock()
			raw.Write(append(sc.Bytes(), '\n'))
			rawMu.Unlock()
			var line logLine
			if json.Unmarshal(sc.Bytes(), &line) == nil {
				l.mu.Lock()
				l.all = append(l.all, line)
				l.mu.Unlock()
			}
		}
	}()
	// Ready, and the scheduler's first scan of every pair done.
	require.Eventually(t, func() bool {
		n := 0
		for _, line := range l.lines() {
			if line.Msg == "scan finished" {
				n++
			}
		}
		return n >= 2*e.techs
	}, 90*time.Second, 100*time.Millisecond, "monkey all never scanned every pair:\n%s", func() string {
		rawMu.Lock()
		defer rawMu.Unlock()
		return raw.String()
	}())
	return l
}
