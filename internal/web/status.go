package web

import (
	"net/http"
	"time"
)

// Status is what `monkey status` shows: database and broker reachability,
// the scheduler leader and standbys, workers, queue depth and the last scan
// of every account and technology.
type Status struct {
	Database string
	Broker   string
	Leader   string
	Standbys []string
	Workers  []StatusWorker
	Queue    *StatusQueue
	Scans    []StatusScan
	Errors   []string
	// Notifications is the notification outbox (nil: not available).
	Notifications *StatusNotifications
}

// StatusNotifications counts the notification outbox and lists the latest
// notifications that failed for good.
type StatusNotifications struct {
	Pending, Sent, Failed int
	Recent                []StatusNotification
}

// StatusNotification is one notification that failed for good.
type StatusNotification struct {
	Kind, Channel, Recipient, Subject, Error string
	Attempts                                 int
	Created                                  time.Time
}

// StatusWorker is a live worker and the tasks it runs.
type StatusWorker struct {
	ID          string
	Host        string
	PID         int
	Concurrency int
	Started     time.Time
	Running     []string
}

// StatusQueue is the broker's queue depth.
type StatusQueue struct {
	Pending, Active, Scheduled, Retry, Failed, Completed int
}

// StatusScan is the last scan of one (account, technology).
type StatusScan struct {
	Account    string
	Technology string
	LastStart  *time.Time
	LastEnd    *time.Time
	Outcome    string
	Items      int
	Error      string
}

func (w *Web) statusRoutes() []pageRoute {
	return []pageRoute{
		// No API route serves the status; its facts (scans, failures) are
		// on the dashboard for View users, so the page takes the item
		// listing's role (docs/decisions.md).
		{method: "GET", pattern: "/status", mirrors: "GET /api/1/items",
			summary: "database, broker, scheduler, workers, queue and last scans (what `monkey status` shows)", handler: w.status},
	}
}

func (w *Web) status(rw http.ResponseWriter, r *http.Request) error {
	var st *Status
	if w.d.Status != nil {
		s := w.d.Status(r.Context())
		st = &s
	}
	return w.render(rw, r, http.StatusOK, "status", "Status", "status", st)
}
