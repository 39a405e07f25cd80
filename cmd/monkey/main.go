// Command monkey is Security Monkey: it watches cloud accounts, keeps every
// configuration change as a revision, audits items and reports issues.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/secmonkey/monkey/internal/app"
)

// defaultMemoryLimit is the Go runtime's soft memory limit when GOMEMLIMIT
// is not set: the garbage collector works harder before the heap passes it,
// which keeps a whole-account scan under 300 MB of RSS, about 95 MB of which
// are the binary's own pages (docs/benchmarks.md). A scan's live heap peaks
// near 100 MB (decision 117): the limit leaves it the usual headroom.
// GOMEMLIMIT (or GOMEMLIMIT=off) overrides it.
const defaultMemoryLimit = 170 << 20

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
	ctx, cancel := context.WithCancel(context.Background())
	stop := onSignals(cancel)
	code := app.Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// onSignals makes the first SIGINT or SIGTERM cancel ctx (a graceful stop:
// daemons finish or hand back their work, a command waiting for its input
// gives up) and the second one exit at once with status 130, whatever the
// process is doing. The returned function stops listening.
func onSignals(cancel context.CancelFunc) func() {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case <-sigs:
			cancel()
		case <-done:
			return
		}
		select {
		case s := <-sigs:
			fmt.Fprintf(os.Stderr, "monkey: %s again: exiting now\n", s)
			os.Exit(130)
		case <-done:
		}
	}()
	return func() {
		signal.Stop(sigs)
		close(done)
	}
}
