package web

import "time"

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
