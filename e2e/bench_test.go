package e2e

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"
)

// BenchmarkDistributedScan measures the runtime as separate processes on
// Postgres + Redis against aws-sim with 100 accounts × every implemented
// technology: total scan time with one worker and with two, worker RSS over
// more than 1,000 tasks, broker commands per task and scheduler CPU per
// tick. Run it once: go test ./e2e -run '^$' -bench DistributedScan -benchtime 1x
// The figures are reported as benchmark metrics and logged; they are
// copied into docs/benchmarks.md.
func BenchmarkDistributedScan(b *testing.B) {
	const accounts = 100
	for range b.N {
		b.StopTimer()
		c := newCluster(b, accounts)
		c.mustRun("migrate")
		for i, id := range c.simIDs {
			c.mustRun("account", "add", "aws", "--name", fmt.Sprintf("acct%03d", i), "--id", id)
		}
		techs := len(technologies)
		tasks := accounts * techs
		db := c.pg.db()
		rdb := redis.NewClient(&redis.Options{Addr: fmt.Sprintf("127.0.0.1:%d", c.redis.port)})
		defer rdb.Close()

		w1Addr := fmt.Sprintf("127.0.0.1:%d", freePort(b))
		w1 := c.start("worker-1", []string{"MONKEY_METRICS_ADDR=" + w1Addr}, "worker")
		time.Sleep(2 * time.Second)
		rssIdle := rssKB(b, w1.pid())

		round := func(name string) (time.Duration, float64) {
			time.Sleep(1100 * time.Millisecond) // a new manual slot
			before := redisCommands(b, rdb)
			start := time.Now()
			c.mustRun("enqueue")
			waitScans(b, db, start, tasks)
			d := time.Since(start)
			cmds := float64(redisCommands(b, rdb)-before) / float64(tasks)
			b.Logf("%s: %d tasks in %s (%.0f tasks/s), %.1f Redis commands per task; worker-1 %s", name, tasks, d.Round(time.Millisecond), float64(tasks)/d.Seconds(), cmds, goStats(w1Addr))
			return d, cmds
		}

		b.StartTimer()
		first, _ := round("first scan, 1 worker")
		rss1 := rssKB(b, w1.pid())
		rescan1, cmds := round("unchanged rescan, 1 worker")
		rss2 := rssKB(b, w1.pid())
		round("unchanged rescan, 1 worker")
		rss3 := rssKB(b, w1.pid())

		w2 := c.start("worker-2", []string{fmt.Sprintf("MONKEY_METRICS_ADDR=127.0.0.1:%d", freePort(b))}, "worker")
		time.Sleep(2 * time.Second)
		rescan2, _ := round("unchanged rescan, 2 workers")
		b.StopTimer()
		_ = w2

		// Scheduler CPU per tick with 600 pairs: the first tick enqueues
		// every pair; steady ticks re-read accounts and watcher configs only.
		sched := c.start("scheduler", []string{fmt.Sprintf("MONKEY_METRICS_ADDR=127.0.0.1:%d", freePort(b))}, "scheduler")
		time.Sleep(3 * time.Second)
		cpu0 := cpuMillis(b, sched.pid())
		const ticks = 20
		time.Sleep(ticks * time.Second) // MONKEY_SCHEDULER_TICK=1s
		perTick := float64(cpuMillis(b, sched.pid())-cpu0) / ticks

		b.ReportMetric(first.Seconds(), "first-scan-s")
		b.ReportMetric(rescan1.Seconds(), "rescan-1w-s")
		b.ReportMetric(rescan2.Seconds(), "rescan-2w-s")
		b.ReportMetric(rescan1.Seconds()/rescan2.Seconds(), "scaling-2w")
		b.ReportMetric(cmds, "redis-cmds/task")
		b.ReportMetric(perTick, "sched-cpu-ms/tick")
		b.ReportMetric(float64(rss3)/1024, "worker-rss-MB-1800-tasks")
		b.Logf("worker RSS: idle %d MB, after %d tasks %d MB, after %d %d MB, after %d %d MB",
			rssIdle/1024, tasks, rss1/1024, 2*tasks, rss2/1024, 3*tasks, rss3/1024)
		b.Logf("scaling: unchanged rescan %s with 1 worker, %s with 2 (ratio %.2f); scheduler %.1f ms CPU per steady tick (%d pairs)",
			rescan1.Round(time.Millisecond), rescan2.Round(time.Millisecond), rescan1.Seconds()/rescan2.Seconds(), perTick, tasks)
	}
}

// waitScans waits until n scans finished ok after since.
func waitScans(t testing.TB, db *sql.DB, since time.Time, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Minute)
	for time.Now().Before(deadline) {
		var done int
		err := db.QueryRowContext(context.Background(),
			"SELECT count(*) FROM scans WHERE outcome = 'ok' AND last_end >= $1", since.UTC()).Scan(&done)
		if err == nil && done >= n {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("scans did not finish within 10 minutes")
}

func redisCommands(t testing.TB, rdb *redis.Client) int64 {
	t.Helper()
	info, err := rdb.Info(context.Background(), "stats").Result()
	require.NoError(t, err)
	for _, line := range strings.Split(info, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "total_commands_processed:"); ok {
			n, err := strconv.ParseInt(v, 10, 64)
			require.NoError(t, err)
			return n
		}
	}
	t.Fatal("no total_commands_processed in INFO stats")
	return 0
}

// rssKB reads VmRSS of pid from /proc.
func rssKB(t testing.TB, pid int) int {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	require.NoError(t, err)
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			require.NoError(t, err)
			return n
		}
	}
	t.Fatal("no VmRSS")
	return 0
}

// cpuMillis reads utime+stime of pid from /proc (clock ticks of 10 ms).
func cpuMillis(t testing.TB, pid int) int64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	require.NoError(t, err)
	s := string(b)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	ut, err := strconv.ParseInt(fields[11], 10, 64)
	require.NoError(t, err)
	st, err := strconv.ParseInt(fields[12], 10, 64)
	require.NoError(t, err)
	return (ut + st) * 10
}

// goStats scrapes the Go runtime gauges of a process's /metrics.
func goStats(addr string) string {
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		return err.Error()
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var out []string
	for _, line := range strings.Split(string(body), "\n") {
		for _, m := range []string{"go_goroutines ", "go_memstats_heap_inuse_bytes ", "go_memstats_heap_objects ", "process_open_fds "} {
			if strings.HasPrefix(line, m) {
				out = append(out, line)
			}
		}
	}
	return strings.Join(out, ", ")
}
