package watch

import (
	"context"
	"fmt"
	"sort"
	"sync"

	"github.com/secmonkey/monkey/internal/monkey"
)

// DefaultRegionConcurrency bounds concurrently scanned regions when
// Scope.RegionConcurrency is not set.
const DefaultRegionConcurrency = 8

// troubleRegions are regions whose errors are ignored (technologies.md §0.5).
var troubleRegions = map[string]bool{"cn-north-1": true}

// Collector is what a watcher collects into: it hands each item to the
// scope's Sink as soon as it is built (or keeps it when the scope has none)
// and records failed locations. It is safe for concurrent use.
type Collector struct {
	scope Scope
	tech  string
	mu    sync.Mutex
	res   Result
}

// NewCollector returns a collector for the items of tech in scope.
func NewCollector(scope Scope, tech monkey.Technology) *Collector {
	return &Collector{scope: scope, tech: tech.Index}
}

// Emit hands over one item.
func (c *Collector) Emit(region, name, arn string, cfg monkey.Config) {
	it := monkey.Item{Technology: c.tech, Region: region, Name: name, ARN: arn, Config: cfg}
	if c.scope.Sink != nil {
		c.scope.Sink(it)
		return
	}
	c.mu.Lock()
	c.res.Items = append(c.res.Items, it)
	c.mu.Unlock()
}

// Fail records a failed location: the whole account (region and name
// empty), a region (name empty) or one item. Errors of trouble regions
// (technologies.md §0.5) are dropped.
func (c *Collector) Fail(region, name string, err error) {
	if name == "" && troubleRegions[region] {
		return
	}
	c.mu.Lock()
	c.res.Failures = append(c.res.Failures, Failure{Region: region, Name: name, Err: err})
	c.mu.Unlock()
}

// Result returns the items kept and the failures, sorted by location, so
// that a collection made concurrently reads the same every time.
func (c *Collector) Result() Result {
	c.mu.Lock()
	defer c.mu.Unlock()
	res := Result{Items: c.res.Items, Failures: append([]Failure(nil), c.res.Failures...)}
	sort.SliceStable(res.Items, func(i, j int) bool {
		a, b := res.Items[i], res.Items[j]
		if a.Region != b.Region {
			return a.Region < b.Region
		}
		return a.Name < b.Name
	})
	sort.SliceStable(res.Failures, func(i, j int) bool {
		a, b := res.Failures[i], res.Failures[j]
		if a.Region != b.Region {
			return a.Region < b.Region
		}
		return a.Name < b.Name
	})
	return res
}

// Parallel calls fn for every element of items, at most limit at a time
// (limit < 1 means 1), and waits for them. It stops starting new calls when
// ctx ends and then returns ctx's error: a cancelled collection is
// incomplete, and the pipeline never lets it delete anything.
func Parallel[T any](ctx context.Context, limit int, items []T, fn func(ctx context.Context, item T)) error {
	limit = max(limit, 1)
	sem := make(chan struct{}, limit)
	var wg sync.WaitGroup
	defer wg.Wait()
	for _, it := range items {
		if err := ctx.Err(); err != nil {
			return err // checked first: select picks at random among ready cases
		}
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			return ctx.Err()
		}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			fn(ctx, it)
		}()
	}
	return nil
}

// ForEachRegion calls fn for every region, at most scope.RegionConcurrency
// at a time, and records a region failure in c for every region whose fn
// returned an error (trouble regions excepted). Regions not started because
// ctx ended fail with the context error.
func ForEachRegion(ctx context.Context, scope Scope, c *Collector, regions []string, fn func(ctx context.Context, region string) error) {
	n := scope.RegionConcurrency
	if n <= 0 {
		n = DefaultRegionConcurrency
	}
	started := make([]bool, len(regions))
	idx := make([]int, len(regions))
	for i := range idx {
		idx[i] = i
	}
	err := Parallel(ctx, n, idx, func(ctx context.Context, i int) {
		started[i] = true
		if err := fn(ctx, regions[i]); err != nil {
			c.Fail(regions[i], "", err)
		}
	})
	if err != nil {
		for i, r := range regions {
			if !started[i] {
				c.Fail(r, "", fmt.Errorf("region %s not scanned: %w", r, err))
			}
		}
	}
}

// Prefetch calls next until it reports no more pages, handing each page to
// handle while the following page is already being fetched: decoding one
// API reply and normalising the previous one overlap. It stops at the first
// error of either and returns it.
func Prefetch[P any](ctx context.Context, next func(context.Context) (page P, more bool, err error), handle func(P) error) error {
	ctx, cancel := context.WithCancel(ctx)
	type result struct {
		page P
		err  error
	}
	// Unbuffered: the fetcher hands a page over when the previous one is
	// handled, so a stream holds two decoded pages at most (the one being
	// handled, the next one ready), not three.
	pages := make(chan result)
	// The fetching goroutine never outlives Prefetch: on every return it is
	// cancelled and drained, so no call reaches the client afterwards.
	defer func() {
		cancel()
		for range pages {
		}
	}()
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

// Paginate walks an SDK-style paginator (HasMorePages and NextPage) with
// Prefetch:
//
//	p := ec2.NewDescribeVpcsPaginator(client, in)
//	err := watch.Paginate(ctx, p.HasMorePages, func(ctx context.Context) (*ec2.DescribeVpcsOutput, error) {
//		return p.NextPage(ctx)
//	}, handle)
//
// A paginator with no pages at all (HasMorePages false from the start) calls
// handle never.
func Paginate[P any](ctx context.Context, hasMore func() bool, next func(context.Context) (P, error), handle func(P) error) error {
	if !hasMore() {
		return nil
	}
	return Prefetch(ctx, func(ctx context.Context) (P, bool, error) {
		p, err := next(ctx)
		return p, err == nil && hasMore(), err
	}, handle)
}

// Tokens walks a token-paged API that has no SDK paginator: call returns a
// page and the next token (nil or "" when done). Pages are prefetched.
func Tokens[P any](ctx context.Context, call func(ctx context.Context, token *string) (P, *string, error), handle func(P) error) error {
	var token *string
	return Prefetch(ctx, func(ctx context.Context) (P, bool, error) {
		p, next, err := call(ctx, token)
		token = next
		return p, err == nil && next != nil && *next != "", err
	}, handle)
}
