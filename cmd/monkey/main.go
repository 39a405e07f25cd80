// Command monkey is Security Monkey: it watches cloud accounts, keeps every
// configuration change as a revision, audits items and reports issues.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/secmonkey/monkey/internal/app"
)

// defaultMemoryLimit is the Go runtime's soft memory limit when GOMEMLIMIT
// is not set: the garbage collector works harder before the heap passes it,
// which keeps a scan of 200,000 items under 300 MB of RSS (docs/benchmarks.md).
// GOMEMLIMIT (or GOMEMLIMIT=off) overrides it.
const defaultMemoryLimit = 200 << 20

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := app.Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
