package awssim

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

var (
	errUnknownAccount    = errors.New("unknown account")
	errUnknownTechnology = errors.New("unknown technology")
)

// techState is the compact mutable state of one technology in one account.
// Resources are pure functions of (seed, account, technology, index,
// mutation generation); only deviations from the generated state are stored,
// so 100,000 items cost a few integers.
type techState struct {
	n       int              // indices [0, n) were generated (initial count + created)
	deleted map[int]struct{} // deleted indices
	gen     map[int]int      // mutation generation of mutated indices
	cursor  int              // next index considered by Mutate
}

func (t *techState) exists(i int) bool {
	if i < 0 || i >= t.n {
		return false
	}
	_, del := t.deleted[i]
	return !del
}

func (t *techState) generation(i int) int { return t.gen[i] }

// account is one simulated account: the state of every registered
// technology, keyed by technology index, and the per-account state of the
// services that keep some (service.newAccountState), keyed by service name.
type account struct {
	idx   int
	id    string
	techs map[string]*techState
	ext   map[string]any
}

// tech returns the state of a registered technology.
func (a *account) tech(index string) *techState { return a.techs[index] }

func (s *Server) newAccount(idx int, id string) *account {
	a := &account{idx: idx, id: id, techs: make(map[string]*techState, len(s.resources)), ext: map[string]any{}}
	for index, r := range s.resources {
		n := s.opts.Items
		if r.perAccount > 0 {
			n = r.perAccount
		}
		if v, ok := s.opts.ItemsPer[index]; ok {
			n = v
		}
		a.techs[index] = &techState{n: n, deleted: map[int]struct{}{}, gen: map[int]int{}}
	}
	return a
}

func (s *Server) account(id string) (*account, error) {
	a := s.byID[id]
	if a == nil {
		return nil, fmt.Errorf("account %q: %w", id, errUnknownAccount)
	}
	return a, nil
}

// resource returns the registered technology index, or an error listing
// the technologies this server simulates.
func (s *Server) resource(index string) (*resource, error) {
	r := s.resources[index]
	if r == nil {
		return nil, fmt.Errorf("%w %q (want one of %s)", errUnknownTechnology, index, strings.Join(s.technologies(), ", "))
	}
	return r, nil
}

// Mutate makes a durable change to count existing items of technology tc in
// account acct and returns their ARNs. Items are chosen in index order from a
// per-technology cursor that wraps around, so repeated calls walk through all
// items. What changes is the technology's own (GET /_sim/technologies and the
// package doc list it): each mutation raises the item's generation, from which
// its service derives the changed attributes.
func (s *Server) Mutate(acct, tc string, count int) ([]string, error) {
	return s.change(acct, tc, count, func(ts *techState, count int) []int {
		var picked []int
		for scanned := 0; len(picked) < count && scanned < ts.n; scanned++ {
			i := ts.cursor % ts.n
			ts.cursor = i + 1
			if ts.exists(i) {
				ts.gen[i]++
				picked = append(picked, i)
			}
		}
		return picked
	})
}

// Delete removes the count live items with the highest indices (the most
// recently created first) and returns their ARNs.
func (s *Server) Delete(acct, tc string, count int) ([]string, error) {
	return s.change(acct, tc, count, func(ts *techState, count int) []int {
		var picked []int
		for i := ts.n - 1; i >= 0 && len(picked) < count; i-- {
			if ts.exists(i) {
				picked = append(picked, i)
				ts.deleted[i] = struct{}{}
			}
		}
		return picked
	})
}

// Create adds count new items (new indices) and returns their ARNs.
func (s *Server) Create(acct, tc string, count int) ([]string, error) {
	return s.change(acct, tc, count, func(ts *techState, count int) []int {
		picked := make([]int, count)
		for k := range picked {
			picked[k] = ts.n + k
		}
		ts.n += count
		return picked
	})
}

func (s *Server) change(acct, tc string, count int, pick func(*techState, int) []int) ([]string, error) {
	a, err := s.account(acct)
	if err != nil {
		return nil, err
	}
	r, err := s.resource(tc)
	if err != nil {
		return nil, err
	}
	if count < 0 || count > 1_000_000 {
		return nil, fmt.Errorf("count %d: want 0..1000000", count)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	idx := pick(a.tech(tc), count)
	arns := make([]string, len(idx))
	for k, i := range idx {
		arns[k] = r.arn(s, a, i)
	}
	return arns, nil
}

// bulkBenign reports whether item i is one of the ordinary, secure items
// that make up most of a large account: the first 50 items cycle through
// every secure and insecure variant, later ones only every 20th.
func bulkBenign(i int) bool { return i >= 50 && i%20 != 0 }

// ---- regional technologies ----

// itemRegion is the region of item i of a regional technology: items are
// spread over the enabled regions, index i in Regions[i % len(Regions)].
func (s *Server) itemRegion(i int) string { return s.opts.Regions[i%len(s.opts.Regions)] }

// enabledRegion is the check (service.check) of a regional service: a
// request in an opt-in region (Options.OptInRegions) answers optIn, one in
// any other region that is not enabled answers unknown.
func enabledRegion(optIn, unknown errorShape) func(*Server, *request) *apiError {
	return func(s *Server, req *request) *apiError {
		switch {
		case s.regionIndex(req.region) >= 0:
			return nil
		case slices.Contains(s.opts.OptInRegions, req.region):
			return optIn.err(req.op)
		default:
			return unknown.err(req.op)
		}
	}
}

// regionIndex is the position of region in Options.Regions (-1: not enabled).
func (s *Server) regionIndex(region string) int { return slices.Index(s.opts.Regions, region) }

// regionItems iterates the indices of the items of ts living in the region
// at position r (index i lives in region i % len(Regions)) from start,
// calling fn for each live one that keep accepts (nil: all) until fn returns
// false. It returns the next index to visit and whether a live item remains.
func (s *Server) regionItems(ts *techState, r, start int, keep func(int) bool, fn func(int) bool) (next int, more bool) {
	step := len(s.opts.Regions)
	i := r
	if start > r {
		i = r + (start-r+step-1)/step*step
	}
	for ; i < ts.n; i += step {
		if !ts.exists(i) || (keep != nil && !keep(i)) {
			continue
		}
		if !fn(i) {
			return i, true
		}
	}
	return i, false
}

// itemByName finds the live item of a regional technology in the request's
// region whose name is name; nameOf(i) is the name of item i and ends with
// "-<i>". ok is false when there is none.
func (s *Server) itemByName(req *request, tech, name string, nameOf func(int) string) (int, bool) {
	cut := strings.LastIndexByte(name, '-')
	if cut < 0 {
		return 0, false
	}
	i, err := strconv.Atoi(name[cut+1:])
	if err != nil || !req.acct.tech(tech).exists(i) || s.itemRegion(i) != req.region || nameOf(i) != name {
		return 0, false
	}
	return i, true
}
