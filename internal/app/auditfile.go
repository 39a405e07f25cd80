package app

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/secmonkey/monkey/internal/audit"
	"github.com/secmonkey/monkey/internal/change"
	"github.com/secmonkey/monkey/internal/tech"
	"github.com/secmonkey/monkey/internal/tech/all"
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
	techs, err := a.Techs()
	if err != nil {
		return err
	}
	if *list {
		reg := techs.Auditors()
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
	path, name := "-", "stdin"
	if len(pos) == 1 && pos[0] != "-" {
		path, name = pos[0], pos[0]
	}
	a.Logger.Debug("reading the config", "from", name)
	data, err := readInput(ctx, path, a.Stdin, maxConfigBytes)
	if err != nil {
		return fmt.Errorf("audit-file: %w", err)
	}
	cfg, err := change.Decode(data)
	if err != nil {
		return fmt.Errorf("audit-file: %s: %w", name, err)
	}
	var cin audit.ContextInput
	if *ctxFile != "" {
		raw, err := readInput(ctx, *ctxFile, a.Stdin, maxConfigBytes)
		if err != nil {
			return fmt.Errorf("audit-file: context: %w", err)
		}
		dec := json.NewDecoder(bytesReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&cin); err != nil {
			return fmt.Errorf("audit-file: context %s: %w", *ctxFile, err)
		}
	}
	if len(cin.Settings) > 0 {
		// The context's settings apply to this audit: build the auditors
		// with them over the configured ones.
		settings, err := contextSettings(a.Config.Tech, cin.Settings)
		if err != nil {
			return fmt.Errorf("audit-file: context %s: %w", *ctxFile, err)
		}
		if techs, err = a.techRegistry(settings); err != nil {
			return err
		}
	}
	if err := techs.Shape(*tech, cfg); err != nil {
		return fmt.Errorf("audit-file: %s is not a %s config: %w", name, *tech, err)
	}
	for st, items := range cin.SupportItems {
		for k, it := range items {
			if err := techs.Shape(st, it.Config); err != nil {
				return fmt.Errorf("audit-file: context %s: support_items.%s[%d] (%q) is not a %s config: %w", *ctxFile, st, k, it.Name, st, err)
			}
		}
	}
	findings, err := audit.RunFile(techs.Auditors(), *tech, cfg, cin, splitList(*checks))
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

// contextSettings returns the configured technology settings overlaid with
// those of an audit-file context, each validated by its plugin's parser.
func contextSettings(configured, given map[string]string) (map[string]string, error) {
	defs, err := tech.AllSettings(all.Plugins())
	if err != nil {
		return nil, err
	}
	out := maps.Clone(configured)
	if out == nil {
		out = map[string]string{}
	}
	var names []string
	for _, d := range defs {
		names = append(names, d.Name)
	}
	for k, raw := range given {
		i := slices.IndexFunc(defs, func(d *tech.Setting) bool { return d.Name == k })
		if i < 0 {
			return nil, fmt.Errorf("settings: unknown setting %q (known: %s)", k, strings.Join(names, ", "))
		}
		v, err := defs[i].Parse(raw)
		if err != nil {
			return nil, fmt.Errorf("settings: %s: %w", k, err)
		}
		out[k] = v
	}
	return out, nil
}
