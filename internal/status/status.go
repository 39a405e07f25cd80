// Package status gathers the health of a deployment: database, broker,
// the leading and standby schedulers, the live workers with their tasks,
// the queue and the last scan of every (account, technology). One service
// for `monkey status`, the API and the web UI's status page.
package status

import (
	"context"
	"strings"
	"time"

	"github.com/secmonkey/monkey/internal/broker"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/scheduler"
	"github.com/secmonkey/monkey/internal/worker"
)

// Store is what the status needs from the database.
type Store interface {
	Ping(ctx context.Context) error
	Lease(ctx context.Context, name string) (string, time.Time, error)
	ListProcesses(ctx context.Context, kind string, since time.Time) ([]monkey.Process, error)
	ListScans(ctx context.Context) ([]monkey.ScanStatus, error)
}

// Broker is what the status needs from the queue.
type Broker interface {
	Ping(ctx context.Context) error
	QueueDepth(ctx context.Context) (broker.Depth, error)
	Workers(ctx context.Context) ([]broker.Worker, error)
}

// Sources are where the status comes from. A source that could not be
// opened is given by its error.
type Sources struct {
	Store    Store
	StoreErr error
	Broker   Broker
	// BrokerErr is the error of connecting to the broker.
	BrokerErr error
	// Embedded: the broker is in-process (monkey all) or, with Broker nil,
	// none is configured: reported as "embedded".
	Embedded bool
	// Notifications reads the notification outbox (optional).
	Notifications func(ctx context.Context) (*Notifications, error)
}

// Status is the output of `monkey status --json`.
type Status struct {
	Database string        `json:"database"` // ok, unreachable
	Broker   string        `json:"broker"`   // ok, embedded, unreachable
	Leader   string        `json:"leader"`
	Standbys []string      `json:"standbys"`
	Workers  []Worker      `json:"workers"`
	Queue    *broker.Depth `json:"queue"`
	Scans    []Scan        `json:"scans"`
	// Notifications counts the outbox by status and lists the latest
	// notifications that failed for good.
	Notifications *Notifications `json:"notifications,omitempty"`
	Errors        []string       `json:"errors,omitempty"`
}

// Notifications is the state of the notification outbox.
type Notifications struct {
	Pending int            `json:"pending"`
	Sent    int            `json:"sent"`
	Failed  int            `json:"failed"`
	Recent  []Notification `json:"recent_failures"`
}

// Notification is one notification that failed for good.
type Notification struct {
	Kind      string    `json:"kind"`
	Channel   string    `json:"channel"`
	Recipient string    `json:"recipient"`
	Subject   string    `json:"subject"`
	Attempts  int       `json:"attempts"`
	Error     string    `json:"error"`
	Created   time.Time `json:"created"`
}

// Healthy reports a reachable database and broker.
func (s Status) Healthy() bool {
	return s.Database == "ok" && (s.Broker == "ok" || s.Broker == "embedded")
}

// Worker is a live worker process.
type Worker struct {
	ID          string            `json:"id"`
	Host        string            `json:"host"`
	PID         int               `json:"pid"`
	Concurrency int               `json:"concurrency"`
	Started     time.Time         `json:"started"`
	InFlight    []broker.InFlight `json:"in_flight"`
}

// Scan is the last scan of one (account, technology).
type Scan struct {
	Account    string     `json:"account"`
	Technology string     `json:"technology"`
	LastStart  *time.Time `json:"last_start"`
	LastEnd    *time.Time `json:"last_end"`
	Outcome    string     `json:"outcome"`
	Items      int        `json:"items"`
	Error      string     `json:"error"`
}

// seenWithin is how recent a heartbeat row must be to count a process as
// live (schedulers beat every tick, at most 30 s; workers every 10 s).
const seenWithin = time.Minute

// Gather collects the status; failures are reported in it, not returned.
func Gather(ctx context.Context, src Sources) Status {
	st := Status{Database: "ok", Broker: "ok", Standbys: []string{}, Workers: []Worker{}, Scans: []Scan{}}
	fail := func(what string, err error) {
		st.Errors = append(st.Errors, what+": "+strings.Join(strings.Fields(err.Error()), " "))
	}
	db := src.Store
	switch {
	case src.StoreErr != nil:
		st.Database = "unreachable"
		fail("database", src.StoreErr)
		db = nil
	case db == nil:
		st.Database = "unreachable"
		db = nil
	default:
		if err := db.Ping(ctx); err != nil {
			st.Database = "unreachable"
			fail("database", err)
			db = nil
		}
	}
	b := src.Broker
	switch {
	case src.BrokerErr != nil:
		st.Broker = "unreachable"
		fail("broker", src.BrokerErr)
		b = nil
	case b == nil:
		st.Broker = "embedded"
	default:
		if err := b.Ping(ctx); err != nil {
			st.Broker = "unreachable"
			fail("broker", err)
			b = nil
		} else if src.Embedded {
			st.Broker = "embedded"
		}
	}
	now := time.Now()
	if db != nil {
		gatherDatabase(ctx, db, now, &st, fail)
		if src.Notifications != nil {
			if n, err := src.Notifications(ctx); err != nil {
				fail("notifications", err)
			} else {
				st.Notifications = n
			}
		}
	}
	if b != nil {
		if d, err := b.QueueDepth(ctx); err != nil {
			fail("queue", err)
		} else {
			st.Queue = &d
		}
		if ws, err := b.Workers(ctx); err != nil {
			fail("workers", err)
		} else {
			for _, w := range ws {
				in := w.InFlight
				if in == nil {
					in = []broker.InFlight{}
				}
				st.Workers = append(st.Workers, Worker{ID: w.ID, Host: w.Host, PID: w.PID,
					Concurrency: w.Concurrency, Started: w.Started, InFlight: in})
			}
		}
	} else if db != nil {
		// Without the broker, the workers' own heartbeat rows.
		ps, err := db.ListProcesses(ctx, "worker", now.Add(-seenWithin))
		if err != nil {
			fail("workers", err)
		}
		for _, p := range ps {
			info, err := worker.ParseInfo(p.Info)
			if err != nil {
				fail("worker "+p.ID, err)
			}
			st.Workers = append(st.Workers, Worker{ID: p.ID, Host: p.Host, PID: p.PID,
				Concurrency: info.Concurrency, Started: p.StartedAt, InFlight: info.InFlight})
		}
	}
	return st
}

func gatherDatabase(ctx context.Context, db Store, now time.Time, st *Status, fail func(string, error)) {
	holder, exp, err := db.Lease(ctx, scheduler.LeaseName)
	switch {
	case monkey.ErrorCode(err) == monkey.ENOTFOUND:
	case err != nil:
		fail("leader", err)
	case exp.After(now):
		st.Leader = holder
	}
	if ps, err := db.ListProcesses(ctx, "scheduler", now.Add(-seenWithin)); err != nil {
		fail("schedulers", err)
	} else {
		for _, p := range ps {
			if p.ID != st.Leader {
				st.Standbys = append(st.Standbys, p.ID)
			}
		}
	}
	scans, err := db.ListScans(ctx)
	if err != nil {
		fail("scans", err)
		return
	}
	for _, s := range scans {
		st.Scans = append(st.Scans, Scan{Account: s.Account, Technology: s.Technology,
			LastStart: s.LastStart, LastEnd: s.LastEnd, Outcome: s.Outcome, Items: s.Items, Error: s.Error})
	}
}
