// Command monkey is Security Monkey: it watches cloud accounts, keeps every
// configuration change as a revision, audits items and reports issues.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/secmonkey/monkey/internal/app"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := app.Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
