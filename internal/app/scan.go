package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"sync"
	"text/tabwriter"
	"time"

	"golang.org/x/sync/errgroup"
	"golang.org/x/term"

	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/pipeline"
)

// scanConcurrency bounds the (account, technology) tasks run at once by
// the synchronous commands: one per CPU (at least 2), since a task is mostly
// CPU-bound decoding cloud API replies.
func scanConcurrency() int { return max(2, runtime.NumCPU()) }

// Summary is the find-changes report.
type Summary struct {
	Technologies map[string]*pipeline.TaskResult `json:"technologies"`
	DurationMS   int64                           `json:"duration_ms"`
	Failed       []string                        `json:"failed,omitempty"` // tasks that could not run
	// Stats is set with --stats: SQL statements and cloud API calls made.
	Stats *ScanStats `json:"stats,omitempty"`
}

// ScanStats counts the work behind a summary (for benchmarks).
type ScanStats struct {
	SQLStatements int64            `json:"sql_statements"`
	AWSCalls      map[string]int64 `json:"aws_calls"`
	Throttles     int64            `json:"throttles"`
}

// selectAccounts resolves -a (names; empty = every active watched AWS account).
func selectAccounts(ctx context.Context, a *App, names []string) ([]monkey.Account, error) {
	s, err := a.Store(ctx, false)
	if err != nil {
		return nil, err
	}
	if len(names) > 0 {
		out := make([]monkey.Account, 0, len(names))
		for _, n := range names {
			acct, err := s.AccountByName(ctx, n)
			if err != nil {
				return nil, fmt.Errorf("account %q: %w", n, err)
			}
			if acct.ThirdParty {
				return nil, monkey.Errorf(monkey.EINVALID, "account %q is third-party: it is not watched", n)
			}
			out = append(out, acct)
		}
		return out, nil
	}
	all, err := s.ListAccounts(ctx)
	if err != nil {
		return nil, err
	}
	var out []monkey.Account
	for _, acct := range all {
		if acct.Active && !acct.ThirdParty && acct.Type == "AWS" {
			out = append(out, acct)
		}
	}
	if len(out) == 0 {
		return nil, monkey.Errorf(monkey.EINVALID, "no active watched account: add one with `monkey account add aws --name NAME --id ACCOUNT_ID`")
	}
	return out, nil
}

// selectTechnologies resolves -m (indexes; empty = all implemented).
func selectTechnologies(a *App, names []string) ([]string, error) {
	var known []string
	for _, t := range a.Technologies() {
		known = append(known, t.Index)
	}
	if len(names) == 0 {
		return known, nil
	}
	for _, n := range names {
		if !slices.Contains(known, n) {
			return nil, usagef("unknown technology %q (implemented: %v)", n, known)
		}
	}
	return names, nil
}

// progress prints a one-line progress report on a terminal.
type progress struct {
	mu    sync.Mutex
	w     io.Writer
	on    bool
	done  int
	total int
}

func newProgress(w io.Writer, total int) *progress {
	f, ok := w.(*os.File)
	return &progress{w: w, on: ok && term.IsTerminal(int(f.Fd())), total: total}
}

func (p *progress) step(label string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done++
	if p.on {
		fmt.Fprintf(p.w, "\r\033[K[%d/%d] %s", p.done, p.total, label)
		if p.done == p.total {
			fmt.Fprint(p.w, "\r\033[K")
		}
	}
}

// scan runs every selected pair through fn with bounded concurrency.
func scan(ctx context.Context, a *App, accounts []monkey.Account, techs []string,
	fn func(ctx context.Context, acct monkey.Account, tech string) (pipeline.TaskResult, error)) (*Summary, error) {
	start := time.Now()
	sum := &Summary{Technologies: map[string]*pipeline.TaskResult{}}
	for _, t := range techs {
		sum.Technologies[t] = &pipeline.TaskResult{}
	}
	prog := newProgress(a.Stderr, len(accounts)*len(techs))
	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(scanConcurrency())
	for _, acct := range accounts {
		for _, t := range techs {
			g.Go(func() error {
				r, err := fn(gctx, acct, t)
				mu.Lock()
				defer mu.Unlock()
				sum.Technologies[t].Add(r)
				if err != nil {
					if ctx.Err() != nil {
						return ctx.Err()
					}
					sum.Technologies[t].Errors = max(sum.Technologies[t].Errors, 1)
					sum.Failed = append(sum.Failed, fmt.Sprintf("%s/%s: %v", acct.Name, t, err))
				}
				prog.step(acct.Name + "/" + t)
				return nil
			})
		}
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	slices.Sort(sum.Failed)
	sum.DurationMS = time.Since(start).Milliseconds()
	return sum, nil
}

func printSummary(w io.Writer, sum *Summary, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(w)
		return enc.Encode(sum)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "TECHNOLOGY\tITEMS\tNEW\tCHANGED\tEPHEMERAL\tDELETED\tISSUES\tERRORS\t")
	keys := make([]string, 0, len(sum.Technologies))
	for k := range sum.Technologies {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var total pipeline.TaskResult
	for _, k := range keys {
		r := sum.Technologies[k]
		total.Add(*r)
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t\n", k, r.Items, r.New, r.Changed, r.Ephemeral, r.Deleted, r.Issues, r.Errors)
	}
	fmt.Fprintf(tw, "total\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t\n", total.Items, total.New, total.Changed, total.Ephemeral, total.Deleted, total.Issues, total.Errors)
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "scanned in %.1fs\n", float64(sum.DurationMS)/1000)
	for _, f := range sum.Failed {
		fmt.Fprintln(w, "failed: "+f)
	}
	return nil
}

func cmdFindChanges(ctx context.Context, a *App, args []string) error {
	fs := newFlags("find-changes", a.Stderr)
	accts := fs.String("a", "", "comma-separated account names (default: every active account)")
	techs := fs.String("m", "", "comma-separated technologies (default: all)")
	asJSON := fs.Bool("json", false, "print the summary as JSON")
	stats := fs.Bool("stats", false, "add SQL statement and AWS call counts to the JSON summary")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	sum, err := findChanges(ctx, a, splitList(*accts), splitList(*techs))
	if err != nil {
		return err
	}
	if *stats {
		sum.Stats = &ScanStats{SQLStatements: a.store.Statements(), AWSCalls: a.cloud.Calls(), Throttles: a.cloud.Throttles()}
	}
	if err := printSummary(a.Stdout, sum, *asJSON); err != nil {
		return err
	}
	if len(sum.Failed) > 0 {
		return fmt.Errorf("%d scan task(s) failed: %s", len(sum.Failed), sum.Failed[0])
	}
	return nil
}

func findChanges(ctx context.Context, a *App, accountNames, techNames []string) (*Summary, error) {
	techs, err := selectTechnologies(a, techNames)
	if err != nil {
		return nil, err
	}
	accounts, err := selectAccounts(ctx, a, accountNames)
	if err != nil {
		return nil, err
	}
	p, err := a.Pipeline(ctx, nil)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	// Collect every pair first, then audit: the first audit then already
	// sees the items of every account (friendly accounts, known ids…).
	sum, err := scan(ctx, a, accounts, techs, func(ctx context.Context, acct monkey.Account, tech string) (pipeline.TaskResult, error) {
		return p.Collect(ctx, acct.Name, tech)
	})
	if err != nil {
		return nil, err
	}
	if err := auditAccounts(ctx, a, p, accounts, techs, false, sum); err != nil {
		return nil, err
	}
	sum.DurationMS = time.Since(start).Milliseconds()
	return sum, nil
}

// auditOrder returns techs and their dependents, each after every
// technology it depends on.
func auditOrder(p *pipeline.Pipeline, techs []string) []string {
	var seq []string
	for _, t := range techs {
		seq = append(seq, t)
		seq = append(seq, p.Dependents(t)...)
	}
	// Keep the last occurrence: a dependent always follows its supports.
	seen := map[string]bool{}
	var out []string
	for i := len(seq) - 1; i >= 0; i-- {
		if !seen[seq[i]] {
			seen[seq[i]] = true
			out = append(out, seq[i])
		}
	}
	slices.Reverse(out)
	return out
}

// auditAccounts audits techs (and dependents) of every account, accounts in
// parallel, then refreshes the item and issue counts of sum.
func auditAccounts(ctx context.Context, a *App, p *pipeline.Pipeline, accounts []monkey.Account, techs []string, force bool, sum *Summary) error {
	order := auditOrder(p, techs)
	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(scanConcurrency())
	for _, acct := range accounts {
		g.Go(func() error {
			for _, t := range order {
				n, err := p.Audit(gctx, acct.Name, t, false, force)
				mu.Lock()
				if r := sum.Technologies[t]; r != nil {
					r.Audited += n
				}
				if err != nil {
					sum.Failed = append(sum.Failed, fmt.Sprintf("%s/%s: %v", acct.Name, t, err))
				}
				mu.Unlock()
				if ctx.Err() != nil {
					return ctx.Err()
				}
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	s, err := a.Store(ctx, false)
	if err != nil {
		return err
	}
	ids := make([]int64, len(accounts))
	for i, acct := range accounts {
		ids[i] = acct.ID
	}
	counts, err := s.ScanSummary(ctx, ids, techs)
	if err != nil {
		return err
	}
	for _, t := range techs {
		sum.Technologies[t].Items = counts[t].Items
		sum.Technologies[t].Issues = counts[t].Issues
	}
	slices.Sort(sum.Failed)
	return nil
}

func cmdAuditChanges(ctx context.Context, a *App, args []string) error {
	fs := newFlags("audit-changes", a.Stderr)
	accts := fs.String("a", "", "comma-separated account names (default: every active account)")
	techs := fs.String("m", "", "comma-separated technologies (default: all)")
	force := fs.Bool("force", true, "audit every item, even when its inputs did not change")
	asJSON := fs.Bool("json", false, "print the summary as JSON")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	techList, err := selectTechnologies(a, splitList(*techs))
	if err != nil {
		return err
	}
	accounts, err := selectAccounts(ctx, a, splitList(*accts))
	if err != nil {
		return err
	}
	p, err := a.Pipeline(ctx, nil)
	if err != nil {
		return err
	}
	start := time.Now()
	sum := &Summary{Technologies: map[string]*pipeline.TaskResult{}}
	for _, t := range techList {
		sum.Technologies[t] = &pipeline.TaskResult{}
	}
	if err := auditAccounts(ctx, a, p, accounts, techList, *force, sum); err != nil {
		return err
	}
	sum.DurationMS = time.Since(start).Milliseconds()
	if err := printSummary(a.Stdout, sum, *asJSON); err != nil {
		return err
	}
	if len(sum.Failed) > 0 {
		return errors.New("some audits failed: " + sum.Failed[0])
	}
	return nil
}
