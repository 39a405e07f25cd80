package pipeline

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"runtime"
	"slices"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/store"
)

// DefaultCollectConcurrency is the default ScanOptions.Concurrency.
const DefaultCollectConcurrency = 32

// Summary is the outcome of a synchronous scan or audit of several pairs
// (find-changes, audit-changes).
type Summary struct {
	Technologies map[string]*TaskResult `json:"technologies"`
	DurationMS   int64                  `json:"duration_ms"`
	Failed       []string               `json:"failed,omitempty"` // pairs that could not be scanned or audited
	// Changes details, per account that changed, the items the scan
	// created, changed durably or deleted (Scan only): what change reports
	// are made of.
	Changes []*Changes `json:"-"`
}

// ScanOptions tune Scan and AuditAll.
type ScanOptions struct {
	// Concurrency bounds the pairs collected at once (default
	// DefaultCollectConcurrency). Collection mostly waits on the cloud's
	// API: the AWS calls in flight are bounded per account and service by
	// the AWS client, the memory by the pipeline's item budget.
	Concurrency int
	// AuditConcurrency bounds the accounts, and the technologies of all
	// accounts, audited at once (default one per CPU, at least 2): auditing
	// is CPU work on stored items.
	AuditConcurrency int
	// LockWait is how long to wait for pairs another scan is writing before
	// reporting them failed (0: do not wait).
	LockWait time.Duration
	// Waiting is told, for each account whose pairs another scan holds, who
	// holds them when the wait starts.
	Waiting func(account monkey.Account, lock store.ScanLock)
	// Progress is told after each pair is collected (Scan).
	Progress func(done, total int, label string)
	// Force audits every item, even when its inputs did not change.
	Force bool
}

func (o ScanOptions) withDefaults() ScanOptions {
	if o.Concurrency < 1 {
		o.Concurrency = DefaultCollectConcurrency
	}
	if o.AuditConcurrency < 1 {
		o.AuditConcurrency = max(2, runtime.NumCPU())
	}
	return o
}

// Scan is the synchronous scan of find-changes: it collects every
// (account, technology) pair, then audits every account, its technologies
// side by side in dependency order (a technology after those whose items
// its auditors read), so that the first audit of an account already sees the items of
// every account (friendly accounts, known ids…).
//
// Each account's pairs — the technologies given and their dependents — are
// locked, all or none, before its first collection and stay locked until
// its audit ends. Accounts are locked in id order, each waiting up to
// opts.LockWait for another scan to finish with it; the pairs of an account
// still held then are reported in Failed and not touched.
func (p *Pipeline) Scan(ctx context.Context, accounts []monkey.Account, techs []string, opts ScanOptions) (*Summary, error) {
	return p.scanAll(ctx, accounts, techs, opts, true)
}

// AuditAll is audit-changes: the audit half of Scan, with the same locks.
func (p *Pipeline) AuditAll(ctx context.Context, accounts []monkey.Account, techs []string, opts ScanOptions) (*Summary, error) {
	return p.scanAll(ctx, accounts, techs, opts, false)
}

func (p *Pipeline) scanAll(ctx context.Context, accounts []monkey.Account, techs []string, opts ScanOptions, collect bool) (*Summary, error) {
	start := time.Now()
	opts = opts.withDefaults()
	accounts = slices.Clone(accounts)
	slices.SortFunc(accounts, func(a, b monkey.Account) int { return cmp.Compare(a.ID, b.ID) })
	accounts = slices.CompactFunc(accounts, func(a, b monkey.Account) bool { return a.ID == b.ID })
	techs = uniqueInOrder(techs)
	sum := &Summary{Technologies: map[string]*TaskResult{}}
	for _, t := range techs {
		sum.Technologies[t] = &TaskResult{}
	}
	var mu sync.Mutex // guards sum
	fail := func(acct monkey.Account, tech string, err error) {
		mu.Lock()
		defer mu.Unlock()
		if r := sum.Technologies[tech]; r != nil {
			r.Errors = max(r.Errors, 1)
		}
		sum.Failed = append(sum.Failed, fmt.Sprintf("%s/%s: %v", acct.Name, tech, err))
	}

	order := p.auditOrder(techs)
	l, ctx := p.newLease(ctx)
	defer l.release()
	deadline := time.Now().Add(opts.LockWait)
	var locked []monkey.Account
	for _, acct := range accounts {
		ok, held, err := l.wait(ctx, acct, order, deadline, func(held store.ScanLock) {
			if opts.Waiting != nil {
				opts.Waiting(acct, held)
			}
		})
		switch {
		case ctx.Err() != nil:
			return nil, context.Cause(ctx)
		case err != nil:
			return nil, fmt.Errorf("lock scans of %s: %w", acct.Name, err)
		case !ok:
			busy := &BusyError{Account: acct.Name, Lock: held}
			for _, t := range techs {
				fail(acct, t, fmt.Errorf("not scanned: %w", busy))
			}
			continue
		}
		locked = append(locked, acct)
	}

	var cl *changeLog
	if collect {
		cl = newChangeLog(p.opts.ChangeDetail, p.opts.Now().UTC())
		if err := p.collectAll(ctx, l.fence, locked, techs, opts, sum, &mu, fail, cl); err != nil {
			return nil, err
		}
	}
	if err := p.auditAccounts(ctx, l.fence, locked, order, opts, sum, &mu, fail, cl); err != nil {
		return nil, err
	}
	sum.Changes = cl.all()

	ids := make([]int64, len(accounts))
	for i, acct := range accounts {
		ids[i] = acct.ID
	}
	counts, err := p.opts.Store.ScanSummary(ctx, ids, techs)
	if err != nil {
		return nil, err
	}
	for _, t := range techs {
		sum.Technologies[t].Items = counts[t].Items
		sum.Technologies[t].Issues = counts[t].Issues
	}
	slices.Sort(sum.Failed)
	sum.DurationMS = time.Since(start).Milliseconds()
	return sum, nil
}

// collectAll collects every pair of the locked accounts, opts.Concurrency
// at a time.
func (p *Pipeline) collectAll(ctx context.Context, f store.Fence, accounts []monkey.Account, techs []string,
	opts ScanOptions, sum *Summary, mu *sync.Mutex, fail func(monkey.Account, string, error), cl *changeLog) error {
	total, done := len(accounts)*len(techs), 0
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(opts.Concurrency)
	for _, acct := range accounts {
		for _, t := range techs {
			g.Go(func() error {
				r, err := p.reservedCollect(gctx, f, acct, t, cl)
				if err != nil && ctx.Err() != nil {
					_ = p.interrupted(ctx, acct, t, err)
					return context.Cause(ctx)
				}
				mu.Lock()
				sum.Technologies[t].Add(r)
				done++
				n := done
				mu.Unlock()
				if err != nil {
					fail(acct, t, err)
				}
				if opts.Progress != nil {
					opts.Progress(n, total, acct.Name+"/"+t)
				}
				return nil
			})
		}
	}
	return g.Wait()
}

// reservedCollect collects and stores one pair within the item budget.
func (p *Pipeline) reservedCollect(ctx context.Context, f store.Fence, acct monkey.Account, technology string, cl *changeLog) (TaskResult, error) {
	release, err := p.reserve(ctx, acct, technology)
	if err != nil {
		return TaskResult{Errors: 1}, fmt.Errorf("scan %s/%s: %w", acct.Name, technology, err)
	}
	defer release()
	r, _, _, err := p.collectAndStore(ctx, f, acct, technology, cl)
	return r, err
}

// auditAccounts audits the technologies of order on every locked account,
// accounts in parallel.
func (p *Pipeline) auditAccounts(ctx context.Context, f store.Fence, accounts []monkey.Account, order []string,
	opts ScanOptions, sum *Summary, mu *sync.Mutex, fail func(monkey.Account, string, error), cl *changeLog) error {
	if len(accounts) == 0 {
		return nil
	}
	// Every collection is stored: the audit environment (accounts, known
	// resources, scores) is the same for every account and technology.
	env, err := p.loadAuditEnv(ctx)
	if err != nil {
		for _, acct := range accounts {
			for _, t := range order {
				fail(acct, t, err)
			}
		}
		return nil
	}
	record := func(acct monkey.Account, t string, n int, err error) {
		mu.Lock()
		if r := sum.Technologies[t]; r != nil {
			r.Audited += n
		}
		mu.Unlock()
		if err != nil {
			fail(acct, t, err)
		}
	}
	// One slot per technology audited at once, all accounts together.
	slots := make(chan struct{}, opts.AuditConcurrency)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(opts.AuditConcurrency)
	for _, acct := range accounts {
		g.Go(func() error {
			return p.auditAccount(gctx, ctx, f, acct, order, opts.Force, env, cl, slots, record)
		})
	}
	return g.Wait()
}

// auditAccount audits the technologies of order on one account, each one
// as soon as the technologies its auditors read are audited and a slot is
// free (decision 123): a large technology's writes no longer hold back the
// checks of the others. scanCtx is the scan's context (an interruption is
// recorded against it); record is told each technology's outcome.
func (p *Pipeline) auditAccount(ctx, scanCtx context.Context, f store.Fence, acct monkey.Account, order []string, force bool,
	env *auditEnv, cl *changeLog, slots chan struct{}, record func(monkey.Account, string, int, error)) error {
	sc := &supportCache{}
	audited := make(map[string]chan struct{}, len(order))
	for _, t := range order {
		audited[t] = make(chan struct{})
	}
	var mu sync.Mutex // guards left
	left := map[string]bool{}
	for _, t := range order {
		left[t] = true
	}
	g, gctx := errgroup.WithContext(ctx)
	for i, t := range order {
		// Wait only for the supports before t in order (auditOrder puts
		// them there): waits follow the order, so they cannot form a cycle.
		var after []chan struct{}
		for s := range p.supportOf([]string{t}) {
			if slices.Contains(order[:i], s) {
				after = append(after, audited[s])
			}
		}
		g.Go(func() error {
			defer close(audited[t]) // a failed audit does not hold back its dependents
			for _, ch := range after {
				select {
				case <-ch:
				case <-gctx.Done():
					return context.Cause(gctx)
				}
			}
			select {
			case slots <- struct{}{}:
			case <-gctx.Done():
				return context.Cause(gctx)
			}
			n, err := p.auditTechs(gctx, f, acct, []string{t}, nil, force, nil, cl, env, sc)
			<-slots
			mu.Lock()
			delete(left, t)
			keep := p.supportOf(slices.Collect(maps.Keys(left)))
			mu.Unlock()
			sc.keepOnly(keep)
			if err != nil && scanCtx.Err() != nil {
				_ = p.interrupted(scanCtx, acct, t, err)
				return context.Cause(scanCtx)
			}
			record(acct, t, n, err)
			return nil
		})
	}
	return g.Wait()
}

// auditOrder returns techs and their dependents, each after every
// technology it depends on.
func (p *Pipeline) auditOrder(techs []string) []string {
	var seq []string
	for _, t := range techs {
		seq = append(seq, t)
		seq = append(seq, p.opts.Technologies.Auditors().Dependents(t)...)
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

func uniqueInOrder(xs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
