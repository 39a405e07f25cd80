package pipeline_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/pipeline"
	"github.com/secmonkey/monkey/internal/store"
	"github.com/secmonkey/monkey/internal/store/storetest"
)

// requireNoDuplicates checks the stored data of one account: at most one
// open issue per identity on every item, and no revision repeating the one
// before it.
func requireNoDuplicates(t *testing.T, s *store.Store, acct monkey.Account, techs ...string) {
	t.Helper()
	ctx := context.Background()
	for _, tech := range techs {
		items, err := s.ItemsForAudit(ctx, acct.ID, tech, nil)
		require.NoError(t, err)
		require.NotEmpty(t, items, tech)
		for _, it := range items {
			open := map[string]int{}
			for _, is := range it.Issues {
				if !is.Fixed {
					open[is.Key()]++
				}
			}
			for k, n := range open {
				require.Equal(t, 1, n, "%s %s: open issue %q stored %d times", tech, it.Name, k, n)
			}
			revs, err := s.Revisions(ctx, it.ID)
			require.NoError(t, err)
			for i := 1; i < len(revs); i++ {
				same := revs[i].Active == revs[i-1].Active && bytes.Equal(revs[i].Config, revs[i-1].Config)
				require.False(t, same, "%s %s: revisions %d and %d are the same", tech, it.Name, revs[i].ID, revs[i-1].ID)
			}
		}
	}
}

// together runs the functions at the same moment and waits for them.
func together(fns ...func()) {
	var ready, done sync.WaitGroup
	start := make(chan struct{})
	for _, fn := range fns {
		ready.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			ready.Done()
			<-start
			fn()
		}()
	}
	ready.Wait()
	close(start)
	done.Wait()
}

// TestOverlappingScansOfOnePair starts two scans of the same pairs at once,
// in every combination the synchronous command and the worker allow: no
// duplicate issue, no duplicate revision, every change reported once
// across the two runs.
func TestOverlappingScansOfOnePair(t *testing.T) {
	t.Parallel()
	type run func(ctx context.Context, b bundle, techs []string) (map[string]pipeline.TaskResult, error)
	task := func(ctx context.Context, b bundle, techs []string) (map[string]pipeline.TaskResult, error) {
		out := map[string]pipeline.TaskResult{}
		for _, tech := range techs {
			r, err := b.pipe.RunTask(ctx, "alpha", tech)
			for errors.Is(err, monkey.ErrScanRunning) { // what the worker does: later, again
				time.Sleep(100 * time.Millisecond)
				r, err = b.pipe.RunTask(ctx, "alpha", tech)
			}
			if err != nil {
				return nil, err
			}
			out[tech] = r
		}
		return out, nil
	}
	scan := func(ctx context.Context, b bundle, techs []string) (map[string]pipeline.TaskResult, error) {
		sum, err := b.pipe.Scan(ctx, []monkey.Account{b.acct}, techs, pipeline.ScanOptions{LockWait: time.Minute})
		if err != nil {
			return nil, err
		}
		if len(sum.Failed) > 0 {
			return nil, fmt.Errorf("failed: %v", sum.Failed)
		}
		out := map[string]pipeline.TaskResult{}
		for tech, r := range sum.Technologies {
			out[tech] = *r
		}
		return out, nil
	}
	for _, engine := range storetest.Engines(t) {
		for _, tc := range []struct {
			name       string
			first, snd run
		}{
			{"two tasks", task, task},
			{"two scans", scan, scan},
			{"task and scan", task, scan},
		} {
			t.Run(engine+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				b := setup(t, engine, 5, 3)
				ctx := context.Background()
				techs := []string{"iamrole", "iamuser", "policy"}
				for _, tech := range techs {
					_, err := b.pipe.RunTask(ctx, "alpha", tech)
					require.NoError(t, err)
				}
				_, err := b.sim.Create(b.acct.Identifier, "iamuser", 5)
				require.NoError(t, err)
				_, err = b.sim.Mutate(b.acct.Identifier, "iamrole", 5)
				require.NoError(t, err)
				_, err = b.sim.Mutate(b.acct.Identifier, "policy", 2)
				require.NoError(t, err)

				var res [2]map[string]pipeline.TaskResult
				var errs [2]error
				together(
					func() { res[0], errs[0] = tc.first(ctx, b, techs) },
					func() { res[1], errs[1] = tc.snd(ctx, b, techs) },
				)
				require.NoError(t, errs[0])
				require.NoError(t, errs[1])
				total := func(tech string) pipeline.TaskResult {
					var r pipeline.TaskResult
					r.Add(res[0][tech])
					r.Add(res[1][tech])
					return r
				}
				require.Equal(t, 5, total("iamuser").New, "%+v", res)
				require.Equal(t, 5, total("iamrole").Changed, "%+v", res)
				require.Equal(t, 2, total("policy").Changed, "%+v", res)
				for _, tech := range techs {
					tr := total(tech)
					require.Zero(t, tr.Deleted+tr.Errors, tech)
				}
				requireNoDuplicates(t, b.store, b.acct, techs...)
			})
		}
	}
}

// TestScanWaitsForADeadHolder: a holder that died without releasing its
// locks blocks the pair until its lease expires, no longer; a scan that
// cannot wait that long reports the pair failed, naming the holder.
func TestScanWaitsForADeadHolder(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			b := setup(t, engine, 3, 3)
			ctx := context.Background()
			dead := store.LockOwner{Holder: "dead-1", Owner: "monkey find-changes", Host: "elsewhere", PID: 4242}
			ok, _, err := b.store.TryLockScans(ctx, b.acct.ID, []string{"s3"}, dead, 2*time.Second)
			require.NoError(t, err)
			require.True(t, ok)

			sum, err := b.pipe.Scan(ctx, []monkey.Account{b.acct}, []string{"s3", "iamrole"}, pipeline.ScanOptions{})
			require.NoError(t, err)
			require.Len(t, sum.Failed, 2, "the account's pairs are locked all or none")
			require.Contains(t, sum.Failed[0], "alpha/iamrole: not scanned: a scan of alpha/s3 is already running: monkey find-changes on host elsewhere (pid 4242) since ")
			require.Zero(t, sum.Technologies["s3"].New)

			var waited []store.ScanLock
			start := time.Now()
			sum, err = b.pipe.Scan(ctx, []monkey.Account{b.acct}, []string{"s3", "iamrole"}, pipeline.ScanOptions{
				LockWait: time.Minute,
				Waiting:  func(_ monkey.Account, l store.ScanLock) { waited = append(waited, l) },
			})
			require.NoError(t, err)
			require.Empty(t, sum.Failed)
			require.Positive(t, sum.Technologies["s3"].New)
			require.Less(t, time.Since(start), 30*time.Second)
			require.Len(t, waited, 1)
			require.Equal(t, dead, waited[0].LockOwner)

			locks, err := b.store.ScanLocks(ctx)
			require.NoError(t, err)
			require.Empty(t, locks, "a finished scan releases its locks")
		})
	}
}

// TestWholeAccountFailureFailsTheTask: a service failing for the whole
// account is a failed task whichever service it is (it was an error for
// ec2, a silent partial success for iam and s3).
func TestWholeAccountFailureFailsTheTask(t *testing.T) {
	t.Parallel()
	b := setup(t, "sqlite", 3, 3)
	ctx := context.Background()
	for _, tech := range b.pipe.Technologies() {
		_, err := b.pipe.RunTask(ctx, "alpha", tech)
		require.NoError(t, err)
	}
	for _, tc := range []struct {
		service string
		techs   []string
	}{
		{"iam", []string{"iamgroup", "iamrole", "iamuser", "policy"}},
		{"s3", []string{"s3"}},
		{"ec2", []string{"securitygroup"}},
	} {
		require.NoError(t, b.sim.SetFaults(awssim.Faults{FailServices: []string{tc.service}}))
		for _, tech := range tc.techs {
			r, err := b.pipe.RunTask(ctx, "alpha", tech)
			require.Error(t, err, "%s failing: %s", tc.service, tech)
			require.Zero(t, r.Deleted, tech)
		}
		sum, err := b.pipe.Scan(ctx, []monkey.Account{b.acct}, tc.techs, pipeline.ScanOptions{})
		require.NoError(t, err)
		require.Len(t, sum.Failed, len(tc.techs), "%s: %v", tc.service, sum.Failed)
		for _, tech := range tc.techs {
			require.Positive(t, sum.Technologies[tech].Errors)
			require.Positive(t, sum.Technologies[tech].Items, "nothing deleted")
		}
	}
	require.NoError(t, b.sim.SetFaults(awssim.Faults{FailRegions: []string{"eu-west-1"}}))
	r, err := b.pipe.RunTask(ctx, "alpha", "securitygroup")
	require.NoError(t, err, "one failed region is a partial failure, not a failed task")
	require.Positive(t, r.Errors)
}

// TestInterruptedTasksAreLogged: a task that times out or is cancelled
// leaves a row in the exception log.
func TestInterruptedTasksAreLogged(t *testing.T) {
	t.Parallel()
	b := setup(t, "sqlite", 3, 3)
	require.NoError(t, b.sim.SetFaults(awssim.Faults{LatencyMS: 300}))
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := b.pipe.RunTask(ctx, "alpha", "iamrole")
	require.ErrorIs(t, err, context.DeadlineExceeded)

	ctx2, cancel2 := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel2)
	_, err = b.pipe.RunTask(ctx2, "alpha", "s3")
	require.ErrorIs(t, err, context.Canceled)

	// Interrupted before it read its account: logged too.
	ctx3, cancel3 := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel3()
	_, err = b.pipe.RunTask(ctx3, "alpha", "securitygroup")
	require.ErrorIs(t, err, context.DeadlineExceeded)

	ex, err := b.store.ListExceptions(context.Background(), 100)
	require.NoError(t, err)
	var got []string
	for _, e := range ex {
		got = append(got, e.Type+" "+e.Account+"/"+e.Technology)
	}
	slices.Sort(got)
	require.Equal(t, []string{"Cancelled alpha/s3", "Timeout alpha/iamrole", "Timeout alpha/securitygroup"}, got)
	locks, err := b.store.ScanLocks(context.Background())
	require.NoError(t, err)
	require.Empty(t, locks, "an interrupted task releases its locks")
}
