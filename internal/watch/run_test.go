package watch_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

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
	failures := watch.ForEachRegion(context.Background(), watch.Scope{Regions: regions, RegionConcurrency: 2},
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
	failures := watch.ForEachRegion(ctx, watch.Scope{Regions: []string{"a", "b", "c"}, RegionConcurrency: 1},
		func(ctx context.Context, region string) error {
			calls.Add(1)
			return ctx.Err()
		})
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
}
