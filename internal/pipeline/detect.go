package pipeline

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/secmonkey/monkey/internal/audit"
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

// batchedTechnologies store deletions as {"Arn": …} (technologies.md §0.2).
var batchedTechnologies = map[string]bool{"iamrole": true, "sqs": true, "repository": true}

type location struct{ region, name string }

// Detect compares collected items with the stored states and returns the
// change set. Items at failed locations are never deleted; items whose
// config cannot be canonicalised become failures themselves.
func Detect(accountID int64, tech monkey.Technology, states []store.ItemState, items []monkey.Item,
	failures []watch.Failure) (store.ChangeSet, Detection, []watch.Failure) {
	cs := store.ChangeSet{AccountID: accountID, Technology: tech.Index}
	var det Detection
	byLoc := make(map[location]*store.ItemState, len(states))
	for i := range states {
		s := &states[i]
		byLoc[location{s.Region, s.Name}] = s
	}
	hasher := change.NewHasher(tech.EphemeralPaths)
	seen := make(map[location]bool, len(items))
	var itemFailures []watch.Failure
	for _, it := range items {
		it.Name = cleanName(it.Name)
		it.Region = cleanName(it.Region)
		loc := location{it.Region, it.Name}
		if it.Name == "" || seen[loc] {
			continue // duplicates keep the first occurrence
		}
		seen[loc] = true
		cfg := it.Config
		if cfg == nil {
			cfg = monkey.Config{}
		}
		fp, err := hasher.Fingerprint(cfg)
		if err != nil {
			itemFailures = append(itemFailures, watch.Failure{Region: it.Region, Name: it.Name,
				Err: fmt.Errorf("config of %s: %w", it.Name, err)})
			continue
		}
		facts := audit.Facts(tech.Index, it.Name, cfg)
		prev, ok := byLoc[loc]
		switch {
		case !ok:
			cs.New = append(cs.New, store.NewItem{Region: it.Region, Name: it.Name, ARN: it.ARN,
				Config: fp.Canonical, CompleteHash: fp.CompleteHash, DurableHash: fp.DurableHash, Facts: facts})
			det.New++
		case !prev.Active || prev.DurableHash != fp.DurableHash:
			// A deleted item that reappears is a durable change too.
			cs.Durable = append(cs.Durable, store.RevisionWrite{ItemID: prev.ItemID, RevisionID: prev.RevisionID,
				ARN: it.ARN, Config: fp.Canonical, CompleteHash: fp.CompleteHash, DurableHash: fp.DurableHash, Facts: facts})
			det.Changed++
		case prev.CompleteHash != fp.CompleteHash || (it.ARN != "" && prev.ARN != it.ARN):
			cs.Ephemeral = append(cs.Ephemeral, store.RevisionWrite{ItemID: prev.ItemID, RevisionID: prev.RevisionID,
				ARN: it.ARN, Config: fp.Canonical, CompleteHash: fp.CompleteHash, DurableHash: fp.DurableHash, Facts: facts})
			det.Ephemeral++
		default:
			det.Unchanged++
		}
	}
	allFailures := append(append([]watch.Failure(nil), failures...), itemFailures...)
	for i := range states {
		s := &states[i]
		if !s.Active || seen[location{s.Region, s.Name}] || covered(allFailures, s.Region, s.Name) {
			continue
		}
		cfg := []byte("{}")
		if batchedTechnologies[tech.Index] && s.ARN != "" {
			c, _ := change.Canonical(map[string]any{"Arn": s.ARN})
			cfg = c
		}
		cs.Deleted = append(cs.Deleted, store.RevisionWrite{ItemID: s.ItemID, RevisionID: s.RevisionID,
			ARN: s.ARN, Config: cfg, CompleteHash: change.Hash(cfg), DurableHash: change.Hash(cfg)})
		det.Deleted++
	}
	det.Errors = len(itemFailures)
	return cs, det, itemFailures
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

// detectAndStore stores the changes and returns the item states when they
// are still current (nothing was written), so the audit can reuse them.
func (p *Pipeline) detectAndStore(ctx context.Context, account monkey.Account, tech monkey.Technology,
	items []monkey.Item, failures []watch.Failure) (Detection, []store.ItemState, error) {
	states, err := p.opts.Store.ItemStates(ctx, account.ID, tech.Index)
	if err != nil {
		return Detection{}, nil, fmt.Errorf("load item states: %w", err)
	}
	cs, det, itemFailures := Detect(account.ID, tech, states, items, failures)
	for _, f := range itemFailures {
		p.logException(ctx, account, tech.Index, f)
	}
	cs.Now = p.opts.Now().UTC()
	if len(cs.New)+len(cs.Durable)+len(cs.Ephemeral)+len(cs.Deleted) == 0 {
		return det, states, nil // unchanged: not a single write
	}
	if err := p.opts.Store.ApplyChanges(ctx, cs); err != nil {
		return det, nil, fmt.Errorf("store changes: %w", err)
	}
	return det, nil, nil
}
