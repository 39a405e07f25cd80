package app

import (
	"context"
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/secmonkey/monkey/internal/api"
	"github.com/secmonkey/monkey/internal/store"
)

// auditLogCommands adds the auditlog command.
func auditLogCommands(t map[string]command) {
	t["auditlog"] = command{"show the action log: every write through the API or the command line", cmdAuditLog}
}

func cmdAuditLog(ctx context.Context, a *App, args []string) error {
	fs := newFlags("auditlog", a.Stderr)
	asJSON := fs.Bool("json", false, "print JSON")
	users := fs.String("user", "", "comma-separated e-mails (cli:<name> for the command line)")
	actions := fs.String("action", "", "comma-separated actions, e.g. issue.justify")
	limit := fs.Int("n", 100, "newest entries to show")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	if *limit < 1 {
		return usagef("auditlog: -n must be at least 1")
	}
	st, err := a.Store(ctx, false)
	if err != nil {
		return err
	}
	list, _, err := st.ListActions(ctx, store.ActionQuery{Users: splitList(*users), Actions: splitList(*actions), Count: *limit})
	if err != nil {
		return err
	}
	out := make([]api.ActionJSON, 0, len(list))
	for _, x := range list {
		out = append(out, api.ActionOf(x))
	}
	if *asJSON {
		enc := json.NewEncoder(a.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	tw := tabwriter.NewWriter(a.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "DATE\tUSER\tSOURCE\tACTION\tTARGET")
	for _, x := range out {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", x.Date, x.User, x.Source, x.Action, x.Target)
	}
	return tw.Flush()
}
