package scheduler

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/secmonkey/monkey/internal/broker"
	"github.com/secmonkey/monkey/internal/monkey"
)

// AccountLister lists accounts (for manual runs).
type AccountLister interface {
	ListAccounts(ctx context.Context) ([]monkey.Account, error)
}

// Plan resolves a manual scan request into tasks. Empty accounts means
// every active, non-third-party account; empty technologies means every
// registered technology of the account's type. Naming an unknown, inactive
// or third-party account or an unknown technology is an error.
func Plan(ctx context.Context, st AccountLister, techs []monkey.Technology, accounts, technologies []string) ([]broker.Task, error) {
	all, err := st.ListAccounts(ctx)
	if err != nil {
		return nil, fmt.Errorf("plan scans: %w", err)
	}
	known := map[string]monkey.Technology{}
	for _, t := range techs {
		known[t.Index] = t
	}
	for _, n := range technologies {
		if _, ok := known[n]; !ok {
			return nil, monkey.Errorf(monkey.EINVALID, "unknown technology %q", n)
		}
	}
	byName := map[string]monkey.Account{}
	for _, a := range all {
		byName[a.Name] = a
	}
	var chosen []monkey.Account
	if len(accounts) == 0 {
		for _, a := range all {
			if a.Active && !a.ThirdParty {
				chosen = append(chosen, a)
			}
		}
	} else {
		for _, n := range accounts {
			a, ok := byName[n]
			switch {
			case !ok:
				return nil, monkey.Errorf(monkey.ENOTFOUND, "account %q not found", n)
			case !a.Active:
				return nil, monkey.Errorf(monkey.EINVALID, "account %q is inactive", n)
			case a.ThirdParty:
				return nil, monkey.Errorf(monkey.EINVALID, "account %q is a third-party account", n)
			}
			chosen = append(chosen, a)
		}
	}
	var out []broker.Task
	for _, a := range chosen {
		for _, t := range techs {
			if t.Cloud != "" && t.Cloud != a.Type {
				continue
			}
			if len(technologies) > 0 && !slices.Contains(technologies, t.Index) {
				continue
			}
			task := broker.Task{AccountID: a.ID, Account: a.Name, Technology: t.Index}
			if !slices.Contains(out, task) {
				out = append(out, task)
			}
		}
	}
	return out, nil
}

// ManualSlot is the slot of manual runs: one per pair, so that a pair has
// at most one manual scan queued or running; once it finished, the next
// manual run of the pair replaces it.
const ManualSlot = "manual"

// ManualEnqueuer is what manual runs need from the broker.
type ManualEnqueuer interface {
	EnqueueUnique(ctx context.Context, t broker.Task, slot string, opts broker.EnqueueOptions) (bool, error)
	TaskState(ctx context.Context, id string) (broker.TaskState, error)
}

// ManualResult says what a manual run did with each task (task ids).
type ManualResult struct {
	Enqueued []string // put on the queue now
	Queued   []string // a manual scan of the pair was already waiting
	Running  []string // a manual scan of the pair is running
}

// EnqueueNow puts the tasks on the queue now (a manual run: the API's
// POST /api/1/scans, monkey enqueue). A pair whose manual scan is still
// queued or running is not enqueued twice: the result says which.
func EnqueueNow(ctx context.Context, q ManualEnqueuer, tasks []broker.Task) (ManualResult, error) {
	var res ManualResult
	for _, t := range tasks {
		id := t.ID(ManualSlot)
		ok, err := q.EnqueueUnique(ctx, t, ManualSlot, broker.EnqueueOptions{Retention: time.Hour, ReplaceFinished: true})
		if err != nil {
			return res, err
		}
		if ok {
			res.Enqueued = append(res.Enqueued, id)
			continue
		}
		st, err := q.TaskState(ctx, id)
		if err != nil {
			return res, err
		}
		if st == broker.TaskActive {
			res.Running = append(res.Running, id)
		} else {
			res.Queued = append(res.Queued, id)
		}
	}
	return res, nil
}
