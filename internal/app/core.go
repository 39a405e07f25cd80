package app

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/secmonkey/monkey/internal/awssim"
)

// coreCommands adds the core commands.
func coreCommands(t map[string]command) {
	t["migrate"] = command{"apply pending database migrations", cmdMigrate}
	t["account"] = command{"add, list, update or remove watched accounts", cmdAccount}
	t["find-changes"] = command{"scan accounts now and store and audit changes", cmdFindChanges}
	t["audit-changes"] = command{"re-run the auditors on stored items", cmdAuditChanges}
	t["audit-file"] = command{"audit one item config given in its stored shape", cmdAuditFile}
	t["aws-sim"] = command{"run the simulated AWS endpoint", cmdAWSSim}
	t["demo"] = command{"scan a simulated AWS organisation with nothing installed", cmdDemo}
	t["config"] = command{"print the effective configuration (secrets redacted)", cmdConfig}
}

func cmdMigrate(ctx context.Context, a *App, args []string) error {
	fs := newFlags("migrate", a.Stderr)
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	s, err := a.openStore(ctx)
	if err != nil {
		return err
	}
	n, err := s.Migrate(ctx)
	if err != nil {
		return err
	}
	if err := a.loadAWSOwnedAccounts(ctx, s); err != nil {
		return err
	}
	a.store = s
	fmt.Fprintf(a.Stdout, "database %s: %d migration(s) applied, schema current\n", s.Engine(), n)
	return nil
}

func cmdConfig(ctx context.Context, a *App, args []string) error {
	fs := newFlags("config", a.Stderr)
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	enc := json.NewEncoder(a.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(a.Config)
}

func cmdAWSSim(ctx context.Context, a *App, args []string) error {
	fs := newFlags("aws-sim", a.Stderr)
	listen := fs.String("listen", "127.0.0.1:4566", "address to listen on")
	accounts := fs.Int("accounts", 3, "number of simulated accounts")
	seed := fs.Int64("seed", 1, "seed of the simulated resources")
	items := fs.Int("items", 0, "resources of each technology per account (default: a handful)")
	regions := fs.String("regions", "", "comma-separated enabled regions (default us-east-1,us-west-2,eu-west-1)")
	itemsPer := fs.String("items-per", "", "per-technology counts overriding --items, e.g. securitygroup=100000,iamrole=100000")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	per := map[string]int{}
	for _, kv := range splitList(*itemsPer) {
		k, v, ok := strings.Cut(kv, "=")
		n, err := strconv.Atoi(v)
		if !ok || err != nil {
			return usagef("aws-sim: --items-per wants technology=count pairs, got %q", kv)
		}
		per[k] = n
	}
	opts := awssim.Options{Accounts: *accounts, Seed: *seed, Items: *items, ItemsPer: per, Regions: splitList(*regions), Logger: a.Logger}
	return awssim.Run(ctx, *listen, opts, a.Stdout)
}
