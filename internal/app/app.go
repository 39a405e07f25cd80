// Package app wires every component together and implements the monkey
// subcommands. It is the only package that knows every concrete type.
package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/metrics"
	"runtime/pprof"
	"sort"
	"strings"
	"time"
)

// command is one subcommand.
type command struct {
	summary string
	run     func(ctx context.Context, a *App, args []string) error
}

// commands lists every subcommand. Files of this package add their own
// entries through the commandTable function below (no init()).
func commandTable() map[string]command {
	t := map[string]command{}
	for _, add := range []func(map[string]command){
		coreCommands,     // core.go: migrate, account, find-changes, audit-changes, audit-file, aws-sim, demo, config
		runtimeCommands,  // runtime.go: api, run_api_server, scheduler, worker, all, status, enqueue
		userCommands,     // user.go: user, token
		auditLogCommands, // auditlog.go: auditlog
		exportCommands,   // export.go: export
		notifyCommands,   // notifycmd.go: notify, sync-jira
	} {
		add(t)
	}
	return t
}

// Main runs the command line and returns the process exit code.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a := &App{Stdin: stdin, Stdout: stdout, Stderr: stderr}
	defer a.Close()
	if path := os.Getenv("MONKEY_CPUPROFILE"); path != "" { //nolint:forbidigo // a developer switch, not a setting
		// A CPU profile of the whole command, for performance work.
		if f, err := os.Create(path); err == nil {
			defer f.Close()
			if pprof.StartCPUProfile(f) == nil {
				defer pprof.StopCPUProfile()
			}
		}
	}
	if path := os.Getenv("MONKEY_MEMPROFILE"); path != "" { //nolint:forbidigo // a developer switch, not a setting
		// A heap profile taken when the live heap peaks, for memory work.
		stop := peakHeapProfile(path)
		defer stop()
	}
	if err := a.run(ctx, args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintln(stderr, "monkey: "+printable(oneLine(err.Error())))
		var ue usageError
		if errors.As(err, &ue) {
			return 2
		}
		return 1
	}
	return 0
}

type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func (a *App) run(ctx context.Context, args []string) error {
	cmds := commandTable()
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		a.usage(cmds)
		if len(args) == 0 {
			return usagef("no command given")
		}
		return nil
	}
	c, ok := cmds[args[0]]
	if !ok {
		return usagef("unknown command %q (run `monkey help`)", args[0])
	}
	if err := a.init(args[0]); err != nil {
		return err
	}
	return c.run(ctx, a, args[1:])
}

func (a *App) usage(cmds map[string]command) {
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	fmt.Fprintln(a.Stdout, "Usage: monkey <command> [flags]\n\nCommands:")
	for _, n := range names {
		fmt.Fprintf(a.Stdout, "  %-16s %s\n", n, cmds[n].summary)
	}
}

// peakHeapProfile writes a heap profile to path whenever the heap in use
// after a garbage collection reaches a new maximum (checked every 250 ms),
// until the returned stop is called.
func peakHeapProfile(path string) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		var peak uint64
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
			}
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > peak+peak/20 {
				peak = v
				if f, err := os.Create(path); err == nil {
					_ = pprof.Lookup("heap").WriteTo(f, 0)
					f.Close()
				}
			}
		}
	}()
	return func() { close(done); <-finished }
}
