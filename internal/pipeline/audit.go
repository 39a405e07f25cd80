package pipeline

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/secmonkey/monkey/internal/audit"
	"github.com/secmonkey/monkey/internal/change"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/store"
	"github.com/secmonkey/monkey/internal/watch"
)

// auditVersion changes whenever the audit semantics change, so every item is
// re-audited once after an upgrade.
const auditVersion = "1"

// defaultAuditChunk bounds how many item configs are read (and decoded) at
// once, audited items and support items alike (decision 117).
const defaultAuditChunk = 2000

// auditEnv is the audit input shared by every technology of one task.
type auditEnv struct {
	ctx    *audit.Context
	scores []monkey.AuditScore
	hash   string // fingerprint of context, scores and settings
}

func (p *Pipeline) loadAuditEnv(ctx context.Context) (*auditEnv, error) {
	data, err := p.opts.Store.AuditData(ctx)
	if err != nil {
		return nil, fmt.Errorf("load audit context: %w", err)
	}
	scores, err := p.opts.Store.ListAuditScores(ctx)
	if err != nil {
		return nil, fmt.Errorf("load audit scores: %w", err)
	}
	actx, err := audit.ContextFromData(data.Accounts, data.Whitelist, data.Known, p.opts.Now().UTC())
	if err != nil {
		return nil, fmt.Errorf("build audit context: %w", err)
	}
	var buf bytes.Buffer
	buf.WriteString(auditVersion)
	for _, a := range data.Accounts {
		fmt.Fprintf(&buf, "|a:%s:%s:%t:%t:%s:%s:%s", a.Identifier, a.Name, a.Active, a.ThirdParty, a.Notes,
			a.Custom[monkey.FieldS3Name], a.Custom[monkey.FieldCanonicalID])
	}
	for _, w := range data.Whitelist {
		fmt.Fprintf(&buf, "|w:%s:%s", w.Name, w.CIDR)
	}
	known := make([]string, len(data.Known))
	for i, k := range data.Known {
		known[i] = k.Account + ":" + k.Kind + ":" + k.Value
	}
	slices.Sort(known)
	for _, k := range known {
		buf.WriteString("|k:" + k)
	}
	for _, s := range scores {
		fmt.Fprintf(&buf, "|s:%s:%s:%d:%t", s.Technology, s.Method, s.Score, s.Disabled)
		for _, pt := range s.Patterns {
			fmt.Fprintf(&buf, ":%s=%s=%d", pt.AccountField, pt.AccountPattern, pt.Score)
		}
	}
	keys := make([]string, 0, len(p.opts.Settings))
	for k := range p.opts.Settings {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(&buf, "|o:%s=%s", k, p.opts.Settings[k])
	}
	return &auditEnv{ctx: actx, scores: scores, hash: change.Hash(buf.Bytes())}, nil
}

// auditTechs audits techs in order. states holds item states known to be
// current (saves a query), by technology. Every write is fenced by f.
//
// changed, when not nil, holds the technologies whose items changed in this
// task: a technology after the first is then audited only when one of its
// auditors' support technologies changed (its items or, audited just
// before, its issues). Otherwise none of its audit inputs changed in this
// task, and the audit would only cost the queries that find it current.
//
// cl, when not nil, records the issues the audit opens and fixes on the
// items it holds. env, when not nil, is the audit environment to use
// (loaded once for a whole scan); otherwise it is loaded when first needed.
func (p *Pipeline) auditTechs(ctx context.Context, f store.Fence, account monkey.Account, techs []string,
	states map[string][]store.ItemState, force bool, changed map[string]bool, cl *changeLog, env *auditEnv, sc *supportCache) (int, error) {
	total := 0
	t0 := time.Now()
	defer func() {
		p.log.Debug("audit done", "account", account.Name, "technologies", techs, "duration_ms", time.Since(t0).Milliseconds())
	}()
	for i, t := range techs {
		auditors := p.opts.Technologies.Auditors().For(t)
		if len(auditors) == 0 {
			continue
		}
		if changed != nil && i > 0 && !p.supportChanged(t, changed) {
			continue
		}
		if env == nil {
			var err error
			if env, err = p.loadAuditEnv(ctx); err != nil {
				return total, err
			}
		}
		t0 := time.Now()
		n, wrote, err := p.auditTech(ctx, f, account, t, env, states[t], force, cl, sc)
		p.log.Debug("audited", "account", account.Name, "technology", t, "items", n, "duration_ms", time.Since(t0).Milliseconds())
		total += n
		if wrote && changed != nil {
			changed[t] = true
		}
		if err != nil {
			return total, fmt.Errorf("audit %s: %w", t, err)
		}
	}
	return total, nil
}

func toAuditItem(account monkey.Account, it monkey.StoredItem) (audit.Item, error) {
	cfg, err := change.Decode(it.Config)
	if err != nil {
		return audit.Item{}, err
	}
	return audit.Item{ID: it.ID, Account: account, Technology: it.Technology, Region: it.Region,
		Name: it.Name, ARN: it.ARN, Config: cfg, Issues: it.Issues}, nil
}

// keepFields returns the fields of cfg named in fields.
func keepFields(cfg monkey.Config, fields []string) monkey.Config {
	out := make(monkey.Config, len(fields))
	for _, f := range fields {
		if v, ok := cfg[f]; ok {
			out[f] = v
		}
	}
	return out
}

// supportChanged reports whether one of tech's auditors reads a technology
// in changed.
func (p *Pipeline) supportChanged(tech string, changed map[string]bool) bool {
	return slices.ContainsFunc(p.opts.Technologies.Auditors().For(tech), func(a audit.Auditor) bool {
		return slices.ContainsFunc(a.Support(), func(s string) bool { return changed[s] })
	})
}

// auditTech audits the items of tech whose audit inputs changed (all with
// force) and reports how many it audited and whether it changed issues.
func (p *Pipeline) auditTech(ctx context.Context, f store.Fence, account monkey.Account, tech string, env *auditEnv, states []store.ItemState, force bool, cl *changeLog, sc *supportCache) (int, bool, error) {
	auditors := p.opts.Technologies.Auditors().For(tech)
	if states == nil {
		var err error
		if states, err = p.opts.Store.ItemStates(ctx, account.ID, tech); err != nil {
			return 0, false, fmt.Errorf("load item states: %w", err)
		}
	}
	if !slices.ContainsFunc(states, func(s store.ItemState) bool { return s.Active }) {
		return 0, false, nil // nothing to audit: no need for the support states
	}
	timeDependent := false
	var fp bytes.Buffer
	fp.WriteString(env.hash)
	// Support items enter the fingerprint through their states (durable
	// hash and the fingerprint of their own last audit, which determines
	// their issues): one cheap query. Their configs and issues are loaded
	// only when some item must be audited.
	var supportTechs []string
	supportIDs := map[string][]int64{} // active items of each support technology
	supportKey := map[string]string{}  // fingerprint of those items' states
	for _, a := range auditors {
		fp.WriteString("|c:" + a.Class())
		timeDependent = timeDependent || a.TimeDependent()
		for _, st := range a.Support() {
			if slices.Contains(supportTechs, st) {
				continue
			}
			supportTechs = append(supportTechs, st)
			sst, err := p.opts.Store.ItemStates(ctx, account.ID, st)
			if err != nil {
				return 0, false, fmt.Errorf("load support states %s: %w", st, err)
			}
			ids := []int64{}
			start := fp.Len()
			for _, s := range sst {
				if s.Active {
					fmt.Fprintf(&fp, "|s:%d:%s:%s", s.ItemID, s.DurableHash, s.AuditHash)
					ids = append(ids, s.ItemID)
				}
			}
			supportIDs[st] = ids
			supportKey[st] = change.Hash(fp.Bytes()[start:])
		}
	}
	techHash := change.Hash(fp.Bytes())
	want := make(map[int64]string, len(states))
	stored := make(map[int64]string, len(states))
	var ids []int64
	for _, s := range states {
		if !s.Active {
			continue
		}
		h := change.Hash([]byte(techHash + "|" + s.DurableHash))
		stored[s.ItemID] = s.AuditHash
		if force || timeDependent || s.AuditHash != h {
			ids = append(ids, s.ItemID)
			want[s.ItemID] = h
		}
	}
	if len(ids) == 0 {
		return 0, false, nil
	}
	support := map[string][]audit.Item{}
	for _, st := range supportTechs {
		items, err := sc.load(st, supportKey[st], func() ([]audit.Item, error) {
			// Read a chunk of items at a time and decode them at once: the
			// raw configs of a large support technology (20,000 security
			// groups) are never all held beside their decoded forms. Of
			// each decoded config only the fields its readers declare are
			// kept (decision 125): a load balancer's auditor looks groups
			// up by id and links their issues.
			fields, all := p.opts.Technologies.Auditors().SupportFields(st)
			all = all || p.opts.wholeSupport
			items := make([]audit.Item, 0, len(supportIDs[st]))
			for chunk := range slices.Chunk(supportIDs[st], p.opts.auditChunk) {
				stored, err := p.opts.Store.ItemsForAudit(ctx, account.ID, st, chunk)
				if err != nil {
					return nil, fmt.Errorf("load support items %s: %w", st, err)
				}
				for _, s := range stored {
					if ai, err := toAuditItem(account, s); err == nil {
						if !all {
							ai.Config = keepFields(ai.Config, fields)
						}
						items = append(items, ai) // a broken support config only weakens links
					}
				}
			}
			return items, nil
		})
		if err != nil {
			return 0, false, err
		}
		support[st] = items
	}
	aenv := &audit.Env{Context: env.ctx, Scores: env.scores, Support: support}
	// Two stages (decision 122): one goroutine reads, decodes and audits a
	// chunk while the caller writes the previous one's issues, so the
	// checks run beside the writes instead of after them (on SQLite the
	// writes take one connection, and a one-account scan's audit was one
	// core's work). Chunks hold distinct items: reading one while the
	// previous is written sees the same issues as reading it after.
	run := auditRun{p: p, account: account, tech: tech, auditors: auditors, env: aenv, want: want, stored: stored}
	g, gctx := errgroup.WithContext(ctx)
	batches := make(chan auditBatch, 1)
	audited := 0
	g.Go(func() error {
		defer close(batches)
		for chunk := range slices.Chunk(ids, p.opts.auditChunk) {
			b, err := run.chunk(gctx, chunk)
			if err != nil {
				return err
			}
			audited += b.audited
			select {
			case batches <- b:
			case <-gctx.Done():
				return context.Cause(gctx)
			}
		}
		return nil
	})
	wrote := false
	g.Go(func() error {
		for b := range batches {
			if len(b.writes) > 0 {
				if err := p.opts.Store.SaveIssues(gctx, f, account.ID, tech, b.writes); err != nil {
					return fmt.Errorf("save issues: %w", err)
				}
				wrote = true
			}
			if len(b.hashes) > 0 {
				if err := p.opts.Store.SetAuditHashes(gctx, f, account.ID, tech, b.hashes); err != nil {
					return fmt.Errorf("save audit hashes: %w", err)
				}
			}
			// Only saved issues are reported as opened or fixed.
			for _, c := range b.changes {
				cl.issues(account, tech, c.item, c.opened, c.fixed)
			}
		}
		return nil
	})
	err := g.Wait()
	return audited, wrote, err
}

// auditRun is the input of one technology's audit shared by its chunks.
type auditRun struct {
	p        *Pipeline
	account  monkey.Account
	tech     string
	auditors []audit.Auditor
	env      *audit.Env
	want     map[int64]string // item → audit fingerprint to store
	stored   map[int64]string // item → audit fingerprint stored
}

// auditBatch is one audited chunk: what to write, and the issue changes to
// report once written.
type auditBatch struct {
	writes  []store.IssueWrite
	hashes  map[int64]string // audit fingerprints of items whose issues did not change
	changes []issueChange
	audited int
}

type issueChange struct {
	item          monkey.StoredItem // ID, region and name only
	opened, fixed []monkey.Issue
}

// chunk reads, decodes and audits the items ids.
func (r auditRun) chunk(ctx context.Context, ids []int64) (auditBatch, error) {
	items, err := r.p.opts.Store.ItemsForAudit(ctx, r.account.ID, r.tech, ids)
	if err != nil {
		return auditBatch{}, fmt.Errorf("load items: %w", err)
	}
	b := auditBatch{hashes: map[int64]string{}}
	for _, s := range items {
		ai, err := toAuditItem(r.account, s)
		if err != nil {
			r.p.logException(ctx, r.account, r.tech, failureFor(s, err))
			continue
		}
		changed := false
		for _, a := range r.auditors {
			rec := audit.Reconcile(a.Class(), s.Issues, a.Audit(ai, r.env))
			if rec.Empty() {
				continue
			}
			changed = true
			create := toIssues(s.ID, a.Class(), rec.Create)
			b.writes = append(b.writes, store.IssueWrite{ItemID: s.ID, Class: a.Class(),
				Create: create, Fix: rec.Fix, Reopen: rec.Reopen,
				Links: rec.Links, AuditHash: r.want[s.ID]})
			if len(create)+len(rec.Fix)+len(rec.Reopen) > 0 {
				opened, fixed := issueChanges(s.ID, a.Class(), s.Issues, create, rec.Fix, rec.Reopen)
				b.changes = append(b.changes, issueChange{item: monkey.StoredItem{ID: s.ID, Region: s.Region, Name: s.Name},
					opened: opened, fixed: fixed})
			}
		}
		if !changed && r.stored[s.ID] != r.want[s.ID] {
			b.hashes[s.ID] = r.want[s.ID]
		}
		b.audited++
	}
	return b, nil
}

func toIssues(itemID int64, class string, fs []audit.Finding) []monkey.Issue {
	out := make([]monkey.Issue, len(fs))
	for i, f := range fs {
		out[i] = monkey.Issue{ItemID: itemID, AuditorClass: class, Score: f.Score, Text: f.Text,
			Notes: f.Notes, ActionInstructions: f.ActionInstructions, LinkedItemIDs: f.LinkedItemIDs}
	}
	return out
}

func failureFor(s monkey.StoredItem, err error) watch.Failure {
	return watch.Failure{Region: s.Region, Name: s.Name, Err: fmt.Errorf("stored config of item %s: %w", strconv.FormatInt(s.ID, 10), err)}
}

// supportCache keeps the decoded support items of one account while its
// technologies are audited (Scan, AuditAll): the 20,000 security groups
// that the load balancer and database auditors read are read and decoded
// once, not once per technology, and not twice at once by technologies
// audited side by side. An entry is used only with the same support states
// (items, durable hashes, audit hashes); a nil cache keeps nothing.
type supportCache struct {
	mu      sync.Mutex
	entries map[string]*cachedSupport
}

type cachedSupport struct {
	mu     sync.Mutex // held while the items are read
	loaded bool
	key    string
	items  []audit.Item
}

// load returns the support items of tech for the states fingerprinted by
// key: the cached ones, or those read (one read of a technology at a time:
// a second reader waits for the first and takes its items).
func (c *supportCache) load(tech, key string, read func() ([]audit.Item, error)) ([]audit.Item, error) {
	if c == nil {
		return read()
	}
	c.mu.Lock()
	if c.entries == nil {
		c.entries = map[string]*cachedSupport{}
	}
	e := c.entries[tech]
	if e == nil {
		e = &cachedSupport{}
		c.entries[tech] = e
	}
	c.mu.Unlock()
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.loaded && e.key == key {
		return e.items, nil
	}
	items, err := read()
	if err != nil {
		return nil, err
	}
	e.loaded, e.key, e.items = true, key, items
	return items, nil
}

// keepOnly drops the entries of the technologies not in keep (no
// technology left to audit reads them: their memory goes).
func (c *supportCache) keepOnly(keep map[string]bool) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for t := range c.entries {
		if !keep[t] {
			delete(c.entries, t)
		}
	}
}

// supportOf returns the support technologies of the auditors of techs.
func (p *Pipeline) supportOf(techs []string) map[string]bool {
	out := map[string]bool{}
	for _, t := range techs {
		for _, a := range p.opts.Technologies.Auditors().For(t) {
			for _, s := range a.Support() {
				out[s] = true
			}
		}
	}
	return out
}
