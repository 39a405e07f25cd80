package app

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/secmonkey/monkey/internal/audit"
	"github.com/secmonkey/monkey/internal/change"
)

// maxConfigBytes bounds the size of a config given to audit-file.
const maxConfigBytes = 64 << 20

type fileIssue struct {
	Issue string  `json:"issue"`
	Score int     `json:"score"`
	Notes *string `json:"notes"`
}

func cmdAuditFile(ctx context.Context, a *App, args []string) error {
	fs := newFlags("audit-file", a.Stderr)
	tech := fs.String("technology", "", "technology index of the config, e.g. s3")
	checks := fs.String("checks", "", "comma-separated check ids to run (default: all), e.g. s3.acl_unknown")
	ctxFile := fs.String("context", "", "JSON file with the account context")
	list := fs.Bool("list-checks", false, "list the check ids and exit")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	reg, err := a.auditRegistry()
	if err != nil {
		return err
	}
	if *list {
		tw := tabwriter.NewWriter(a.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "CHECK\tOVERRIDE KEY")
		for _, c := range reg.Checks() {
			if *tech == "" || strings.HasPrefix(c.ID, *tech+".") {
				fmt.Fprintf(tw, "%s\t%s\n", c.ID, c.OverrideKey())
			}
		}
		return tw.Flush()
	}
	if *tech == "" {
		return usagef("audit-file: --technology is required (see --list-checks)")
	}
	if len(pos) > 1 {
		return usagef("audit-file: give at most one config file (or - for stdin)")
	}
	var in io.Reader = a.Stdin
	name := "stdin"
	if len(pos) == 1 && pos[0] != "-" {
		f, err := os.Open(pos[0])
		if err != nil {
			return fmt.Errorf("audit-file: %w", err)
		}
		defer f.Close()
		in, name = f, pos[0]
	}
	data, err := io.ReadAll(io.LimitReader(in, maxConfigBytes+1))
	if err != nil {
		return fmt.Errorf("audit-file: read %s: %w", name, err)
	}
	if len(data) > maxConfigBytes {
		return fmt.Errorf("audit-file: %s is larger than %d MiB", name, maxConfigBytes>>20)
	}
	cfg, err := change.Decode(data)
	if err != nil {
		return fmt.Errorf("audit-file: %s: %w", name, err)
	}
	var cin audit.ContextInput
	if *ctxFile != "" {
		raw, err := os.ReadFile(*ctxFile)
		if err != nil {
			return fmt.Errorf("audit-file: context: %w", err)
		}
		dec := json.NewDecoder(bytesReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&cin); err != nil {
			return fmt.Errorf("audit-file: context %s: %w", *ctxFile, err)
		}
	}
	findings, err := audit.RunFile(reg, *tech, cfg, cin, splitList(*checks))
	if err != nil {
		return fmt.Errorf("audit-file: %w", err)
	}
	out := make([]fileIssue, len(findings))
	for i, f := range findings {
		out[i] = fileIssue{Issue: f.Text, Score: f.Score, Notes: f.Notes}
	}
	enc := json.NewEncoder(a.Stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
