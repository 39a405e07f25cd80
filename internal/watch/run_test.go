package watch_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/watch"
)

func TestForEachRegion(t *testing.T) {
	t.Parallel()
	regions := []string{"us-west-2", "eu-west-1", "cn-north-1", "us-east-1", "ap-south-1"}
	var (
		mu       sync.Mutex
		seen     []string
		inFlight atomic.Int32
		peak     atomic.Int32
	)
	c := watch.NewCollector(watch.Scope{}, monkey.Technology{Index: "t"})
	watch.ForEachRegion(context.Background(), watch.Scope{RegionConcurrency: 2}, c, regions,
		func(_ context.Context, region string) error {
			n := inFlight.Add(1)
			defer inFlight.Add(-1)
			for {
				p := peak.Load()
				if n <= p || peak.CompareAndSwap(p, n) {
					break
				}
			}
			time.Sleep(5 * time.Millisecond)
			mu.Lock()
			seen = append(seen, region)
			mu.Unlock()
			if region == "us-west-2" || region == "eu-west-1" || region == "cn-north-1" {
				return errors.New("denied in " + region)
			}
			return nil
		})
	failures := c.Result().Failures
	require.ElementsMatch(t, regions, seen)
	require.LessOrEqual(t, peak.Load(), int32(2), "bounded concurrency")
	require.Len(t, failures, 2, "trouble region cn-north-1 ignored")
	require.Equal(t, "eu-west-1", failures[0].Region)
	require.Equal(t, "us-west-2", failures[1].Region)
	require.Empty(t, failures[0].Name)
	require.EqualError(t, failures[0].Err, "denied in eu-west-1")
}

func TestForEachRegionCanceled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var calls atomic.Int32
	c := watch.NewCollector(watch.Scope{}, monkey.Technology{Index: "t"})
	watch.ForEachRegion(ctx, watch.Scope{RegionConcurrency: 1}, c, []string{"a", "b", "c"},
		func(ctx context.Context, region string) error {
			calls.Add(1)
			return ctx.Err()
		})
	failures := c.Result().Failures
	require.Len(t, failures, 3, "every region fails, none is silently skipped")
	for _, f := range failures {
		require.ErrorIs(t, f.Err, context.Canceled)
	}
}

func TestPrefetch(t *testing.T) {
	t.Parallel()
	t.Run("all pages in order", func(t *testing.T) {
		t.Parallel()
		n := 0
		var got []int
		err := watch.Prefetch(context.Background(), func(context.Context) (int, bool, error) {
			n++
			return n, n < 5, nil
		}, func(p int) error { got = append(got, p); return nil })
		require.NoError(t, err)
		require.Equal(t, []int{1, 2, 3, 4, 5}, got)
	})
	t.Run("fetch error after pages", func(t *testing.T) {
		t.Parallel()
		n := 0
		var got []int
		err := watch.Prefetch(context.Background(), func(context.Context) (int, bool, error) {
			n++
			if n == 3 {
				return 0, false, errors.New("throttled")
			}
			return n, true, nil
		}, func(p int) error { got = append(got, p); return nil })
		require.EqualError(t, err, "throttled")
		require.Equal(t, []int{1, 2}, got)
	})
	t.Run("handler error stops fetching", func(t *testing.T) {
		t.Parallel()
		var fetched atomic.Int32
		err := watch.Prefetch(context.Background(), func(ctx context.Context) (int, bool, error) {
			return int(fetched.Add(1)), true, ctx.Err()
		}, func(p int) error { return errors.New("bad page") })
		require.EqualError(t, err, "bad page")
		require.Less(t, fetched.Load(), int32(10))
	})
	t.Run("no fetch outlives the call", func(t *testing.T) {
		t.Parallel()
		var inFlight, calls atomic.Int32
		err := watch.Prefetch(context.Background(), func(ctx context.Context) (int, bool, error) {
			inFlight.Add(1)
			defer inFlight.Add(-1)
			if calls.Add(1) > 1 {
				<-ctx.Done() // a slow call: only cancellation ends it
				return 0, true, ctx.Err()
			}
			return 1, true, nil
		}, func(int) error { return errors.New("bad page") })
		require.EqualError(t, err, "bad page")
		require.Zero(t, inFlight.Load(), "a fetch was still running after Prefetch returned")
	})
}

func TestParallel(t *testing.T) {
	t.Parallel()
	var inFlight, peak, sum atomic.Int32
	items := []int32{1, 2, 3, 4, 5, 6, 7, 8}
	err := watch.Parallel(context.Background(), 3, items, func(_ context.Context, n int32) {
		cur := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			p := peak.Load()
			if cur <= p || peak.CompareAndSwap(p, cur) {
				break
			}
		}
		time.Sleep(2 * time.Millisecond)
		sum.Add(n)
	})
	require.NoError(t, err)
	require.Equal(t, int32(36), sum.Load(), "every item once")
	require.LessOrEqual(t, peak.Load(), int32(3), "bounded")

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var calls atomic.Int32
	err = watch.Parallel(ctx, 2, items, func(context.Context, int32) { calls.Add(1) })
	require.ErrorIs(t, err, context.Canceled, "a cancelled fan-out says so")
	require.Zero(t, calls.Load())
}

func TestCollector(t *testing.T) {
	t.Parallel()
	tech := monkey.Technology{Index: "thing"}
	t.Run("keeps items sorted without a sink", func(t *testing.T) {
		t.Parallel()
		c := watch.NewCollector(watch.Scope{}, tech)
		c.Emit("us-west-2", "b", "arn:b", monkey.Config{})
		c.Emit("eu-west-1", "z", "", monkey.Config{})
		c.Emit("us-west-2", "a", "", monkey.Config{})
		c.Fail("us-west-2", "c", errors.New("denied"))
		c.Fail("cn-north-1", "", errors.New("trouble region dropped"))
		c.Fail("cn-north-1", "item", errors.New("an item of it is kept"))
		res := c.Result()
		var got []string
		for _, it := range res.Items {
			require.Equal(t, "thing", it.Technology)
			got = append(got, it.Region+"/"+it.Name)
		}
		require.Equal(t, []string{"eu-west-1/z", "us-west-2/a", "us-west-2/b"}, got)
		require.Len(t, res.Failures, 2)
		require.Equal(t, "cn-north-1", res.Failures[0].Region)
		require.Equal(t, "c", res.Failures[1].Name)
	})
	t.Run("streams to the sink", func(t *testing.T) {
		t.Parallel()
		var mu sync.Mutex
		var sunk []monkey.Item
		c := watch.NewCollector(watch.Scope{Sink: func(it monkey.Item) { mu.Lock(); sunk = append(sunk, it); mu.Unlock() }}, tech)
		c.Emit(watch.Universal, "x", "", monkey.Config{"k": "v"})
		require.Empty(t, c.Result().Items)
		require.Len(t, sunk, 1)
	})
}

func TestTokens(t *testing.T) {
	t.Parallel()
	pages := map[string][]int{"": {1, 2}, "t1": {3}, "t2": {4, 5}}
	next := map[string]string{"": "t1", "t1": "t2", "t2": ""}
	var got []int
	err := watch.Tokens(context.Background(), func(_ context.Context, tok *string) ([]int, *string, error) {
		k := ""
		if tok != nil {
			k = *tok
		}
		n := next[k]
		return pages[k], &n, nil
	}, func(p []int) error { got = append(got, p...); return nil })
	require.NoError(t, err)
	require.Equal(t, []int{1, 2, 3, 4, 5}, got)
}
