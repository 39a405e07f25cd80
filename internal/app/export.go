package app

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"strings"

	"github.com/secmonkey/monkey/internal/export"
	"github.com/secmonkey/monkey/internal/store"
)

// exportCommands adds the export command.
func exportCommands(t map[string]command) {
	t["export"] = command{"export items or issues (csv, json) with the API's filters, or every item's config (configs --dir)", cmdExport}
}

// exportFilters are the API's filters as flags.
type exportFilters struct {
	regions, accounts, accountTypes, technologies, names, arns, ids, active, search *string
}

func newExportFlags(name string, a *App) (*flag.FlagSet, exportFilters) {
	fs := newFlags(name, a.Stderr)
	return fs, exportFilters{
		regions: fs.String("regions", "", "comma-separated regions"), accounts: fs.String("accounts", "", "comma-separated account names"),
		accountTypes: fs.String("accounttypes", "", "comma-separated account types"),
		technologies: fs.String("technologies", "", "comma-separated technology indexes"),
		names:        fs.String("names", "", "comma-separated item names"), arns: fs.String("arns", "", "comma-separated ARNs"),
		ids: fs.String("ids", "", "comma-separated item ids"), active: fs.String("active", "", "true (existing) or false (deleted)"),
		search: fs.String("searchconfig", "", "items: substring of the config; issues: comma-separated terms"),
	}
}

func (f exportFilters) query() (store.ItemQuery, error) {
	q := store.ItemQuery{Regions: splitList(*f.regions), Accounts: splitList(*f.accounts), AccountTypes: splitList(*f.accountTypes),
		Technologies: splitList(*f.technologies), Names: splitList(*f.names), ARNs: splitList(*f.arns), SearchConfig: *f.search}
	for _, s := range splitList(*f.ids) {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return q, usagef("export: --ids wants item ids, not %q", s)
		}
		q.IDs = append(q.IDs, id)
	}
	switch strings.ToLower(*f.active) {
	case "":
	case "true":
		t := true
		q.Active, q.ActiveAccounts = &t, true
	default:
		v := false
		q.Active = &v
	}
	return q, nil
}

func cmdExport(ctx context.Context, a *App, args []string) error {
	if len(args) == 0 {
		return usagef("export: want items, issues or configs")
	}
	what := args[0]
	fs, f := newExportFlags("export "+what, a)
	format := fs.String("format", "csv", "csv or json")
	enabledOnly := fs.Bool("enabledonly", false, "issues: only issues whose auditor setting is enabled")
	dir := fs.String("dir", "", "configs: the directory to write one JSON file per item into")
	if _, err := parseInterspersed(fs, args[1:]); err != nil {
		return err
	}
	if *format != export.CSV && *format != export.JSON {
		return usagef("export: --format is csv or json, not %q", *format)
	}
	q, err := f.query()
	if err != nil {
		return err
	}
	st, err := a.Store(ctx, false)
	if err != nil {
		return err
	}
	switch what {
	case "items":
		return export.Items(ctx, st, q, *format, a.Stdout)
	case "issues":
		iq := store.IssueQuery{ItemQuery: q, SearchTerms: splitList(q.SearchConfig), EnabledOnly: *enabledOnly}
		iq.SearchConfig = ""
		return export.Issues(ctx, st, iq, *format, a.Stdout)
	case "configs":
		if *dir == "" {
			return usagef("export configs: --dir DIR is required")
		}
		n, err := export.Configs(ctx, st, q, *dir)
		if err != nil {
			return err
		}
		fmt.Fprintf(a.Stdout, "%d item configs written to %s\n", n, *dir)
		return nil
	}
	return usagef("export: unknown kind %q (want items, issues or configs)", what)
}
