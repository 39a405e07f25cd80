// Package pipeline runs one scan task: collect the items of one technology
// in one account, detect changes, store them, audit the technology and the
// technologies whose auditors depend on it, and report counts.
package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/store"
	"github.com/secmonkey/monkey/internal/tech"
	"github.com/secmonkey/monkey/internal/watch"
)

// Store is what the pipeline needs from the database.
type Store interface {
	AccountByName(ctx context.Context, name string) (monkey.Account, error)
	ListIgnore(ctx context.Context, technology string) ([]monkey.IgnoreEntry, error)
	ItemStates(ctx context.Context, accountID int64, technology string) ([]store.ItemState, error)
	ApplyChanges(ctx context.Context, cs store.ChangeSet) error
	ItemsForAudit(ctx context.Context, accountID int64, technology string, ids []int64) ([]monkey.StoredItem, error)
	SaveIssues(ctx context.Context, accountID int64, technology string, writes []store.IssueWrite) error
	SetAuditHashes(ctx context.Context, hashes map[int64]string) error
	AuditData(ctx context.Context) (store.AuditData, error)
	ListAuditScores(ctx context.Context) ([]monkey.AuditScore, error)
	LogException(ctx context.Context, e monkey.Exception) error
	ScanSummary(ctx context.Context, accountIDs []int64, technologies []string) (map[string]store.TechSummary, error)
}

// OpenSession opens the cloud session of an account (AWS: assume role).
type OpenSession func(ctx context.Context, account monkey.Account) (watch.Session, error)

// Observer is told how many items enter and leave the scanning queue (the
// CloudWatch queue metrics of spec/config.md §11).
type Observer interface {
	ItemsAdded(accountNumber string, tech monkey.Technology, n int)
	ItemsCompleted(accountNumber string, tech monkey.Technology, n int)
}

// Options configure a Pipeline.
type Options struct {
	Store Store
	// Sessions opens sessions by account type (monkey.CloudAWS…).
	Sessions     map[string]OpenSession
	Technologies *tech.Registry
	// Settings are the technology settings the watchers and auditors were
	// built with; they enter the audit fingerprint, so that changing one
	// re-audits every item.
	Settings          tech.Settings
	RegionConcurrency int
	Observer          Observer // optional
	Logger            *slog.Logger
	Now               func() time.Time // default time.Now
	// ExceptionTTL is how long logged exceptions are kept (default 10 days).
	ExceptionTTL time.Duration
}

// Pipeline runs scan tasks. It is safe for concurrent use.
type Pipeline struct {
	opts Options
	log  *slog.Logger
}

// New returns a Pipeline.
func New(opts Options) (*Pipeline, error) {
	var errs []error
	if opts.Store == nil {
		errs = append(errs, errors.New("pipeline: no store"))
	}
	if opts.Technologies == nil {
		errs = append(errs, errors.New("pipeline: no technology registry"))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.RegionConcurrency <= 0 {
		opts.RegionConcurrency = 8
	}
	if opts.ExceptionTTL <= 0 {
		opts.ExceptionTTL = 10 * 24 * time.Hour
	}
	return &Pipeline{opts: opts, log: opts.Logger}, nil
}

// TaskResult counts what one task did.
type TaskResult struct {
	Items     int `json:"items"`     // active items after the scan
	New       int `json:"new"`       // new items
	Changed   int `json:"changed"`   // durable changes
	Ephemeral int `json:"ephemeral"` // ephemeral-only changes
	Deleted   int `json:"deleted"`   // items marked deleted
	Issues    int `json:"issues"`    // open issues on the active items
	Errors    int `json:"errors"`    // failed locations
	Audited   int `json:"audited"`   // items audited (all technologies of the task)
	Collected int `json:"collected"` // items collected by this run
}

// Add accumulates r2 into r.
func (r *TaskResult) Add(r2 TaskResult) {
	r.Items += r2.Items
	r.New += r2.New
	r.Changed += r2.Changed
	r.Ephemeral += r2.Ephemeral
	r.Deleted += r2.Deleted
	r.Issues += r2.Issues
	r.Errors += r2.Errors
	r.Audited += r2.Audited
	r.Collected += r2.Collected
}

// RunTask scans one (account, technology) pair: collect → detect → store →
// audit (this technology, then its dependents) → count. Failed locations are
// logged as exceptions and counted in Errors; they never cause deletions.
// The error is non-nil when the task could not run at all or nothing could
// be collected.
func (p *Pipeline) RunTask(ctx context.Context, accountName, technology string) (TaskResult, error) {
	res, account, tech, states, err := p.collectAndStore(ctx, accountName, technology)
	if err != nil {
		return res, err
	}
	techs := append([]string{technology}, p.opts.Technologies.Auditors().Dependents(technology)...)
	// The dependents are re-audited when this task changed the
	// technology's items or issues (auditors.md §2.1).
	changed := map[string]bool{technology: res.New+res.Changed+res.Deleted > 0}
	audited, err := p.auditTechs(ctx, account, techs, map[string][]store.ItemState{technology: states}, false, changed)
	res.Audited = audited
	if err != nil {
		return res, fmt.Errorf("scan %s/%s: %w", account.Name, technology, err)
	}
	if p.opts.Observer != nil {
		for _, t := range techs {
			if tt, ok := p.opts.Technologies.Technology(t); ok {
				p.opts.Observer.ItemsCompleted(account.Identifier, tt, res.Collected)
			}
		}
	}
	if err := p.summarise(ctx, account, tech.Index, &res); err != nil {
		return res, err
	}
	p.log.Info("scan done", "account", account.Name, "technology", technology, "items", res.Items,
		"new", res.New, "changed", res.Changed, "ephemeral", res.Ephemeral, "deleted", res.Deleted,
		"issues", res.Issues, "errors", res.Errors, "audited", res.Audited)
	return res, nil
}

// Collect collects, detects and stores changes of one pair without
// auditing; the synchronous commands collect every pair first and audit
// afterwards, so that the first audit already sees every account's items.
func (p *Pipeline) Collect(ctx context.Context, accountName, technology string) (TaskResult, error) {
	res, account, tech, _, err := p.collectAndStore(ctx, accountName, technology)
	if err != nil {
		return res, err
	}
	err = p.summarise(ctx, account, tech.Index, &res)
	return res, err
}

func (p *Pipeline) summarise(ctx context.Context, account monkey.Account, technology string, res *TaskResult) error {
	sum, err := p.opts.Store.ScanSummary(ctx, []int64{account.ID}, []string{technology})
	if err != nil {
		return fmt.Errorf("scan %s/%s: summary: %w", account.Name, technology, err)
	}
	res.Items, res.Issues = sum[technology].Items, sum[technology].Issues
	return nil
}

// collectAndStore returns the item states when nothing was written (still
// current), else nil.
func (p *Pipeline) collectAndStore(ctx context.Context, accountName, technology string) (TaskResult, monkey.Account, monkey.Technology, []store.ItemState, error) {
	var res TaskResult
	account, err := p.opts.Store.AccountByName(ctx, accountName)
	if err != nil {
		return res, account, monkey.Technology{}, nil, fmt.Errorf("scan %s/%s: account: %w", accountName, technology, err)
	}
	w, ok := p.opts.Technologies.Watcher(technology)
	if !ok {
		return res, account, monkey.Technology{}, nil, monkey.Errorf(monkey.EINVALID, "unknown technology %q", technology)
	}
	tech := w.Technology()
	if account.Type != "" && tech.Cloud != "" && account.Type != tech.Cloud {
		return res, account, tech, nil, monkey.Errorf(monkey.EINVALID, "technology %s does not apply to %s account %s", technology, account.Type, account.Name)
	}
	t0 := time.Now()
	states, err := p.opts.Store.ItemStates(ctx, account.ID, tech.Index)
	if err != nil {
		return res, account, tech, nil, fmt.Errorf("scan %s/%s: load item states: %w", account.Name, technology, err)
	}
	now := p.opts.Now().UTC()
	det := newDetector(account.ID, tech, p.opts.Technologies, states, func(cs store.ChangeSet) error {
		cs.Now = now
		return p.opts.Store.ApplyChanges(ctx, cs)
	})
	collected, failures, err := p.collect(ctx, account, w, det.Add)
	p.log.Debug("collected", "account", account.Name, "technology", technology, "duration_ms", time.Since(t0).Milliseconds())
	if err != nil {
		res.Errors = 1
		p.logException(ctx, account, technology, watch.Failure{Err: err})
		return res, account, tech, nil, fmt.Errorf("scan %s/%s: %w", account.Name, technology, err)
	}
	for _, it := range collected { // watchers that did not stream
		det.Add(it)
	}
	for _, f := range failures {
		p.logException(ctx, account, technology, f)
	}
	cs, counts, itemFailures := det.Finish(failures)
	if det.flushErr != nil {
		return res, account, tech, nil, fmt.Errorf("scan %s/%s: store changes: %w", account.Name, technology, det.flushErr)
	}
	for _, f := range itemFailures {
		p.logException(ctx, account, technology, f)
	}
	res.Collected = len(det.seen)
	if p.opts.Observer != nil {
		p.opts.Observer.ItemsAdded(account.Identifier, tech, res.Collected)
	}
	res.New, res.Changed, res.Ephemeral, res.Deleted = counts.New, counts.Changed, counts.Ephemeral, counts.Deleted
	res.Errors = len(failures) + counts.Errors
	if pendingWrites(cs) {
		cs.Now = now
		if err := p.opts.Store.ApplyChanges(ctx, cs); err != nil {
			return res, account, tech, nil, fmt.Errorf("scan %s/%s: store changes: %w", account.Name, technology, err)
		}
	}
	if pendingWrites(cs) || det.flushed {
		states = nil // written: no longer current
	}
	p.log.Debug("stored", "account", account.Name, "technology", technology, "duration_ms", time.Since(t0).Milliseconds())
	return res, account, tech, states, nil
}

// collect opens the account's cloud session and runs the watcher.
func (p *Pipeline) collect(ctx context.Context, account monkey.Account, w watch.Watcher, sink func(monkey.Item)) ([]monkey.Item, []watch.Failure, error) {
	tech := w.Technology()
	open := p.opts.Sessions[tech.Cloud]
	if open == nil {
		return nil, nil, fmt.Errorf("no %s cloud access configured", tech.Cloud)
	}
	sess, err := open(ctx, account)
	if err != nil {
		return nil, nil, fmt.Errorf("credentials: %w", err)
	}
	ignore, err := p.opts.Store.ListIgnore(ctx, tech.Index)
	if err != nil {
		return nil, nil, fmt.Errorf("ignore list: %w", err)
	}
	prefixes := make([]string, len(ignore))
	for i, e := range ignore {
		prefixes[i] = e.Prefix
	}
	scope := watch.Scope{
		Account:           account,
		Session:           sess,
		Ignore:            prefixes,
		RegionConcurrency: p.opts.RegionConcurrency,
		Logger:            p.log.With("account", account.Name, "technology", tech.Index),
		Sink:              sink,
	}
	res, err := w.Collect(ctx, scope)
	if err != nil {
		return nil, nil, err
	}
	if ctx.Err() != nil {
		// A cancelled collection is incomplete: never let it delete anything.
		return nil, nil, ctx.Err()
	}
	return res.Items, res.Failures, nil
}

func (p *Pipeline) logException(ctx context.Context, account monkey.Account, technology string, f watch.Failure) {
	now := p.opts.Now().UTC()
	e := monkey.Exception{
		Source:     "watcher",
		Occurred:   now,
		TTL:        now.Add(p.opts.ExceptionTTL),
		Type:       errorType(f.Err),
		Message:    f.Error(),
		Technology: technology,
		Account:    account.Name,
		Region:     f.Region,
		ItemName:   f.Name,
	}
	p.log.Warn("collection failed", "account", account.Name, "technology", technology,
		"region", f.Region, "item", f.Name, "error", f.Err)
	if err := p.opts.Store.LogException(ctx, e); err != nil {
		p.log.Error("log exception", "error", err)
	}
}

// errorType names the class of an error: the AWS error code when there is
// one, else the Go type.
func errorType(err error) string {
	var coded interface{ ErrorCode() string }
	if errors.As(err, &coded) {
		return coded.ErrorCode()
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "Timeout"
	}
	return fmt.Sprintf("%T", err)
}

// Dependents returns the technologies whose auditors depend on technology.
func (p *Pipeline) Dependents(technology string) []string {
	return p.opts.Technologies.Auditors().Dependents(technology)
}

// Technologies returns the indexes of the registered watchers.
func (p *Pipeline) Technologies() []string { return p.opts.Technologies.Indexes() }
