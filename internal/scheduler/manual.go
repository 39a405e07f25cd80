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
			task := broker.Task{Account: a.Name, Technology: t.Index}
			if !slices.Contains(out, task) {
				out = append(out, task)
			}
		}
	}
	return out, nil
}

// ManualSlot is the slot of a manual run at now: one per second, so that a
// double submission is enqueued once.
func ManualSlot(now time.Time) string { return fmt.Sprintf("manual-%d", now.Unix()) }

// EnqueueNow puts the tasks on the queue now (a manual run). It returns
// the ids of the tasks enqueued and the number rejected as duplicates.
func EnqueueNow(ctx context.Context, q Enqueuer, tasks []broker.Task, now time.Time) (ids []string, duplicates int, err error) {
	slot := ManualSlot(now)
	for _, t := range tasks {
		ok, err := q.EnqueueUnique(ctx, t, slot, broker.EnqueueOptions{Retention: time.Hour})
		if err != nil {
			return ids, duplicates, err
		}
		if ok {
			ids = append(ids, t.ID(slot))
		} else {
			duplicates++
		}
	}
	return ids, duplicates, nil
}
