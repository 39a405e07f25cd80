package e2e

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"
)

func ci() bool { return os.Getenv("CI") == "true" }

// skipOrFail skips the test, or fails it when CI=true.
func skipOrFail(t testing.TB, format string, args ...any) {
	t.Helper()
	if ci() {
		t.Fatalf(format, args...)
	}
	t.Skipf(format, args...)
}

func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// proc is one child process of the test.
type proc struct {
	name string
	cmd  *exec.Cmd
	log  string
	done chan struct{}
	err  error
}

func (p *proc) alive() bool {
	select {
	case <-p.done:
		return false
	default:
		return true
	}
}

func (p *proc) pid() int { return p.cmd.Process.Pid }

// stop sends SIGTERM and waits (SIGKILL after timeout).
func (p *proc) stop(timeout time.Duration) error {
	if !p.alive() {
		return nil
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
		return p.err
	case <-time.After(timeout):
		_ = p.cmd.Process.Kill()
		<-p.done
		return fmt.Errorf("%s did not stop within %s", p.name, timeout)
	}
}

func (p *proc) kill() {
	_ = p.cmd.Process.Kill()
	<-p.done
}

// logLines returns the JSON log records of the process.
func (p *proc) logLines(t testing.TB) []map[string]any {
	t.Helper()
	f, err := os.Open(p.log)
	require.NoError(t, err)
	defer f.Close()
	var out []map[string]any
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var m map[string]any
		if json.Unmarshal(sc.Bytes(), &m) == nil {
			out = append(out, m)
		}
	}
	return out
}

func (p *proc) tail(n int) string {
	b, _ := os.ReadFile(p.log)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// cluster is the whole distributed deployment of one test.
type cluster struct {
	t      testing.TB
	dir    string
	env    []string
	simURL string
	simIDs []string
	redis  *redisServer
	pg     *pgServer
	mu     sync.Mutex
	procs  []*proc
}

func newCluster(t testing.TB, accounts int) *cluster {
	t.Helper()
	dir := t.TempDir()
	c := &cluster{t: t, dir: dir}
	c.redis = startRedis(t, dir)
	c.pg = startPostgres(t)
	c.startSim(accounts)
	c.env = append(baseEnv(),
		"MONKEY_DATABASE_URL="+c.pg.url,
		"MONKEY_BROKER_URL="+c.redis.url(),
		"AWS_ENDPOINT_URL="+c.simURL,
		"AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_REGION=us-east-1",
		"MONKEY_LOG_FORMAT=json", "MONKEY_LOG_LEVEL=info",
		"MONKEY_SCHEDULER_LEASE_TTL=4s", "MONKEY_SCHEDULER_TICK=1s",
		"MONKEY_RETRY_DELAY=1s", "MONKEY_SHUTDOWN_GRACE=5s", "MONKEY_TASK_TIMEOUT=2m",
		"MONKEY_WORKER_CONCURRENCY=3",
		"METRICS_ENABLED=true", "METRICS_NAMESPACE=securitymonkey", "METRICS_POST_REGION=us-east-1",
	)
	t.Cleanup(c.stopAll)
	return c
}

// baseEnv is the test's environment without settings that would leak into
// the processes.
func baseEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch {
		case strings.HasPrefix(k, "MONKEY_"), strings.HasPrefix(k, "AWS_"), strings.HasPrefix(k, "SECURITY_MONKEY_"),
			strings.HasPrefix(k, "METRICS_"), k == "SM_CELERY_CONFIG", k == "broker_url", k == "BROKER_URL":
			continue
		}
		out = append(out, kv)
	}
	return out
}

func (c *cluster) startSim(accounts int) {
	t := c.t
	p := c.start("aws-sim", nil, "aws-sim", "--listen", "127.0.0.1:0", "--accounts", strconv.Itoa(accounts), "--seed", "7")
	// The first line on stdout is {"endpoint":…,"accounts":[…]}.
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		b, _ := os.ReadFile(p.log + ".stdout")
		if line, _, ok := bytes.Cut(b, []byte("\n")); ok {
			var info struct {
				Endpoint string   `json:"endpoint"`
				Accounts []string `json:"accounts"`
			}
			require.NoError(t, json.Unmarshal(line, &info), string(line))
			c.simURL, c.simIDs = info.Endpoint, info.Accounts
			require.Len(t, c.simIDs, accounts)
			return
		}
		require.True(t, p.alive(), "aws-sim exited: %s", p.tail(20))
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("aws-sim did not print its endpoint: %s", p.tail(20))
}

// start runs `monkey args…` in the background with extra env.
func (c *cluster) start(name string, extra []string, args ...string) *proc {
	t := c.t
	t.Helper()
	logPath := filepath.Join(c.dir, name+".log")
	logF, err := os.Create(logPath)
	require.NoError(t, err)
	outF, err := os.Create(logPath + ".stdout")
	require.NoError(t, err)
	cmd := exec.Command(bin, args...)
	cmd.Env = append(append([]string{}, c.env...), extra...)
	if c.env == nil {
		cmd.Env = append(baseEnv(), extra...)
	}
	cmd.Stdout, cmd.Stderr = outF, logF
	require.NoError(t, cmd.Start())
	p := &proc{name: name, cmd: cmd, log: logPath, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		_ = logF.Close()
		_ = outF.Close()
		close(p.done)
	}()
	c.mu.Lock()
	c.procs = append(c.procs, p)
	c.mu.Unlock()
	return p
}

func (c *cluster) stopAll() {
	c.mu.Lock()
	procs := append([]*proc(nil), c.procs...)
	c.mu.Unlock()
	// Reverse start order: workers and schedulers before aws-sim.
	for i := len(procs) - 1; i >= 0; i-- {
		if err := procs[i].stop(20 * time.Second); err != nil {
			c.t.Logf("stop %s: %v", procs[i].name, err)
		}
	}
	if c.t.Failed() {
		for _, p := range procs {
			c.t.Logf("--- %s log tail:\n%s", p.name, p.tail(15))
		}
	}
}

// run runs `monkey args…` to completion and returns stdout.
func (c *cluster) run(args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = c.env
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if err != nil {
		return out.String(), fmt.Errorf("monkey %s: %w: %s", strings.Join(args, " "), err, errb.String())
	}
	return out.String(), nil
}

func (c *cluster) mustRun(args ...string) string {
	c.t.Helper()
	out, err := c.run(args...)
	require.NoError(c.t, err)
	return out
}

// status is the shape of `monkey status --json`.
type status struct {
	Database string   `json:"database"`
	Broker   string   `json:"broker"`
	Leader   string   `json:"leader"`
	Standbys []string `json:"standbys"`
	Workers  []struct {
		ID       string `json:"id"`
		PID      int    `json:"pid"`
		InFlight []struct {
			TaskID     string `json:"task_id"`
			Account    string `json:"account"`
			Technology string `json:"technology"`
		} `json:"in_flight"`
	} `json:"workers"`
	Queue *struct {
		Pending int `json:"pending"`
		Active  int `json:"active"`
		Retry   int `json:"retry"`
	} `json:"queue"`
	Scans []scan `json:"scans"`
}

type scan struct {
	Account    string     `json:"account"`
	Technology string     `json:"technology"`
	LastStart  *time.Time `json:"last_start"`
	LastEnd    *time.Time `json:"last_end"`
	Outcome    string     `json:"outcome"`
	Items      int        `json:"items"`
	Error      string     `json:"error"`
}

func (c *cluster) status() (status, error) {
	out, err := c.run("status", "--json")
	var st status
	if jerr := json.Unmarshal([]byte(out), &st); jerr != nil {
		if err == nil {
			err = jerr
		}
		return st, err
	}
	return st, nil
}

// waitFor polls cond until it holds or the timeout passes.
func (c *cluster) waitFor(what string, timeout time.Duration, cond func() (bool, string)) {
	c.t.Helper()
	deadline := time.Now().Add(timeout)
	last := ""
	for time.Now().Before(deadline) {
		ok, detail := cond()
		if ok {
			return
		}
		last = detail
		time.Sleep(500 * time.Millisecond)
	}
	c.t.Fatalf("timed out after %s waiting for %s; last: %s", timeout, what, last)
}

func (c *cluster) httpJSON(method, url string, body any, out any) error {
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		b, _ := io.ReadAll(resp.Body)
		return fmt.Errorf("%s %s: %s: %s", method, url, resp.Status, b)
	}
	if out == nil {
		return nil
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// redisServer is a dedicated redis-server (so the test may restart it).
type redisServer struct {
	t    testing.TB
	port int
	dir  string
	cmd  *exec.Cmd
	done chan struct{}
}

func startRedis(t testing.TB, dir string) *redisServer {
	t.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		skipOrFail(t, "redis-server not installed: the e2e test runs its own Redis to restart it")
	}
	r := &redisServer{t: t, port: freePort(t), dir: filepath.Join(dir, "redis")}
	require.NoError(t, os.MkdirAll(r.dir, 0o755))
	r.start()
	t.Cleanup(func() { r.kill() })
	return r
}

func (r *redisServer) url() string { return fmt.Sprintf("redis://127.0.0.1:%d/0", r.port) }

func (r *redisServer) start() {
	t := r.t
	cmd := exec.Command("redis-server", "--port", strconv.Itoa(r.port), "--bind", "127.0.0.1",
		"--dir", r.dir, "--appendonly", "yes", "--appendfsync", "always", "--save", "",
		"--protected-mode", "no", "--logfile", filepath.Join(r.dir, "redis.log"))
	require.NoError(t, cmd.Start())
	r.cmd, r.done = cmd, make(chan struct{})
	go func() { _ = cmd.Wait(); close(r.done) }()
	cl := redis.NewClient(&redis.Options{Addr: fmt.Sprintf("127.0.0.1:%d", r.port)})
	defer cl.Close()
	deadline := time.Now().Add(10 * time.Second)
	for cl.Ping(context.Background()).Err() != nil {
		require.True(t, time.Now().Before(deadline), "redis-server did not start")
		time.Sleep(50 * time.Millisecond)
	}
}

// kill stops Redis hard (kill -9); the append-only file keeps the data.
func (r *redisServer) kill() {
	if r.cmd == nil {
		return
	}
	_ = r.cmd.Process.Kill()
	<-r.done
	r.cmd = nil
}

// pgServer is a throwaway Postgres cluster (initdb + pg_ctl in a temp dir on
// its own port) so the test can restart it without touching the machine's
// Postgres.
type pgServer struct {
	t    testing.TB
	data string
	port int
	url  string
	asPG bool // run the server as the postgres user (we are root)
}

func startPostgres(t testing.TB) *pgServer {
	t.Helper()
	for _, b := range []string{"initdb", "pg_ctl"} {
		if _, err := exec.LookPath(b); err != nil {
			skipOrFail(t, "%s not installed: the e2e test runs a throwaway Postgres cluster", b)
		}
	}
	root, err := os.MkdirTemp("", "monkey-e2e-pg-")
	require.NoError(t, err)
	t.Cleanup(func() { _ = os.RemoveAll(root) })
	s := &pgServer{t: t, data: filepath.Join(root, "data"), port: freePort(t)}
	if os.Getuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			skipOrFail(t, "running as root without a postgres user: cannot run initdb")
		}
		s.asPG = true
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		require.NoError(t, os.Chmod(root, 0o755))
		require.NoError(t, os.Chown(root, uid, gid))
	}
	s.pgCmd("initdb", "-D", s.data, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8")
	s.start()
	t.Cleanup(func() { _ = s.pgCmdErr("pg_ctl", "-D", s.data, "-m", "immediate", "-w", "stop") })
	s.url = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", s.port)
	return s
}

func (s *pgServer) pgCmdErr(name string, args ...string) error {
	cmd := exec.Command(name, args...)
	if s.asPG {
		cmd = exec.Command("runuser", append([]string{"-u", "postgres", "--", name}, args...)...)
	}
	cmd.Dir = "/"
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s %s: %w: %s", name, strings.Join(args, " "), err, out)
	}
	return nil
}

func (s *pgServer) pgCmd(name string, args ...string) {
	s.t.Helper()
	require.NoError(s.t, s.pgCmdErr(name, args...))
}

func (s *pgServer) start() {
	s.t.Helper()
	opts := fmt.Sprintf("-p %d -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=off -c max_connections=100", s.port)
	s.pgCmd("pg_ctl", "-D", s.data, "-o", opts, "-l", filepath.Join(s.data, "server.log"), "-w", "start")
}

// restart stops the server (fast: connections are cut), waits, starts it.
func (s *pgServer) restart(down time.Duration) {
	s.t.Helper()
	s.pgCmd("pg_ctl", "-D", s.data, "-m", "fast", "-w", "stop")
	time.Sleep(down)
	s.start()
}

func (s *pgServer) db() *sql.DB {
	s.t.Helper()
	db, err := sql.Open("pgx", s.url)
	require.NoError(s.t, err)
	s.t.Cleanup(func() { _ = db.Close() })
	return db
}
