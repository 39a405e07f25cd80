package watch

import (
	"context"
	"fmt"
	"sort"
	"sync"
)

// DefaultRegionConcurrency bounds concurrently scanned regions when
// Scope.RegionConcurrency is not set.
const DefaultRegionConcurrency = 8

// troubleRegions are regions whose errors are ignored (technologies.md §0.5).
var troubleRegions = map[string]bool{"cn-north-1": true}

// ForEachRegion calls fn for every region of scope.Regions, at most
// scope.RegionConcurrency at a time, and returns one Failure per region whose
// fn returned an error (sorted by region; errors of "trouble regions" such as
// cn-north-1 are dropped). fn must synchronise its own writes. Regions not
// started because ctx ended fail with the context error.
func ForEachRegion(ctx context.Context, scope Scope, fn func(ctx context.Context, region string) error) []Failure {
	n := scope.RegionConcurrency
	if n <= 0 {
		n = DefaultRegionConcurrency
	}
	var (
		mu       sync.Mutex
		failures []Failure
		wg       sync.WaitGroup
	)
	sem := make(chan struct{}, n)
	fail := func(region string, err error) {
		if troubleRegions[region] {
			return
		}
		mu.Lock()
		failures = append(failures, Failure{Region: region, Err: err})
		mu.Unlock()
	}
	for _, region := range scope.Regions {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			fail(region, fmt.Errorf("region %s not scanned: %w", region, ctx.Err()))
			continue
		}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			if err := fn(ctx, region); err != nil {
				fail(region, err)
			}
		}()
	}
	wg.Wait()
	sort.Slice(failures, func(i, j int) bool { return failures[i].Region < failures[j].Region })
	return failures
}

// Universal is the region of items of global technologies.
const Universal = "universal"

// Prefetch calls next until it reports no more pages, handing each page to
// handle while the following page is already being fetched: decoding one
// API reply and normalising the previous one overlap. It stops at the first
// error of either and returns it.
func Prefetch[P any](ctx context.Context, next func(context.Context) (page P, more bool, err error), handle func(P) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type result struct {
		page P
		err  error
	}
	pages := make(chan result, 1)
	go func() {
		defer close(pages)
		for {
			p, more, err := next(ctx)
			select {
			case pages <- result{p, err}:
			case <-ctx.Done():
				return
			}
			if err != nil || !more {
				return
			}
		}
	}()
	for r := range pages {
		if r.err != nil {
			return r.err
		}
		if err := handle(r.page); err != nil {
			return err
		}
	}
	return ctx.Err()
}
