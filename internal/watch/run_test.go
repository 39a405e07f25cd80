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
