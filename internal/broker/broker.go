// Package broker is the task queue between the scheduler and the workers: a
// small project interface with an asynq adapter over Redis, and an embedded
// in-process Redis (miniredis) for `monkey all` and the demo.
package broker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// TaskType is the stable kind of the one task the runtime knows.
const TaskType = "scan"

// DefaultQueue is the queue scan tasks go to.
const DefaultQueue = "scans"

// DefaultMaxRetry is how often a failed task is retried.
const DefaultMaxRetry = 3

// Task is one scan of an (account, technology) pair. The account is its
// stable id: a task queued before the account was renamed still runs it.
type Task struct {
	AccountID int64 `json:"account_id"`
	// Account is the account's name when the task was queued, for people
	// reading the queue (and the only reference of tasks queued by older
	// versions, without an id).
	Account    string `json:"account"`
	Technology string `json:"technology"` // technology index
}

// ID is the deterministic task id of the task in a slot:
// accountID/technology/slot (account name/technology/slot for a task
// without an account id).
func (t Task) ID(slot string) string {
	if t.AccountID > 0 {
		return strconv.FormatInt(t.AccountID, 10) + "/" + t.Technology + "/" + slot
	}
	return t.Account + "/" + t.Technology + "/" + slot
}

// Validate checks that the task names an account and a technology.
func (t Task) Validate() error {
	if (t.AccountID <= 0 && strings.TrimSpace(t.Account) == "") || strings.TrimSpace(t.Technology) == "" {
		return fmt.Errorf("scan task needs an account and a technology, got %d %q/%q", t.AccountID, t.Account, t.Technology)
	}
	return nil
}

func (t Task) payload() ([]byte, error) { return json.Marshal(t) }

func parseTask(b []byte) (Task, error) {
	var t Task
	if err := json.Unmarshal(b, &t); err != nil {
		return Task{}, fmt.Errorf("decode scan task: %w", err)
	}
	return t, t.Validate()
}

// EnqueueOptions tune one enqueue.
type EnqueueOptions struct {
	// Retention keeps the finished task (and so its id) this long, so that
	// a second enqueue of the same slot is rejected even after the first ran.
	// Zero uses the broker's default retention.
	Retention time.Duration
	// ReplaceFinished lets a finished task (completed, or archived after
	// its last failure) of the same id be replaced: only a queued or running
	// task rejects the enqueue.
	ReplaceFinished bool
}

// TaskState is where a task is in its life ("" when there is no such task).
type TaskState string

// Task states.
const (
	TaskAbsent    TaskState = ""
	TaskPending   TaskState = "pending"
	TaskScheduled TaskState = "scheduled"
	TaskActive    TaskState = "active"
	TaskRetry     TaskState = "retry" // failed or snoozed, to run again
	TaskArchived  TaskState = "archived"
	TaskCompleted TaskState = "completed"
)

// Queued reports a task waiting to run (pending, scheduled or retry).
func (s TaskState) Queued() bool { return s == TaskPending || s == TaskScheduled || s == TaskRetry }

// SnoozeError puts a task back on the queue to run again after Delay
// without counting a failed attempt: the handler could not run it yet (for
// example, another scan of its pair is running). Make one with Snooze.
type SnoozeError struct {
	Delay time.Duration
	Err   error
}

// Snooze returns a *SnoozeError. A task on its last attempt cannot be
// snoozed (the queue archives it): handlers wait instead.
func Snooze(d time.Duration, reason error) error { return &SnoozeError{Delay: d, Err: reason} }

func (e *SnoozeError) Error() string { return fmt.Sprintf("snoozed for %s: %v", e.Delay, e.Err) }

func (e *SnoozeError) Unwrap() error { return e.Err }

// Meta describes the delivery of a task to a handler.
type Meta struct {
	ID       string
	Retried  int
	MaxRetry int
}

// Handler runs one task. Returning an error schedules a retry unless the
// error wraps ErrPermanent or the retries are exhausted; a *SnoozeError
// schedules the task again without counting an attempt.
type Handler func(ctx context.Context, t Task, m Meta) error

// ErrPermanent marks a task failure that must not be retried (account
// deleted, technology unknown...).
var ErrPermanent = errors.New("permanent task failure")

// Depth is the number of tasks of the queue in each state.
type Depth struct {
	Queue     string `json:"queue"`
	Pending   int    `json:"pending"`
	Active    int    `json:"active"`
	Scheduled int    `json:"scheduled"`
	Retry     int    `json:"retry"`
	Archived  int    `json:"archived"`
	Completed int    `json:"completed"`
}

// States returns the depth per state name, for metrics.
func (d Depth) States() map[string]int {
	return map[string]int{
		"pending": d.Pending, "active": d.Active, "scheduled": d.Scheduled,
		"retry": d.Retry, "archived": d.Archived, "completed": d.Completed,
	}
}

// Worker is a live consumer process as the broker sees it.
type Worker struct {
	ID          string     `json:"id"`
	Host        string     `json:"host"`
	PID         int        `json:"pid"`
	Concurrency int        `json:"concurrency"`
	Started     time.Time  `json:"started"`
	Status      string     `json:"status"`
	InFlight    []InFlight `json:"in_flight"`
}

// InFlight is a task a worker is running.
type InFlight struct {
	TaskID     string    `json:"task_id"`
	Account    string    `json:"account"`
	Technology string    `json:"technology"`
	Started    time.Time `json:"started"`
	Deadline   time.Time `json:"deadline"`
}

// ConsumeOptions configure a consumer (a worker process).
type ConsumeOptions struct {
	// Concurrency is the number of tasks run at once (default 10).
	Concurrency int
	// ShutdownGrace is how long in-flight tasks may take to finish once the
	// context is cancelled; unfinished ones are handed back to the queue.
	ShutdownGrace time.Duration
	// RetryDelay computes the backoff before retry n (1-based). Default:
	// 10s·2^(n-1), capped at 5 minutes.
	RetryDelay func(n int) time.Duration
	// TaskLease is how long a running task whose consumer stopped renewing
	// it (killed, crashed, cut off) stays with that consumer: every
	// consumer looks for such tasks ten times a lease and puts them back
	// at the head of the queue, so another consumer starts them within
	// about 1.1 leases. Default 30 s; it must exceed the renewal period
	// (5 s) by a margin for a busy machine (10 s at least in production).
	TaskLease time.Duration
}

// WithDefaults fills the zero fields.
func (o ConsumeOptions) WithDefaults() ConsumeOptions {
	if o.Concurrency < 1 {
		o.Concurrency = 10
	}
	if o.ShutdownGrace <= 0 {
		o.ShutdownGrace = 30 * time.Second
	}
	if o.RetryDelay == nil {
		o.RetryDelay = DefaultRetryDelay
	}
	if o.TaskLease <= 0 {
		o.TaskLease = 30 * time.Second
	}
	return o
}

// DefaultRetryDelay is 10s·2^(n-1), capped at 5 minutes.
func DefaultRetryDelay(n int) time.Duration {
	if n < 1 {
		n = 1
	}
	if n > 6 {
		return 5 * time.Minute
	}
	d := 10 * time.Second << (n - 1)
	return min(d, 5*time.Minute)
}

// Broker is what the scheduler, the workers, the API and `monkey status`
// need from the queue.
type Broker interface {
	// EnqueueUnique puts t on the queue with the deterministic id
	// t.ID(slot). It returns false, nil when a task with this id exists
	// already (queued, running, or finished within the retention).
	EnqueueUnique(ctx context.Context, t Task, slot string, opts EnqueueOptions) (bool, error)
	// Consume runs h for every task until ctx is cancelled, then stops
	// gracefully. It returns once every in-flight task finished or was
	// handed back.
	Consume(ctx context.Context, opts ConsumeOptions, h Handler) error
	// TaskState reports the state of the task with this id.
	TaskState(ctx context.Context, id string) (TaskState, error)
	// QueueDepth reports the tasks per state.
	QueueDepth(ctx context.Context) (Depth, error)
	// Purge removes queued (pending, scheduled, retry) tasks, not the
	// running ones, and returns how many it removed.
	Purge(ctx context.Context) (int, error)
	// Workers lists live consumers with their in-flight tasks.
	Workers(ctx context.Context) ([]Worker, error)
	// Ping checks that the broker answers.
	Ping(ctx context.Context) error
	// Close releases the connections.
	Close() error
}
