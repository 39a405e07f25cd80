package pipeline

import (
	"context"
	"fmt"
	"sync"

	"golang.org/x/sync/semaphore"

	"github.com/secmonkey/monkey/internal/monkey"
)

// DefaultItemBudget is the default Options.ItemBudget: one technology of
// 100,000 items, or many smaller ones, at a time — about 50 MB of item
// states and change sets, beside the decoded pages in flight (decision 115).
const DefaultItemBudget = 100_000

// minReservation is what a task reserves at least: a first scan holds no
// stored states, but up to one batch of pending writes (flushEvery) and the
// pages in flight.
const minReservation = flushEvery

// itemBudget is a weighted semaphore of items in memory. Collection waits
// on the network far more than it computes, so many tasks run at once; the
// budget, not the number of tasks, bounds the memory they hold.
type itemBudget struct {
	sem *semaphore.Weighted
	max int64

	mu    sync.Mutex
	sizes map[pairKey]int // items of a pair at its last collection by this process
}

type pairKey struct {
	account    int64
	technology string
}

func newItemBudget(n int) *itemBudget {
	return &itemBudget{sem: semaphore.NewWeighted(int64(n)), max: int64(n), sizes: map[pairKey]int{}}
}

// size returns the item count of a pair remembered from its last
// collection in this process.
func (b *itemBudget) size(k pairKey) (int, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	n, ok := b.sizes[k]
	return n, ok
}

// remember records the item count of a pair after a collection.
func (b *itemBudget) remember(k pairKey, n int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.sizes[k] = n
}

// acquire reserves items (clamped to [minReservation, budget]: a technology
// larger than the whole budget runs alone) and returns the release.
func (b *itemBudget) acquire(ctx context.Context, items int) (func(), error) {
	w := min(max(int64(items), minReservation), b.max)
	if err := b.sem.Acquire(ctx, w); err != nil {
		return nil, err
	}
	return func() { b.sem.Release(w) }, nil
}

// reserve reserves the memory budget of one pair: its item count at its
// last collection by this process or, the first time, in the database.
func (p *Pipeline) reserve(ctx context.Context, account monkey.Account, technology string) (func(), error) {
	n, ok := p.budget.size(pairKey{account.ID, technology})
	if !ok {
		var err error
		if n, err = p.opts.Store.ItemCount(ctx, account.ID, technology); err != nil {
			return nil, err
		}
	}
	release, err := p.budget.acquire(ctx, n)
	if err != nil {
		return nil, fmt.Errorf("wait for memory budget (%d items): %w", n, err)
	}
	return release, nil
}
