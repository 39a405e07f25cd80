// Package bench measures the whole scan pipeline against the simulated AWS
// endpoint, through the real binary, on SQLite and Postgres. Run it with
// `make bench`; the figures go to docs/benchmarks.md.
package bench

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/secmonkey/monkey/internal/store/storetest"
)

// scale is the number of security groups and of IAM roles in the benchmark
// account (MONKEY_BENCH_SCALE, default 100000); the other technologies get
// scale/100 items (s3: scale/200, each bucket costs 15 calls).
func scale() int {
	if v, err := strconv.Atoi(os.Getenv("MONKEY_BENCH_SCALE")); err == nil && v > 0 {
		return v
	}
	return 100000
}

type techStats struct {
	Items, New, Changed, Ephemeral, Deleted, Issues, Errors int
}

type summary struct {
	Technologies map[string]techStats `json:"technologies"`
	DurationMS   int64                `json:"duration_ms"`
	Stats        struct {
		SQLStatements int64            `json:"sql_statements"`
		AWSCalls      map[string]int64 `json:"aws_calls"`
	} `json:"stats"`
}

type run struct {
	sum    summary
	maxRSS int64 // KiB
	wall   time.Duration
	cpu    time.Duration // user + system
}

type env struct {
	b      *testing.B
	binary string
	vars   []string
}

// newBenchEnv migrates the database db and adds the simulated accounts
// (named bench, bench2…) for runs of bin against endpoint.
func newBenchEnv(b *testing.B, bin, endpoint, db string, accounts ...string) env {
	b.Helper()
	e := env{b: b, binary: bin, vars: []string{"PATH=" + os.Getenv("PATH"), "HOME=" + b.TempDir(),
		"MONKEY_DATABASE_URL=" + db, "MONKEY_LOG_LEVEL=error", "AWS_ENDPOINT_URL=" + endpoint,
		"AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_REGION=us-east-1",
		"AWS_EC2_METADATA_DISABLED=true"}}
	e.must("migrate")
	for i, acct := range accounts {
		name := "bench"
		if i > 0 {
			name += strconv.Itoa(i + 1)
		}
		e.must("account", "add", "aws", "--name", name, "--id", acct)
	}
	return e
}

func (e env) findChanges(args ...string) run {
	e.b.Helper()
	r, err := e.tryFindChanges(args...)
	if err != nil {
		e.b.Fatal(err)
	}
	return r
}

// tryFindChanges runs `monkey find-changes --json --stats args…` (safe to
// call from several goroutines).
func (e env) tryFindChanges(args ...string) (run, error) {
	cmd := exec.Command(e.binary, append([]string{"find-changes", "--json", "--stats"}, args...)...)
	cmd.Env = e.vars
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return run{}, fmt.Errorf("find-changes %v: %w\n%s", args, err, errOut.String())
	}
	r := run{wall: time.Since(start), cpu: cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.maxRSS = ru.Maxrss
	}
	if err := json.Unmarshal(out.Bytes(), &r.sum); err != nil {
		return run{}, fmt.Errorf("decode summary: %w\n%s", err, out.String())
	}
	return r, nil
}

func (e env) must(args ...string) {
	e.b.Helper()
	cmd := exec.Command(e.binary, args...)
	cmd.Env = e.vars
	if out, err := cmd.CombinedOutput(); err != nil {
		e.b.Fatalf("monkey %v: %v\n%s", args, err, out)
	}
}

func build(b *testing.B) string {
	b.Helper()
	bin := filepath.Join(b.TempDir(), "monkey")
	cmd := exec.Command("go", "build", "-o", bin, "../../cmd/monkey")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

func startSim(b *testing.B, bin string, per map[string]int) (string, string) {
	b.Helper()
	endpoint, accounts := startSimAccounts(b, bin, 1, per)
	return endpoint, accounts[0]
}

// startSimAccounts starts `monkey aws-sim` with n accounts (per: items per
// technology, nil for the defaults) and returns its endpoint and account ids.
func startSimAccounts(b *testing.B, bin string, n int, per map[string]int, extra ...string) (string, []string) {
	b.Helper()
	var parts []string
	for k, v := range per {
		parts = append(parts, fmt.Sprintf("%s=%d", k, v))
	}
	slices.Sort(parts)
	args := []string{"aws-sim", "--listen", "127.0.0.1:0", "--accounts", strconv.Itoa(n), "--seed", "42"}
	if len(parts) > 0 {
		args = append(args, "--items-per", strings.Join(parts, ","))
	}
	args = append(args, extra...)
	cmd := exec.Command(bin, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		b.Fatal(err)
	}
	var ready struct {
		Endpoint string   `json:"endpoint"`
		Accounts []string `json:"accounts"`
	}
	if err := json.Unmarshal([]byte(line), &ready); err != nil {
		b.Fatal(err)
	}
	return ready.Endpoint, ready.Accounts
}

var technologies = []string{"iamgroup", "iamrole", "iamuser", "policy", "s3", "securitygroup"}

// BenchmarkScan runs, per engine: every technology alone (first scan then
// unchanged rescan) with SQL and AWS call counts, then all technologies
// together on a fresh database for throughput and peak RSS.
func BenchmarkScan(b *testing.B) {
	n := scale()
	per := map[string]int{"securitygroup": n, "iamrole": n, "iamuser": max(n/100, 5),
		"iamgroup": max(n/100, 5), "policy": max(n/100, 5), "s3": max(n/200, 5)}
	bin := build(b)
	var report strings.Builder
	fmt.Fprintf(&report, "machine: %d CPUs, %s/%s, %s; account: %v\n\n", runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, runtime.Version(), per)
	for _, engine := range []string{"sqlite", "postgres"} {
		b.Run(engine, func(b *testing.B) {
			endpoint, acct := startSim(b, bin, per)
			newEnv := func() env {
				db := filepath.Join(b.TempDir(), "monkey.db")
				if engine == "postgres" {
					db = storetest.ScratchPostgres(b)
				}
				return newBenchEnv(b, bin, endpoint, db, acct)
			}
			fmt.Fprintf(&report, "### %s\n\n", engine)
			fmt.Fprintln(&report, "| technology | items | first scan items/s | rescan items/s | SQL stmts / 1,000 items (first / rescan) | AWS calls / 1,000 items |")
			fmt.Fprintln(&report, "|---|---|---|---|---|---|")
			e := newEnv()
			for _, tech := range technologies {
				first := e.findChanges("-m", tech)
				again := e.findChanges("-m", tech)
				items := first.sum.Technologies[tech].Items
				if again.sum.Technologies[tech].New+again.sum.Technologies[tech].Changed+again.sum.Technologies[tech].Deleted != 0 {
					b.Fatalf("%s: rescan reported changes: %+v", tech, again.sum.Technologies[tech])
				}
				calls := int64(0)
				for _, c := range first.sum.Stats.AWSCalls {
					calls += c
				}
				k := float64(items) / 1000
				fmt.Fprintf(&report, "| %s | %d | %.0f | %.0f | %.1f / %.1f | %.1f |\n", tech, items,
					rate(items, first.sum.DurationMS), rate(items, again.sum.DurationMS),
					float64(first.sum.Stats.SQLStatements)/k, float64(again.sum.Stats.SQLStatements)/k, float64(calls)/k)
			}
			all := newEnv()
			first := all.findChanges()
			again := all.findChanges()
			total := 0
			for _, t := range first.sum.Technologies {
				total += t.Items
			}
			fmt.Fprintf(&report, "\nAll technologies together, %d items: first scan %.1f s (%.0f items/s, peak RSS %d MB), "+
				"unchanged rescan %.1f s (%.0f items/s, peak RSS %d MB).\n\n",
				total, float64(first.sum.DurationMS)/1000, rate(total, first.sum.DurationMS), first.maxRSS/1024,
				float64(again.sum.DurationMS)/1000, rate(total, again.sum.DurationMS), again.maxRSS/1024)
			b.ReportMetric(rate(total, first.sum.DurationMS), "first-items/s")
			b.ReportMetric(rate(total, again.sum.DurationMS), "rescan-items/s")
			b.ReportMetric(float64(max(first.maxRSS, again.maxRSS))/1024, "peak-MB")
		})
	}
	fmt.Println(report.String())
	if out := os.Getenv("MONKEY_BENCH_OUT"); out != "" {
		if err := os.WriteFile(out, []byte(report.String()), 0o644); err != nil {
			b.Error(err)
		}
	}
}

func rate(items int, ms int64) float64 {
	if ms <= 0 {
		ms = 1
	}
	return float64(items) * 1000 / float64(ms)
}

// BenchmarkTwoLarge scans the two large technologies (MONKEY_BENCH_SCALE
// security groups and IAM roles) of one account together, on SQLite: the
// first scan and an unchanged rescan, with their peak RSS. Collection runs
// many pairs at once; the pipeline's item budget, not the number of pairs
// in flight, bounds the memory (DESIGN.md §6: < 300 MB at 200,000 items).
func BenchmarkTwoLarge(b *testing.B) {
	n := scale()
	bin := build(b)
	endpoint, acct := startSim(b, bin, map[string]int{"securitygroup": n, "iamrole": n})
	e := newBenchEnv(b, bin, endpoint, filepath.Join(b.TempDir(), "monkey.db"), acct)
	first := e.findChanges("-m", "securitygroup,iamrole")
	again := e.findChanges("-m", "securitygroup,iamrole")
	items := first.sum.Technologies["securitygroup"].Items + first.sum.Technologies["iamrole"].Items
	report := fmt.Sprintf("securitygroup + iamrole, %d items, SQLite: first scan %.1f s (%.0f items/s, peak RSS %d MB, CPU %s), "+
		"unchanged rescan %.1f s (%.0f items/s, peak RSS %d MB, CPU %s).\n", items,
		first.wall.Seconds(), rate(items, first.sum.DurationMS), first.maxRSS/1024, first.cpu.Round(100*time.Millisecond),
		again.wall.Seconds(), rate(items, again.sum.DurationMS), again.maxRSS/1024, again.cpu.Round(100*time.Millisecond))
	fmt.Print(report)
	b.ReportMetric(float64(max(first.maxRSS, again.maxRSS))/1024, "peak-MB")
	if out := os.Getenv("MONKEY_BENCH_TWO_OUT"); out != "" {
		if err := os.WriteFile(out, []byte(report), 0o644); err != nil {
			b.Error(err)
		}
	}
}
