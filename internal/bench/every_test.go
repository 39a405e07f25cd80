package bench

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/secmonkey/monkey/internal/awssim"
)

// everyItems is the number of items of every technology in
// BenchmarkEveryTechnology (MONKEY_BENCH_EVERY_ITEMS, default 1000).
func everyItems() int {
	if v, err := strconv.Atoi(os.Getenv("MONKEY_BENCH_EVERY_ITEMS")); err == nil && v > 0 {
		return v
	}
	return 1000
}

// BenchmarkEveryTechnology scans one simulated account holding
// everyItems() items of every technology the simulator serves, on SQLite:
// each technology alone (first scan, unchanged rescan: items/s, SQL
// statements and AWS calls per 1,000 items), then the whole account at once
// (throughput and peak RSS) beside its collection floor.
func BenchmarkEveryTechnology(b *testing.B) {
	n := everyItems()
	bin := build(b)
	endpoint, accounts := startSimAccounts(b, bin, 1, nil, "--items", strconv.Itoa(n))
	techs := awssim.Technologies()
	var report strings.Builder
	fmt.Fprintf(&report, "One account, %d items of each of %d technologies, SQLite.\n\n", n, len(techs))
	fmt.Fprintln(&report, "| technology | items | first scan items/s | rescan items/s | SQL stmts / 1,000 items (first / rescan) | AWS calls / 1,000 items |")
	fmt.Fprintln(&report, "|---|---|---|---|---|---|")
	e := newBenchEnv(b, bin, endpoint, filepath.Join(b.TempDir(), "monkey.db"), accounts...)
	for _, tech := range techs {
		first := e.findChanges("-m", tech)
		again := e.findChanges("-m", tech)
		st := again.sum.Technologies[tech]
		if st.New+st.Changed+st.Deleted != 0 {
			b.Fatalf("%s: rescan reported changes: %+v", tech, st)
		}
		items := first.sum.Technologies[tech].Items
		k := max(float64(items), 1) / 1000
		calls := int64(0)
		for _, c := range first.sum.Stats.AWSCalls {
			calls += c
		}
		fmt.Fprintf(&report, "| %s | %d | %.0f | %.0f | %.1f / %.1f | %.1f |\n", tech, items,
			rate(items, first.sum.DurationMS), rate(items, again.sum.DurationMS),
			float64(first.sum.Stats.SQLStatements)/k, float64(again.sum.Stats.SQLStatements)/k, float64(calls)/k)
	}
	fmt.Fprintf(&report, "\nThe whole account, SQLite: ")
	r := measureAccount(b, bin, endpoint, accounts, techs)
	r.report(&report)
	fmt.Println(report.String())
	b.ReportMetric(rate(r.items, r.first.sum.DurationMS), "first-items/s")
	b.ReportMetric(rate(r.items, r.again.sum.DurationMS), "rescan-items/s")
	writeOut(b, "MONKEY_BENCH_EVERY_OUT", report.String())
}
