package pipeline

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/secmonkey/monkey/internal/change"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/store"
	"github.com/secmonkey/monkey/internal/watch"
)

// Detection counts the outcome of change detection.
type Detection struct {
	New, Changed, Ephemeral, Deleted, Unchanged int
	Errors                                      int // items that could not be stored
}

type location struct{ region, name string }

// Detect compares collected items with the stored states and returns the
// change set. Items at failed locations are never deleted; items whose
// config cannot be canonicalised become failures themselves.
func Detect(accountID int64, tech monkey.Technology, facts Facts, states []store.ItemState, items []monkey.Item,
	failures []watch.Failure) (store.ChangeSet, Detection, []watch.Failure) {
	d := newDetector(accountID, tech, facts, states, nil)
	for _, it := range items {
		d.Add(it)
	}
	return d.Finish(failures)
}

// detector compares items with stored states as they are collected. Only
// new and changed items keep their canonical config; with a flush function,
// pending writes are handed over every flushEvery items, so memory stays
// bounded whatever the account size.
type detector struct {
	mu     sync.Mutex
	tech   monkey.Technology
	facts  Facts
	hasher *change.Hasher
	states []store.ItemState
	byLoc  map[location]int // index in states
	// seenOld marks the stored items collected again (by index in
	// states), seenNew the new ones: no second map over every stored item.
	seenOld  []bool
	seenNew  map[location]bool
	nSeen    int
	cs       store.ChangeSet
	det      Detection
	failures []watch.Failure // item-level
	flush    func(store.ChangeSet) error
	flushErr error
	flushed  bool
	// note, when set, is told every new, durably changed and deleted item.
	note func(kind, region, name string, itemID int64)
}

// flushEvery is the number of pending writes a detector hands over at
// once: one store batch (batchRows), so that a pair collected at once with
// 31 others holds no more than one batch of canonical configs (decision 117).
const flushEvery = 1000

// Facts gives the known resources an item contributes to the audit context
// (tech.Registry implements it).
type Facts interface {
	Facts(technology, name string, cfg monkey.Config) []monkey.KnownResource
}

func newDetector(accountID int64, tech monkey.Technology, facts Facts, states []store.ItemState, flush func(store.ChangeSet) error) *detector {
	d := &detector{
		tech:    tech,
		facts:   facts,
		hasher:  change.NewHasher(tech.EphemeralPaths),
		states:  states,
		byLoc:   make(map[location]int, len(states)),
		seenOld: make([]bool, len(states)),
		seenNew: map[location]bool{},
		cs:      store.ChangeSet{AccountID: accountID, Technology: tech.Index},
		flush:   flush,
	}
	for i := range states {
		d.byLoc[location{states[i].Region, states[i].Name}] = i
	}
	return d
}

// Add compares one collected item. It is safe for concurrent use.
func (d *detector) Add(it monkey.Item) {
	it.Name = cleanName(it.Name)
	it.Region = cleanName(it.Region)
	loc := location{it.Region, it.Name}
	cfg := it.Config
	if cfg == nil {
		cfg = monkey.Config{}
	}
	// Fingerprint outside the lock: it is the expensive part. The
	// canonical form is copied out of the pooled buffer only for the
	// items whose writes are kept.
	buf := change.GetBuffer()
	defer change.PutBuffer(buf)
	fp, err := d.hasher.FingerprintInto(buf, cfg)
	var facts []monkey.KnownResource
	if err == nil {
		facts = d.facts.Facts(d.tech.Index, it.Name, cfg)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if it.Name == "" {
		return
	}
	i, ok := d.byLoc[loc]
	switch {
	case ok && d.seenOld[i], !ok && d.seenNew[loc]:
		return // duplicates keep the first occurrence
	case ok:
		d.seenOld[i] = true
	default:
		d.seenNew[loc] = true
	}
	d.nSeen++
	if err != nil {
		d.failures = append(d.failures, watch.Failure{Region: it.Region, Name: it.Name,
			Err: fmt.Errorf("config of %s: %w", it.Name, err)})
		return
	}
	var prev *store.ItemState
	if ok {
		prev = &d.states[i]
	}
	switch {
	case !ok:
		d.cs.New = append(d.cs.New, store.NewItem{Region: it.Region, Name: it.Name, ARN: it.ARN,
			Config: bytes.Clone(fp.Canonical), CompleteHash: fp.CompleteHash, DurableHash: fp.DurableHash, Facts: facts})
		d.det.New++
		d.noteChange(ChangeNew, it.Region, it.Name, 0)
	case !prev.Active || prev.DurableHash != fp.DurableHash:
		// A deleted item that reappears is a durable change too.
		d.cs.Durable = append(d.cs.Durable, store.RevisionWrite{ItemID: prev.ItemID, RevisionID: prev.RevisionID,
			ARN: it.ARN, Config: bytes.Clone(fp.Canonical), CompleteHash: fp.CompleteHash, DurableHash: fp.DurableHash, Facts: facts})
		d.det.Changed++
		d.noteChange(ChangeChanged, it.Region, it.Name, prev.ItemID)
	case prev.CompleteHash != fp.CompleteHash || (it.ARN != "" && prev.ARN != it.ARN):
		d.cs.Ephemeral = append(d.cs.Ephemeral, store.RevisionWrite{ItemID: prev.ItemID, RevisionID: prev.RevisionID,
			ARN: it.ARN, Config: bytes.Clone(fp.Canonical), CompleteHash: fp.CompleteHash, DurableHash: fp.DurableHash, Facts: facts})
		d.det.Ephemeral++
	default:
		d.det.Unchanged++
	}
	if d.flush != nil && d.flushErr == nil && len(d.cs.New)+len(d.cs.Durable)+len(d.cs.Ephemeral) >= flushEvery {
		d.flushErr = d.flush(d.cs)
		d.flushed = true
		d.cs.New, d.cs.Durable, d.cs.Ephemeral = nil, nil, nil
	}
}

// Finish computes deletions (never at failed locations) and returns the
// pending change set.
func (d *detector) Finish(failures []watch.Failure) (store.ChangeSet, Detection, []watch.Failure) {
	d.mu.Lock()
	defer d.mu.Unlock()
	all := append(append([]watch.Failure(nil), failures...), d.failures...)
	for i := range d.states {
		s := &d.states[i]
		if !s.Active || d.seenOld[i] || covered(all, s.Region, s.Name) {
			continue
		}
		cfg := []byte("{}")
		if d.tech.ARNDeletion && s.ARN != "" {
			c, _ := change.Canonical(map[string]any{"Arn": s.ARN})
			cfg = c
		}
		d.cs.Deleted = append(d.cs.Deleted, store.RevisionWrite{ItemID: s.ItemID, RevisionID: s.RevisionID,
			ARN: s.ARN, Config: cfg, CompleteHash: change.Hash(cfg), DurableHash: change.Hash(cfg)})
		d.det.Deleted++
		d.noteChange(ChangeDeleted, s.Region, s.Name, s.ItemID)
	}
	slices.SortFunc(d.cs.Deleted, func(a, b store.RevisionWrite) int { return cmp.Compare(a.ItemID, b.ItemID) })
	d.det.Errors = len(d.failures)
	return d.cs, d.det, d.failures
}

func (d *detector) noteChange(kind, region, name string, itemID int64) {
	if d.note != nil {
		d.note(kind, region, name, itemID)
	}
}

func covered(failures []watch.Failure, region, name string) bool {
	for _, f := range failures {
		if f.Covers(region, name) {
			return true
		}
	}
	return false
}

// cleanName makes names storable: valid UTF-8, no NUL bytes.
func cleanName(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return strings.ReplaceAll(s, "\x00", "\uFFFD")
}

// collected is how many distinct items were collected.
func (d *detector) collected() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.nSeen
}

// pendingWrites reports whether a change set has anything to write.
func pendingWrites(cs store.ChangeSet) bool {
	return len(cs.New)+len(cs.Durable)+len(cs.Ephemeral)+len(cs.Deleted) > 0
}
