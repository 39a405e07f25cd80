package bench

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"golang.org/x/sync/errgroup"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/awssim"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/pipeline"
	"github.com/secmonkey/monkey/internal/policy"
	"github.com/secmonkey/monkey/internal/tech"
	"github.com/secmonkey/monkey/internal/tech/all"
	"github.com/secmonkey/monkey/internal/watch"
)

// floorRun is the collection floor of one account: every technology's
// watcher collects through the AWS SDK, as find-changes does (the same
// calls, pairs and regions at once), and the items are counted and dropped:
// no database, no change detection, no audit.
type floorRun struct {
	items int64
	calls int64
	wall  time.Duration
	cpu   time.Duration // this process's user + system time during the run
}

// collectFloor measures the collection floor of account acct on endpoint,
// in this process, for techs.
func collectFloor(b *testing.B, endpoint, acct string, techs []string) floorRun {
	b.Helper()
	ctx := context.Background()
	cat, err := policy.LoadCatalogue()
	if err != nil {
		b.Fatal(err)
	}
	reg, err := tech.NewRegistry(all.Plugins(), tech.Deps{Catalogue: cat})
	if err != nil {
		b.Fatal(err)
	}
	base := aws.Config{Region: awsclient.DefaultRegion, BaseEndpoint: aws.String(endpoint),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")}
	client, err := awsclient.New(ctx, awsclient.Options{Base: &base})
	if err != nil {
		b.Fatal(err)
	}
	account := monkey.Account{ID: 1, Type: monkey.CloudAWS, Identifier: acct, Name: "floor", Active: true}
	var items atomic.Int64
	sink := func(monkey.Item) { items.Add(1) }
	runtime.GC()
	cpu0 := selfCPU()
	start := time.Now()
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(pipeline.DefaultCollectConcurrency)
	for _, t := range techs {
		w, ok := reg.Watcher(t)
		if !ok {
			b.Fatalf("floor: unknown technology %s", t)
		}
		g.Go(func() error {
			sess, err := client.Session(gctx, account)
			if err != nil {
				return err
			}
			res, err := w.Collect(gctx, watch.Scope{Account: account, Session: sess, RegionConcurrency: 8, Sink: sink})
			if err != nil {
				return fmt.Errorf("floor %s: %w", t, err)
			}
			if len(res.Failures) > 0 {
				return fmt.Errorf("floor %s: %v", t, res.Failures[0])
			}
			items.Add(int64(len(res.Items)))
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		b.Fatal(err)
	}
	r := floorRun{items: items.Load(), wall: time.Since(start), cpu: selfCPU() - cpu0}
	for _, n := range client.Calls() {
		r.calls += n
	}
	return r
}

func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// accountRun is one whole-account measurement: the floor, a first scan and
// an unchanged rescan by find-changes on a fresh SQLite database, the floor
// again (the faster floor is kept).
type accountRun struct {
	floor        floorRun
	first, again run
	items        int
	techs        int
	load         [2]string // load average before the floor and after the rescan
}

func measureAccount(b *testing.B, bin, endpoint string, accounts, techs []string) accountRun {
	b.Helper()
	var r accountRun
	r.load[0] = loadAverage()
	r.floor = collectFloor(b, endpoint, accounts[0], techs)
	e := newBenchEnv(b, bin, endpoint, b.TempDir()+"/monkey.db", accounts...)
	r.first = e.findChanges()
	r.again = e.findChanges()
	// The floor again, after the scans: the faster of the two is the
	// floor (the load of a shared machine moves during the run).
	if again := collectFloor(b, endpoint, accounts[0], techs); again.wall < r.floor.wall {
		r.floor = again
	}
	r.load[1] = loadAverage()
	for t, s := range r.again.sum.Technologies {
		if s.New+s.Changed+s.Deleted != 0 {
			b.Fatalf("%s: rescan reported changes: %+v", t, s)
		}
		r.items += s.Items
	}
	r.techs = len(r.first.sum.Technologies)
	if int64(r.items) != r.floor.items {
		b.Fatalf("the floor collected %d items, the scan stored %d", r.floor.items, r.items)
	}
	return r
}

// report writes the rows of r: floor, first scan, rescan.
func (r accountRun) report(sb *strings.Builder) {
	k := float64(r.items) / 1000
	calls := func(x run) int64 {
		n := int64(0)
		for _, c := range x.sum.Stats.AWSCalls {
			n += c
		}
		return n
	}
	fmt.Fprintf(sb, "%d items of %d technologies; load average %s before, %s after.\n\n", r.items, r.techs, r.load[0], r.load[1])
	fmt.Fprintln(sb, "| run | wall | items/s | × floor (time) | CPU (user+sys) | peak RSS | SQL stmts / 1,000 items | AWS calls / 1,000 items |")
	fmt.Fprintln(sb, "|---|---|---|---|---|---|---|---|")
	fw := r.floor.wall.Seconds()
	fmt.Fprintf(sb, "| floor: the watchers' AWS calls through the SDK, items dropped (faster of two) | %.1f s | %.0f | 1.0 | %s | – | – | %.1f |\n",
		fw, float64(r.items)/fw, r.floor.cpu.Round(100*time.Millisecond), float64(r.floor.calls)/k)
	row := func(name string, x run) {
		d := float64(x.sum.DurationMS) / 1000
		fmt.Fprintf(sb, "| %s | %.1f s | %.0f | %.2f | %s | %d MB | %.1f | %.1f |\n", name, d, rate(r.items, x.sum.DurationMS),
			d/fw, x.cpu.Round(100*time.Millisecond), x.maxRSS/1024, float64(x.sum.Stats.SQLStatements)/k, float64(calls(x))/k)
	}
	row("find-changes, first scan", r.first)
	row("find-changes, unchanged rescan", r.again)
}

func loadAverage() string {
	var si syscall.Sysinfo_t
	if err := syscall.Sysinfo(&si); err != nil {
		return "?"
	}
	f := func(v uint64) string { return fmt.Sprintf("%.2f", float64(v)/65536) }
	return f(si.Loads[0]) + " " + f(si.Loads[1]) + " " + f(si.Loads[2])
}

// accountMix is the realistic account of BenchmarkAccountMix: one
// list-only technology per family at 10,000 items or more, the
// technologies read one item per call at the hundreds a large account
// holds, everything else at mixDefault.
var accountMix = map[string]int{
	// EC2 and VPC: listed 500–1,000 a page.
	"securitygroup": 20000, "ec2instance": 20000, "ebsvolume": 20000,
	"networkinterface": 20000, "subnet": 10000,
	// IAM: roles come with GetAccountAuthorizationDetails.
	"iamrole": 20000, "policy": 1000, "iamuser": 500, "iamgroup": 200,
	// RDS: listed 100 a page; 3.7 % manual snapshots cost one call each.
	"rdssnapshot": 10000,
	// Snapshots: two attribute calls per snapshot (the API's floor).
	"ebssnapshot": 10000,
	// One or more calls per item: hundreds.
	"s3": 300, "lambda": 500, "alb": 200, "elb": 200, "kms": 300, "sqs": 300,
	"sns": 300, "ec2image": 200, "secretsmanager": 300, "ecrrepository": 200,
}

// mixDefault is the size of every other technology in accountMix.
const mixDefault = 100

// BenchmarkAccountMix scans one simulated account shaped like a large
// real one (accountMix), every technology, on SQLite: the collection floor,
// the first scan and the unchanged rescan (DESIGN.md §6 budgets).
func BenchmarkAccountMix(b *testing.B) {
	bin := build(b)
	endpoint, accounts := startSimAccounts(b, bin, 1, accountMix, "--items", fmt.Sprint(mixDefault))
	var sb strings.Builder
	var sizes []string
	for t, n := range accountMix {
		sizes = append(sizes, fmt.Sprintf("%s %d", t, n))
	}
	slices.Sort(sizes)
	fmt.Fprintf(&sb, "Account mix: %s; every other technology %d.\n\n", strings.Join(sizes, ", "), mixDefault)
	r := measureAccount(b, bin, endpoint, accounts, awssim.Technologies())
	r.report(&sb)
	fmt.Println(sb.String())
	b.ReportMetric(rate(r.items, r.first.sum.DurationMS), "first-items/s")
	b.ReportMetric(rate(r.items, r.again.sum.DurationMS), "rescan-items/s")
	b.ReportMetric(float64(max(r.first.maxRSS, r.again.maxRSS))/1024, "peak-MB")
	writeOut(b, "MONKEY_BENCH_MIX_OUT", sb.String())
}

// writeOut writes report to the file named by the environment variable
// env, when set.
func writeOut(b *testing.B, env, report string) {
	b.Helper()
	if out := os.Getenv(env); out != "" {
		if err := os.WriteFile(out, []byte(report), 0o644); err != nil {
			b.Error(err)
		}
	}
}
