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
	ItemCount(ctx context.Context, accountID int64, technology string) (int, error)
	ApplyChanges(ctx context.Context, cs store.ChangeSet) error
	ItemsForAudit(ctx context.Context, accountID int64, technology string, ids []int64) ([]monkey.StoredItem, error)
	SaveIssues(ctx context.Context, f store.Fence, accountID int64, technology string, writes []store.IssueWrite) error
	SetAuditHashes(ctx context.Context, f store.Fence, accountID int64, technology string, hashes map[int64]string) error
	AuditData(ctx context.Context) (store.AuditData, error)
	ListAuditScores(ctx context.Context) ([]monkey.AuditScore, error)
	LogException(ctx context.Context, e monkey.Exception) error
	ScanSummary(ctx context.Context, accountIDs []int64, technologies []string) (map[string]store.TechSummary, error)
	TryLockScans(ctx context.Context, accountID int64, technologies []string, owner store.LockOwner, ttl time.Duration) (bool, store.ScanLock, error)
	RenewScanLocks(ctx context.Context, holder string, ttl time.Duration) (int, error)
	ReleaseScanLocks(ctx context.Context, holder string) error
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
	// LockTTL is the lifetime of a scan lock, renewed every third of it
	// while the scan runs: a holder that dies blocks its pairs this long at
	// most (default 1 minute).
	LockTTL time.Duration
	// Owner names this process's scans to whoever waits for their locks
	// ("find-changes", "worker"…; default "monkey").
	Owner string
	// ChangeDetail bounds the changed items a scan result details per
	// account (TaskResult.Changes, Summary.Changes); the counts are always
	// exact (default 1000).
	ChangeDetail int
	// ItemBudget bounds the items whose states the tasks of this process
	// hold in memory at once (default DefaultItemBudget): a task reserves
	// its technology's item count from the last scan before it loads them,
	// so two large technologies are collected one after the other while
	// small ones run beside them.
	ItemBudget int

	// auditChunk is how many items an audit reads at once (tests set it,
	// see export_test.go; default defaultAuditChunk).
	auditChunk int
	// wholeSupport keeps every field of the support configs, whatever
	// their readers declare (tests compare both, see export_test.go).
	wholeSupport bool
}

// Pipeline runs scan tasks. It is safe for concurrent use.
type Pipeline struct {
	opts   Options
	log    *slog.Logger
	budget *itemBudget
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
	if opts.LockTTL <= 0 {
		opts.LockTTL = time.Minute
	}
	if opts.Owner == "" {
		opts.Owner = "monkey"
	}
	if opts.ChangeDetail <= 0 {
		opts.ChangeDetail = 1000
	}
	if opts.ItemBudget <= 0 {
		opts.ItemBudget = DefaultItemBudget
	}
	if opts.auditChunk <= 0 {
		opts.auditChunk = defaultAuditChunk
	}
	return &Pipeline{opts: opts, log: opts.Logger, budget: newItemBudget(opts.ItemBudget)}, nil
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
	// Changes details the items this task created, changed durably or
	// deleted, with the issues its audit opened and fixed on them (nil
	// when nothing changed): what change reports are made of.
	Changes *Changes `json:"-"`
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
// The error is non-nil when the task could not run at all, when the whole
// account failed, or when nothing could be collected.
//
// The task holds the scan lock of its pair from detection to the end of
// the audit; when another scan holds it, RunTask returns a *BusyError
// (monkey.ErrScanRunning) at once and does nothing: the caller tries again
// later. The dependents that need it (a technology they read changed in
// this task) are audited under their own locks, taken once the pair is
// audited (waiting up to LockTTL for them); when another scan keeps them
// longer, their audit is left to their next scan (their audit fingerprint
// covers the items they read, so it will run).
func (p *Pipeline) RunTask(ctx context.Context, accountName, technology string) (res TaskResult, err error) {
	account, err := p.opts.Store.AccountByName(ctx, accountName)
	if err != nil {
		// A task interrupted this early is logged like any other.
		return res, p.interrupted(ctx, monkey.Account{Name: accountName}, technology,
			fmt.Errorf("scan %s/%s: account: %w", accountName, technology, err))
	}
	l, ctx := p.newLease(ctx)
	defer l.release()
	defer func() { err = p.interrupted(ctx, account, technology, err) }()
	ok, held, err := l.try(ctx, account.ID, []string{technology})
	if err != nil {
		return res, fmt.Errorf("scan %s/%s: %w", account.Name, technology, err)
	}
	if !ok {
		return res, &BusyError{Account: account.Name, Lock: held}
	}
	release, err := p.reserve(ctx, account, technology)
	if err != nil {
		return res, fmt.Errorf("scan %s/%s: %w", account.Name, technology, err)
	}
	defer release()
	cl := newChangeLog(p.opts.ChangeDetail, p.opts.Now().UTC())
	res, tech, states, err := p.collectAndStore(ctx, l.fence, account, technology, cl)
	if err != nil {
		return res, err
	}
	techs := append([]string{technology}, p.opts.Technologies.Auditors().Dependents(technology)...)
	// The dependents are re-audited when this task changed the
	// technology's items or issues (auditors.md §2.1).
	changed := map[string]bool{technology: res.New+res.Changed+res.Deleted > 0}
	audited, err := p.auditTechs(ctx, l.fence, account, techs[:1], map[string][]store.ItemState{technology: states}, false, changed, cl, nil, nil)
	res.Audited = audited
	deps := techs[1:]
	for len(deps) > 0 && !p.supportChanged(deps[0], changed) {
		deps = deps[1:] // audits nothing, so changes nothing for the next ones
	}
	if err == nil && len(deps) > 0 {
		ok, held, err = l.wait(ctx, account, deps, time.Now().Add(p.opts.LockTTL), nil)
		switch {
		case err != nil:
		case ok:
			audited, err = p.auditTechs(ctx, l.fence, account, deps, nil, false, changed, cl, nil, &supportCache{})
			res.Audited += audited
		default:
			p.log.Warn("dependent audit left to the next scan", "account", account.Name, "technology", technology,
				"busy", held.Technology, "holder", held.String())
		}
	}
	if err != nil {
		return res, fmt.Errorf("scan %s/%s: %w", account.Name, technology, err)
	}
	if p.opts.Observer != nil {
		// The items this task put on the queue have left it; the
		// dependents it re-audited took none (spec/config.md §11 posts
		// them too, with the primary count: a reference quirk not kept).
		p.opts.Observer.ItemsCompleted(account.Identifier, tech, res.Collected)
	}
	if err := p.summarise(ctx, account, tech.Index, &res); err != nil {
		return res, err
	}
	res.Changes = cl.of(account.ID)
	p.log.Info("scan done", "account", account.Name, "technology", technology, "items", res.Items,
		"new", res.New, "changed", res.Changed, "ephemeral", res.Ephemeral, "deleted", res.Deleted,
		"issues", res.Issues, "errors", res.Errors, "audited", res.Audited)
	return res, nil
}

func (p *Pipeline) summarise(ctx context.Context, account monkey.Account, technology string, res *TaskResult) error {
	sum, err := p.opts.Store.ScanSummary(ctx, []int64{account.ID}, []string{technology})
	if err != nil {
		return fmt.Errorf("scan %s/%s: summary: %w", account.Name, technology, err)
	}
	res.Items, res.Issues = sum[technology].Items, sum[technology].Issues
	return nil
}

// collectAndStore collects one pair and stores its changes, fenced by f.
// It returns the item states when nothing was written (still current), else
// nil. A collection that failed for the whole account (an account-level
// failure, or every region of a regional technology) stores what it got and
// returns an error: the pair is a failed task, whichever service failed.
func (p *Pipeline) collectAndStore(ctx context.Context, f store.Fence, account monkey.Account, technology string, cl *changeLog) (TaskResult, monkey.Technology, []store.ItemState, error) {
	var res TaskResult
	w, ok := p.opts.Technologies.Watcher(technology)
	if !ok {
		return res, monkey.Technology{}, nil, monkey.Errorf(monkey.EINVALID, "unknown technology %q", technology)
	}
	tech := w.Technology()
	if account.Type != "" && tech.Cloud != "" && account.Type != tech.Cloud {
		return res, tech, nil, monkey.Errorf(monkey.EINVALID, "technology %s does not apply to %s account %s", technology, account.Type, account.Name)
	}
	t0 := time.Now()
	states, err := p.opts.Store.ItemStates(ctx, account.ID, tech.Index)
	if err != nil {
		return res, tech, nil, fmt.Errorf("scan %s/%s: load item states: %w", account.Name, technology, err)
	}
	now := p.opts.Now().UTC()
	det := newDetector(account.ID, tech, p.opts.Technologies, states, func(cs store.ChangeSet) error {
		cs.Now, cs.Fence = now, f
		return p.opts.Store.ApplyChanges(ctx, cs)
	})
	if cl != nil {
		det.note = func(kind, region, name string, itemID int64) {
			cl.item(account, tech.Index, kind, region, name, itemID)
		}
	}
	collected, failures, regions, err := p.collect(ctx, account, w, det.Add)
	p.log.Debug("collected", "account", account.Name, "technology", technology, "duration_ms", time.Since(t0).Milliseconds())
	if err != nil {
		res.Errors = 1
		if ctx.Err() == nil { // an interrupted task is logged once, by its caller
			p.logException(ctx, account, technology, watch.Failure{Err: err})
		}
		return res, tech, nil, fmt.Errorf("scan %s/%s: %w", account.Name, technology, err)
	}
	for _, it := range collected { // watchers that did not stream
		det.Add(it)
	}
	for _, f := range failures {
		p.logException(ctx, account, technology, f)
	}
	cs, counts, itemFailures := det.Finish(failures)
	if det.flushErr != nil {
		return res, tech, nil, fmt.Errorf("scan %s/%s: store changes: %w", account.Name, technology, det.flushErr)
	}
	for _, f := range itemFailures {
		p.logException(ctx, account, technology, f)
	}
	res.Collected = det.collected()
	p.budget.remember(pairKey{account.ID, tech.Index}, max(len(states), res.Collected))
	if p.opts.Observer != nil {
		p.opts.Observer.ItemsAdded(account.Identifier, tech, res.Collected)
	}
	res.New, res.Changed, res.Ephemeral, res.Deleted = counts.New, counts.Changed, counts.Ephemeral, counts.Deleted
	res.Errors = len(failures) + counts.Errors
	if pendingWrites(cs) {
		cs.Now, cs.Fence = now, f
		if err := p.opts.Store.ApplyChanges(ctx, cs); err != nil {
			return res, tech, nil, fmt.Errorf("scan %s/%s: store changes: %w", account.Name, technology, err)
		}
	}
	if pendingWrites(cs) || det.flushed {
		states = nil // written: no longer current
	}
	p.log.Debug("stored", "account", account.Name, "technology", technology, "duration_ms", time.Since(t0).Milliseconds())
	if whole := wholeFailure(failures, regions, tech); whole != nil {
		return res, tech, states, fmt.Errorf("scan %s/%s: collection failed for the whole account: %w", account.Name, technology, whole)
	}
	return res, tech, states, nil
}

// wholeFailure returns the failure that covers the whole account, if any:
// an account-level failure, or failures of every region of a regional
// technology.
func wholeFailure(failures []watch.Failure, regions []string, tech monkey.Technology) error {
	failed := map[string]bool{}
	for _, f := range failures {
		if f.Whole() {
			return f
		}
		if f.Name == "" {
			failed[f.Region] = true
		}
	}
	if tech.Global || len(regions) == 0 {
		return nil
	}
	var errs []error
	for _, r := range regions {
		if !failed[r] {
			return nil
		}
	}
	for _, f := range failures {
		if f.Name == "" {
			errs = append(errs, f)
		}
	}
	return fmt.Errorf("every region failed: %w", errors.Join(errs...))
}

// regionLister is a session that knows the account's enabled regions (AWS).
type regionLister interface {
	Regions(ctx context.Context) ([]string, error)
}

// collect opens the account's cloud session and runs the watcher. It
// returns the items (of watchers that do not stream), the failed locations
// and, for a regional technology whose session lists them, the regions.
func (p *Pipeline) collect(ctx context.Context, account monkey.Account, w watch.Watcher, sink func(monkey.Item)) ([]monkey.Item, []watch.Failure, []string, error) {
	tech := w.Technology()
	open := p.opts.Sessions[tech.Cloud]
	if open == nil {
		return nil, nil, nil, fmt.Errorf("no %s cloud access configured", tech.Cloud)
	}
	sess, err := open(ctx, account)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("credentials: %w", err)
	}
	ignore, err := p.opts.Store.ListIgnore(ctx, tech.Index)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("ignore list: %w", err)
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
		return nil, nil, nil, err
	}
	if ctx.Err() != nil {
		// A cancelled collection is incomplete: never let it delete anything.
		return nil, nil, nil, context.Cause(ctx)
	}
	var regions []string
	if rl, ok := sess.(regionLister); ok && !tech.Global && len(res.Failures) > 0 {
		regions, _ = rl.Regions(ctx) // listed (and cached) by the watcher already
	}
	return res.Items, res.Failures, regions, nil
}

func (p *Pipeline) logException(ctx context.Context, account monkey.Account, technology string, f watch.Failure) {
	p.log.Warn("collection failed", "account", account.Name, "technology", technology,
		"region", f.Region, "item", f.Name, "error", f.Err)
	p.recordException(ctx, "watcher", errorType(f.Err), account, technology, f)
}

// recordException stores one exception, even when ctx is done (a timed-out
// task still leaves its row).
func (p *Pipeline) recordException(ctx context.Context, source, typ string, account monkey.Account, technology string, f watch.Failure) {
	now := p.opts.Now().UTC()
	e := monkey.Exception{
		Source:     source,
		Occurred:   now,
		TTL:        now.Add(p.opts.ExceptionTTL),
		Type:       typ,
		Message:    f.Error(),
		Technology: technology,
		Account:    account.Name,
		Region:     f.Region,
		ItemName:   f.Name,
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := p.opts.Store.LogException(ctx, e); err != nil {
		p.log.Error("log exception", "error", err)
	}
}

// interrupted records a scan of one pair that ended because its context
// was done (timeout, cancellation) or its scan lock was lost in the
// exception log, and returns err (with the lock-loss cause when there is
// one).
func (p *Pipeline) interrupted(ctx context.Context, account monkey.Account, technology string, err error) error {
	if err == nil || (ctx.Err() == nil && !errors.Is(err, store.ErrLockLost)) {
		return err
	}
	typ := "Cancelled"
	switch cause := context.Cause(ctx); {
	case lost(ctx) != nil && !errors.Is(err, store.ErrLockLost):
		err = fmt.Errorf("%w (%w)", err, cause)
		typ = "LockLost"
	case errors.Is(err, store.ErrLockLost):
		typ = "LockLost"
	case errors.Is(cause, context.DeadlineExceeded):
		typ = "Timeout"
	}
	p.log.Warn("scan interrupted", "account", account.Name, "technology", technology, "reason", typ, "error", err)
	p.recordException(ctx, "task", typ, account, technology, watch.Failure{Err: err})
	return err
}

// errorType names the class of an error: Timeout or Cancelled for a done
// context, the AWS error code when there is one, else the Go type.
func errorType(err error) string {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "Timeout"
	case errors.Is(err, context.Canceled):
		return "Cancelled"
	}
	var coded interface{ ErrorCode() string }
	if errors.As(err, &coded) {
		return coded.ErrorCode()
	}
	return fmt.Sprintf("%T", err)
}

// Technologies returns the indexes of the registered watchers.
func (p *Pipeline) Technologies() []string { return p.opts.Technologies.Indexes() }
