// Package export writes the item and issue exports (the API's CSV exports
// and `monkey export`) and the configuration backup, from store queries.
// The API and the command line share it, so both give the same rows.
package export

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/secmonkey/monkey/internal/store"
)

// Formats.
const (
	CSV  = "csv"
	JSON = "json"
)

// ItemHeader and IssueHeader are the CSV columns of the reference
// (api.md §2.2).
var (
	ItemHeader  = []string{"technology/name", "account/name", "account/identifier", "region", "name", "issues", "comments"}
	IssueHeader = []string{"item/technology/name", "item/account/name", "item/account/identifier", "item/region",
		"item/name", "item/comments", "score", "issue", "notes", "justified", "user/email", "justification"}
)

// pageSize is the number of rows read per query.
const pageSize = 1000

// Items writes the items matching q (paging ignored): issues = number of
// open issues, comments = number of item comments.
func Items(ctx context.Context, st *store.Store, q store.ItemQuery, format string, w io.Writer) error {
	out, err := newWriter(format, ItemHeader, w)
	if err != nil {
		return err
	}
	q.Summary = true
	q.Count = pageSize
	for page := 1; ; page++ {
		q.Page = page
		rows, _, err := st.ListItems(ctx, q)
		if err != nil {
			return fmt.Errorf("export items: %w", err)
		}
		ids := make([]int64, len(rows))
		for i, r := range rows {
			ids[i] = r.ID
		}
		comments, err := st.ItemCommentCounts(ctx, ids)
		if err != nil {
			return fmt.Errorf("export items: %w", err)
		}
		for _, r := range rows {
			if err := out.row([]string{r.Technology, r.Account, r.AccountIdentifier, r.Region, r.Name,
				strconv.Itoa(r.NumIssues), strconv.Itoa(comments[r.ID])}); err != nil {
				return err
			}
		}
		if len(rows) < pageSize {
			return out.close()
		}
	}
}

// Issues writes the unfixed issues matching q (paging ignored).
func Issues(ctx context.Context, st *store.Store, q store.IssueQuery, format string, w io.Writer) error {
	out, err := newWriter(format, IssueHeader, w)
	if err != nil {
		return err
	}
	q.Count = pageSize
	for page := 1; ; page++ {
		q.Page = page
		views, _, err := st.ListIssues(ctx, q)
		if err != nil {
			return fmt.Errorf("export issues: %w", err)
		}
		ids := make([]int64, len(views))
		for i, v := range views {
			ids[i] = v.Issue.ItemID
		}
		comments, err := st.ItemCommentCounts(ctx, ids)
		if err != nil {
			return fmt.Errorf("export issues: %w", err)
		}
		for _, v := range views {
			notes := ""
			if v.Issue.Notes != nil {
				notes = *v.Issue.Notes
			}
			user := ""
			if v.Issue.Justified {
				user = v.Issue.JustifiedUser
			}
			if err := out.row([]string{v.Technology, v.Account, v.AccountIdentifier, v.Region, v.ItemName,
				strconv.Itoa(comments[v.Issue.ItemID]), strconv.Itoa(v.Issue.Score), v.Issue.Text, notes,
				strconv.FormatBool(v.Issue.Justified), user, v.Issue.Justification}); err != nil {
				return err
			}
		}
		if len(views) < pageSize {
			return out.close()
		}
	}
}

// writer writes rows as CSV (every value quoted) or as a JSON array of
// objects keyed by the header.
type writer struct {
	format string
	header []string
	w      io.Writer
	n      int
}

func newWriter(format string, header []string, w io.Writer) (*writer, error) {
	out := &writer{format: format, header: header, w: w}
	switch format {
	case CSV, "":
		out.format = CSV
		return out, out.csvRow(header)
	case JSON:
		_, err := io.WriteString(w, "[")
		return out, err
	}
	return nil, fmt.Errorf("export: unknown format %q (csv or json)", format)
}

// csvRow writes one CSV line with every value double-quoted and quotes
// doubled (the reference's format).
func (o *writer) csvRow(vals []string) error {
	var b strings.Builder
	for i, v := range vals {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('"')
		b.WriteString(strings.ReplaceAll(v, `"`, `""`))
		b.WriteByte('"')
	}
	b.WriteString("\r\n")
	_, err := io.WriteString(o.w, b.String())
	return err
}

func (o *writer) row(vals []string) error {
	if o.format == CSV {
		return o.csvRow(vals)
	}
	obj := make(map[string]string, len(vals))
	for i, v := range vals {
		obj[o.header[i]] = v
	}
	b, err := json.Marshal(obj)
	if err != nil {
		return err
	}
	if o.n > 0 {
		if _, err := io.WriteString(o.w, ",\n"); err != nil {
			return err
		}
	} else if _, err := io.WriteString(o.w, "\n"); err != nil {
		return err
	}
	o.n++
	_, err = o.w.Write(b)
	return err
}

func (o *writer) close() error {
	if o.format == JSON {
		_, err := io.WriteString(o.w, "\n]\n")
		return err
	}
	return nil
}

// Configs writes one JSON file per item with its latest config into dir
// (<dir>/<account>/<technology>/<region>/<name>.json; the reference's
// backup_config_to_json) and returns the number of files.
func Configs(ctx context.Context, st *store.Store, q store.ItemQuery, dir string) (int, error) {
	n := 0
	var after int64
	for {
		list, err := st.LatestConfigs(ctx, q, after, pageSize)
		if err != nil {
			return n, err
		}
		for _, it := range list {
			after = it.ID
			path := filepath.Join(dir, safeName(it.Account), safeName(it.Technology), safeName(it.Region), fileName(it.Name, it.ID))
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				return n, fmt.Errorf("export configs: %w", err)
			}
			var pretty []byte
			var v any
			if err := json.Unmarshal(it.Config, &v); err == nil {
				pretty, _ = json.MarshalIndent(v, "", "  ")
			}
			if pretty == nil {
				pretty = it.Config
			}
			if err := os.WriteFile(path, append(pretty, '\n'), 0o644); err != nil {
				return n, fmt.Errorf("export configs: %w", err)
			}
			n++
		}
		if len(list) < pageSize {
			return n, nil
		}
	}
}

// safeName keeps a path element readable and harmless: separators, dots
// at the start and control characters become "_".
func safeName(s string) string {
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == '/' || r == '\\' || r < 0x20 || r == 0x7f || r == ':' || (i == 0 && r == '.'):
			b.WriteByte('_')
		default:
			b.WriteRune(r)
		}
	}
	out := b.String()
	if out == "" {
		out = "_"
	}
	if len(out) > 200 {
		out = out[:200]
	}
	return out
}

// fileName is the item's file; the id is added when the name had to be
// changed (two names could then collide).
func fileName(name string, id int64) string {
	s := safeName(name)
	if s != name {
		s += "-" + strconv.FormatInt(id, 10)
	}
	return s + ".json"
}
