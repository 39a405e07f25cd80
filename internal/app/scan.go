package app

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"sync"
	"text/tabwriter"
	"time"

	"golang.org/x/term"

	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/pipeline"
	"github.com/secmonkey/monkey/internal/store"
)

// summary is the find-changes and audit-changes report.
type summary struct {
	*pipeline.Summary
	// Stats is set with --stats: SQL statements and cloud API calls made.
	Stats *ScanStats `json:"stats,omitempty"`
	// Notifications is set with --notify.
	Notifications *notifyOutcome `json:"notifications,omitempty"`
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
	mu sync.Mutex
	w  io.Writer
	on bool
}

func newProgress(w io.Writer) *progress {
	f, ok := w.(*os.File)
	return &progress{w: w, on: ok && term.IsTerminal(int(f.Fd()))}
}

func (p *progress) step(done, total int, label string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.on {
		fmt.Fprintf(p.w, "\r\033[K[%d/%d] %s", done, total, printable(label))
		if done == total {
			fmt.Fprint(p.w, "\r\033[K")
		}
	}
}

// clear erases the progress line before another message.
func (p *progress) clear() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.on {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

func printSummary(w io.Writer, sum summary, asJSON bool) error {
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
		fmt.Fprintln(w, "failed: "+printable(f))
	}
	return nil
}

// defaultLockWait is how long find-changes and audit-changes wait for
// pairs another scan is writing.
const defaultLockWait = 2 * time.Minute

// scanFlags are the flags find-changes and audit-changes share.
type scanFlags struct {
	accounts, techs *string
	lockWait        *time.Duration
	asJSON          *bool
}

func newScanFlags(fs *flag.FlagSet) scanFlags {
	return scanFlags{
		accounts: fs.String("a", "", "comma-separated account names (default: every active account)"),
		techs:    fs.String("m", "", "comma-separated technologies (default: all)"),
		lockWait: fs.Duration("lock-wait", defaultLockWait,
			"how long to wait for pairs another scan is writing before reporting them failed"),
		asJSON: fs.Bool("json", false, "print the summary as JSON"),
	}
}

// resolve checks the flags and resolves the accounts and technologies.
func (f scanFlags) resolve(ctx context.Context, a *App, set map[string]bool) ([]monkey.Account, []string, error) {
	names, err := nameList("-a", *f.accounts, set["a"])
	if err != nil {
		return nil, nil, err
	}
	techNames, err := nameList("-m", *f.techs, set["m"])
	if err != nil {
		return nil, nil, err
	}
	if *f.lockWait < 0 {
		return nil, nil, usagef("--lock-wait must not be negative")
	}
	techs, err := selectTechnologies(a, techNames)
	if err != nil {
		return nil, nil, err
	}
	accounts, err := selectAccounts(ctx, a, names)
	if err != nil {
		return nil, nil, err
	}
	return accounts, techs, nil
}

// scanOptions are the options of a synchronous scan run from a terminal:
// progress and waits reported on stderr.
func (a *App) scanOptions(lockWait time.Duration, force bool) pipeline.ScanOptions {
	prog := newProgress(a.Stderr)
	return pipeline.ScanOptions{
		LockWait: lockWait,
		Force:    force,
		Progress: prog.step,
		Waiting: func(acct monkey.Account, held store.ScanLock) {
			prog.clear()
			fmt.Fprintf(a.Stderr, "waiting up to %s for account %s: %s/%s is being scanned by %s\n",
				lockWait, printable(acct.Name), printable(acct.Name), held.Technology, printable(held.String()))
		},
	}
}

func cmdFindChanges(ctx context.Context, a *App, args []string) error {
	fs := newFlags("find-changes", a.Stderr)
	sf := newScanFlags(fs)
	stats := fs.Bool("stats", false, "add SQL statement and AWS call counts to the JSON summary")
	notifyFlag := fs.Bool("notify", false, "send the change reports of the accounts that changed (e-mail, Slack, webhook)")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	accounts, techs, err := sf.resolve(ctx, a, visited(fs))
	if err != nil {
		return err
	}
	sum, err := findChanges(ctx, a, accounts, techs, *sf.lockWait)
	if err != nil {
		return err
	}
	if *notifyFlag {
		svc, err := a.Notifier(ctx, a.store, nil)
		if err != nil {
			return err
		}
		out, err := a.reportAndDeliver(ctx, svc, "find-changes/"+time.Now().UTC().Format(time.RFC3339Nano), sum)
		sum.Notifications = &out
		if err != nil {
			a.Logger.Error("change reports failed", "error", err)
		}
		if !*sf.asJSON {
			defer fmt.Fprintln(a.Stdout, out.String())
		}
	}
	if *stats {
		sum.Stats = &ScanStats{SQLStatements: a.store.Statements(), AWSCalls: a.cloud.Calls(), Throttles: a.cloud.Throttles()}
	}
	if err := printSummary(a.Stdout, sum, *sf.asJSON); err != nil {
		return err
	}
	if len(sum.Failed) > 0 {
		return fmt.Errorf("%d scan task(s) failed: %s", len(sum.Failed), sum.Failed[0])
	}
	return nil
}

// findChanges scans the accounts and technologies now (pipeline.Scan).
func findChanges(ctx context.Context, a *App, accounts []monkey.Account, techs []string, lockWait time.Duration) (summary, error) {
	p, err := a.Pipeline(ctx, nil)
	if err != nil {
		return summary{}, err
	}
	sum, err := p.Scan(ctx, accounts, techs, a.scanOptions(lockWait, false))
	if err != nil {
		return summary{}, err
	}
	return summary{Summary: sum}, nil
}

func cmdAuditChanges(ctx context.Context, a *App, args []string) error {
	fs := newFlags("audit-changes", a.Stderr)
	sf := newScanFlags(fs)
	force := fs.Bool("force", true, "audit every item, even when its inputs did not change")
	report := fs.Bool("report", false, "e-mail the audit report of each account and technology (the reference's -r True)")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	accounts, techs, err := sf.resolve(ctx, a, visited(fs))
	if err != nil {
		return err
	}
	p, err := a.Pipeline(ctx, nil)
	if err != nil {
		return err
	}
	sum, err := p.AuditAll(ctx, accounts, techs, a.scanOptions(*sf.lockWait, *force))
	if err != nil {
		return err
	}
	out := summary{Summary: sum}
	if *report {
		o, err := a.auditReports(ctx, accounts, techs)
		out.Notifications = &o
		if err != nil {
			a.Logger.Error("audit reports failed", "error", err)
		}
		if !*sf.asJSON {
			defer fmt.Fprintln(a.Stdout, o.String())
		}
	}
	if err := printSummary(a.Stdout, out, *sf.asJSON); err != nil {
		return err
	}
	if len(sum.Failed) > 0 {
		return errors.New("some audits failed: " + sum.Failed[0])
	}
	return nil
}
