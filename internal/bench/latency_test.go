package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
)

// latencyMS is the latency aws-sim adds to every AWS call in
// BenchmarkLatency (real AWS answers in 50–300 ms).
const latencyMS = 50

// chainLength is the longest chain of data-dependent AWS calls of one
// pair of the six first technologies (regions → page → per-item call).
const chainLength = 3

// BenchmarkLatency scans 10 simulated accounts × the six first
// technologies with 50 ms added to every AWS call, on SQLite: one
// find-changes process (first scan, then an unchanged rescan), and ten
// one-account processes at once as the comparison the issue gives. The
// floor is the chain of chainLength dependent calls made by the AWS SDK
// alone under the same latency, measured in the same run.
func BenchmarkLatency(b *testing.B) {
	bin := build(b)
	endpoint, accounts := startSimAccounts(b, bin, 10, nil)
	resp, err := http.Post(endpoint+"/_sim/faults", "application/json",
		strings.NewReader(fmt.Sprintf(`{"latency_ms":%d}`, latencyMS)))
	if err != nil || resp.StatusCode != http.StatusOK {
		b.Fatalf("set latency: %v %v", err, resp)
	}
	resp.Body.Close()
	techs := strings.Join(technologies, ",")
	floor := sdkChain(b, endpoint, chainLength)

	one := newBenchEnv(b, bin, endpoint, filepath.Join(b.TempDir(), "monkey.db"), accounts...)
	first := one.findChanges("-m", techs)
	again := one.findChanges("-m", techs)
	calls := int64(0)
	for _, c := range first.sum.Stats.AWSCalls {
		calls += c
	}

	// Ten processes, one account each, on a fresh database.
	ten := newBenchEnv(b, bin, endpoint, filepath.Join(b.TempDir(), "monkey.db"), accounts...)
	start := time.Now()
	var wg sync.WaitGroup
	errs := make([]error, len(accounts))
	for i := range accounts {
		name := "bench"
		if i > 0 {
			name += fmt.Sprint(i + 1)
		}
		wg.Go(func() { _, errs[i] = ten.tryFindChanges("-a", name, "-m", techs) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		b.Fatal(err)
	}
	tenWall := time.Since(start)

	var report bytes.Buffer
	fmt.Fprintf(&report, "10 accounts × %d technologies, %d ms per AWS call, %d AWS calls (first scan), SQLite.\n\n", len(technologies), latencyMS, calls)
	fmt.Fprintln(&report, "| run | wall | CPU (user+sys) | × floor |")
	fmt.Fprintln(&report, "|---|---|---|---|")
	row := func(name string, wall, cpu time.Duration) {
		c := "—"
		if cpu > 0 {
			c = cpu.Round(10 * time.Millisecond).String()
		}
		fmt.Fprintf(&report, "| %s | %s | %s | %.1f |\n", name, wall.Round(10*time.Millisecond), c, wall.Seconds()/floor.Seconds())
	}
	row(fmt.Sprintf("floor: %d dependent calls through the AWS SDK", chainLength), floor, 0)
	row("one find-changes, first scan", first.wall, first.cpu)
	row("one find-changes, unchanged rescan", again.wall, again.cpu)
	row("ten one-account find-changes at once, first scan", tenWall, 0)
	fmt.Println(report.String())
	b.ReportMetric(first.wall.Seconds(), "first-s")
	b.ReportMetric(again.wall.Seconds(), "rescan-s")
	b.ReportMetric(floor.Seconds(), "floor-s")
	if out := os.Getenv("MONKEY_BENCH_LATENCY_OUT"); out != "" {
		if err := os.WriteFile(out, report.Bytes(), 0o644); err != nil {
			b.Error(err)
		}
	}
}

// sdkChain times n dependent EC2 calls made one after the other by the AWS
// SDK alone (the best any scan of a pair can do under the latency).
func sdkChain(b *testing.B, endpoint string, n int) time.Duration {
	b.Helper()
	client := ec2.New(ec2.Options{Region: "us-east-1", BaseEndpoint: aws.String(endpoint),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")})
	ctx := context.Background()
	if _, err := client.DescribeRegions(ctx, &ec2.DescribeRegionsInput{}); err != nil { // warm the connection
		b.Fatal(err)
	}
	start := time.Now()
	for range n {
		if _, err := client.DescribeRegions(ctx, &ec2.DescribeRegionsInput{}); err != nil {
			b.Fatal(err)
		}
	}
	return time.Since(start)
}
