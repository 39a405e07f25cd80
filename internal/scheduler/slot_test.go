package scheduler_test

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/broker"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/scheduler"
)

func TestAlignedWindowStarts(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 4, 13, 52, 10, 0, time.UTC) // a Wednesday
	for _, tc := range []struct {
		interval int
		want     time.Time
	}{
		{15, time.Date(2026, 3, 4, 13, 45, 0, 0, time.UTC)},
		{60, time.Date(2026, 3, 4, 13, 0, 0, 0, time.UTC)},
		{720, time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC)},
		{1440, time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC)},
		{10080, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}, // Sunday
	} {
		p := scheduler.Pair{Account: "a", Technology: "s3", Interval: tc.interval}
		require.Equal(t, tc.want, scheduler.WindowStart(p, now, true), "interval %d", tc.interval)
		// Same slot through the window, a new one at its end.
		period := time.Duration(tc.interval) * time.Minute
		require.Equal(t, scheduler.Slot(p, tc.want, true), scheduler.Slot(p, tc.want.Add(period-time.Second), true))
		require.NotEqual(t, scheduler.Slot(p, tc.want, true), scheduler.Slot(p, tc.want.Add(period), true))
	}
}

func TestSpreadWindowsAreStablePerPair(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 4, 13, 52, 10, 0, time.UTC)
	starts := map[time.Time]bool{}
	for _, acct := range []string{"a", "b", "c", "d", "e", "f"} {
		p := scheduler.Pair{Account: acct, Technology: "iamrole", Interval: 60}
		start := scheduler.WindowStart(p, now, false)
		require.False(t, start.After(now))
		require.True(t, now.Sub(start) < time.Hour)
		require.Equal(t, scheduler.Slot(p, start, false), scheduler.Slot(p, now, false))
		require.NotEqual(t, scheduler.Slot(p, start, false), scheduler.Slot(p, start.Add(-time.Second), false))
		starts[start] = true
	}
	require.Greater(t, len(starts), 1, "pairs are spread over the hour")
	// An unsupported interval with alignment falls back to every N minutes.
	p := scheduler.Pair{Account: "a", Technology: "s3", Interval: 45}
	require.Equal(t, scheduler.Slot(p, now, false), scheduler.Slot(p, now, true))
}

func TestActivePairs(t *testing.T) {
	t.Parallel()
	accounts := []monkey.Account{
		{ID: 1, Name: "prod", Type: "AWS", Active: true},
		{ID: 2, Name: "vendor", Type: "AWS", Active: true, ThirdParty: true},
		{ID: 3, Name: "off", Type: "AWS"},
		{ID: 4, Name: "gh", Type: "GitHub", Active: true},
	}
	for _, tc := range []struct {
		name         string
		wcs          []monkey.WatcherConfig
		only, ignore []string
		want         []string
	}{
		{"defaults", nil, nil, nil, []string{"prod/iamrole@60", "prod/s3@60", "prod/securitygroup@60"}},
		{"inactive and zero", []monkey.WatcherConfig{{Index: "s3", Interval: 15, Active: false}, {Index: "iamrole", Interval: 0, Active: true}, {Index: "securitygroup", Interval: 1440, Active: true}}, nil, nil, []string{"prod/securitygroup@1440"}},
		{"only watch wins", nil, []string{"s3"}, []string{"s3"}, []string{"prod/s3@60"}},
		{"ignore", nil, nil, []string{"s3", "iamrole"}, []string{"prod/securitygroup@60"}},
	} {
		var got []string
		for _, p := range scheduler.ActivePairs(accounts, tc.wcs, techs, tc.only, tc.ignore) {
			got = append(got, p.Account+"/"+p.Technology+"@"+itoa(p.Interval))
		}
		require.Equal(t, tc.want, got, tc.name)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestPlanAndEnqueueNow(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tb := setup(t, "sqlite")
	tb.account(t, "prod", "111111111111", true, false)
	tb.account(t, "dev", "222222222222", true, false)
	tb.account(t, "vendor", "333333333333", true, true)

	tasks, err := scheduler.Plan(ctx, tb.store, techs, nil, []string{"s3"})
	require.NoError(t, err)
	ids := map[string]int64{}
	for _, n := range []string{"prod", "dev"} {
		a, err := tb.store.AccountByName(ctx, n)
		require.NoError(t, err)
		ids[n] = a.ID
	}
	require.ElementsMatch(t, []broker.Task{{AccountID: ids["dev"], Account: "dev", Technology: "s3"},
		{AccountID: ids["prod"], Account: "prod", Technology: "s3"}}, tasks, "tasks carry the account's stable id")
	tasks, err = scheduler.Plan(ctx, tb.store, techs, []string{"prod"}, nil)
	require.NoError(t, err)
	require.Len(t, tasks, 3)
	for _, bad := range [][2][]string{{{"nope"}, nil}, {{"vendor"}, nil}, {nil, {"nope"}}} {
		_, err := scheduler.Plan(ctx, tb.store, techs, bad[0], bad[1])
		require.Error(t, err)
	}

	res, err := scheduler.EnqueueNow(ctx, tb.q, tasks)
	require.NoError(t, err)
	require.Len(t, res.Enqueued, 3)
	require.Empty(t, res.Queued)
	require.Empty(t, res.Running)
	res, err = scheduler.EnqueueNow(ctx, tb.q, tasks)
	require.NoError(t, err)
	require.Empty(t, res.Enqueued, "a double submission is enqueued once")
	require.Len(t, res.Queued, 3)
}

// TestManualScanIsUniquePerPairWhileQueuedOrRunning: two manual runs of a
// pair a second (or an hour) apart never put two tasks of the pair on the
// queue while one is waiting or running; once it finished, the next manual
// run enqueues again.
func TestManualScanIsUniquePerPairWhileQueuedOrRunning(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tb := setup(t, "sqlite")
	task := broker.Task{Account: "prod", Technology: "s3"}
	id := task.ID(scheduler.ManualSlot)

	res, err := scheduler.EnqueueNow(ctx, tb.q, []broker.Task{task})
	require.NoError(t, err)
	require.Equal(t, []string{id}, res.Enqueued)
	tb.clock.Add(time.Second)
	res, err = scheduler.EnqueueNow(ctx, tb.q, []broker.Task{task})
	require.NoError(t, err)
	require.Empty(t, res.Enqueued)
	require.Equal(t, []string{id}, res.Queued)

	started, release := make(chan struct{}), make(chan struct{})
	var runs sync.WaitGroup
	runs.Add(1)
	cctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- tb.q.Consume(cctx, broker.ConsumeOptions{Concurrency: 2}, func(ctx context.Context, got broker.Task, m broker.Meta) error {
			defer runs.Done()
			close(started)
			<-release
			return nil
		})
	}()
	<-started
	res, err = scheduler.EnqueueNow(ctx, tb.q, []broker.Task{task})
	require.NoError(t, err)
	require.Empty(t, res.Enqueued)
	require.Equal(t, []string{id}, res.Running, "the second request says the scan is running")
	close(release)
	runs.Wait()
	require.Eventually(t, func() bool {
		st, err := tb.q.TaskState(ctx, id)
		return err == nil && st == broker.TaskCompleted
	}, 10*time.Second, 50*time.Millisecond)
	stop()
	require.NoError(t, <-done)

	res, err = scheduler.EnqueueNow(ctx, tb.q, []broker.Task{task})
	require.NoError(t, err)
	require.Equal(t, []string{id}, res.Enqueued, "a finished manual scan does not block the next one")
}
