// Package enqueue puts manual scans on the broker now: the one service
// behind `monkey enqueue`, the API's POST /api/1/scans and the web UI.
package enqueue

import (
	"context"
	"errors"

	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/scheduler"
)

// Broker is what enqueueing needs from the queue.
type Broker = scheduler.ManualEnqueuer

// Service plans and enqueues manual scans.
type Service struct {
	accounts     scheduler.AccountLister
	broker       Broker
	technologies []monkey.Technology
}

// New returns the service over the account store, the broker and the
// implemented technologies.
func New(accounts scheduler.AccountLister, b Broker, technologies []monkey.Technology) (*Service, error) {
	if accounts == nil || b == nil {
		return nil, errors.New("enqueue: account store and broker required")
	}
	return &Service{accounts: accounts, broker: b, technologies: technologies}, nil
}

// Request names the scans wanted: empty accounts means every active
// account, empty technologies every technology of the account's cloud.
type Request struct {
	Accounts     []string `json:"accounts"`
	Technologies []string `json:"technologies"`
}

// Result says what was enqueued, by task id. A pair whose manual scan is
// still queued or running is not enqueued twice: it is in Queued or Running.
type Result struct {
	Enqueued []string `json:"tasks"`
	Queued   []string `json:"queued"`
	Running  []string `json:"running"`
}

// Duplicates counts the pairs not enqueued because a manual scan of them is
// waiting or running.
func (r Result) Duplicates() int { return len(r.Queued) + len(r.Running) }

// Enqueue plans the request (naming an unknown, inactive or third-party
// account or an unknown technology is an error) and enqueues it.
func (s *Service) Enqueue(ctx context.Context, req Request) (Result, error) {
	tasks, err := scheduler.Plan(ctx, s.accounts, s.technologies, req.Accounts, req.Technologies)
	if err != nil {
		return Result{}, err
	}
	r, err := scheduler.EnqueueNow(ctx, s.broker, tasks)
	if err != nil {
		return Result{}, err
	}
	out := Result{Enqueued: r.Enqueued, Queued: r.Queued, Running: r.Running}
	for _, l := range []*[]string{&out.Enqueued, &out.Queued, &out.Running} {
		if *l == nil {
			*l = []string{}
		}
	}
	return out, nil
}
