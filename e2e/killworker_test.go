package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// e2eTaskLease is the task lease of the workers of TestKilledWorker (the
// shortest allowed): the task of a killed worker must finish on another
// within two leases.
const e2eTaskLease = 10 * time.Second

// unfinished returns the job ids a worker started and did not finish,
// postpone or fail, from its log.
func unfinished(t *testing.T, p *proc) []string {
	t.Helper()
	open := map[string]bool{}
	var order []string
	for _, l := range p.logLines(t) {
		id, _ := l["job_id"].(string)
		switch l["msg"] {
		case "scan started":
			if !open[id] {
				order = append(order, id)
			}
			open[id] = true
		case "scan finished", "scan failed", "scan postponed":
			open[id] = false
		}
	}
	var out []string
	for _, id := range order {
		if open[id] {
			out = append(out, id)
		}
	}
	return out
}

func waitLog(c *cluster, p *proc, msg string) {
	c.t.Helper()
	c.waitFor(p.name+" logs "+msg, 30*time.Second, func() (bool, string) {
		for _, l := range p.logLines(c.t) {
			if l["msg"] == msg {
				return true, ""
			}
		}
		return false, p.tail(3)
	})
}

// TestKilledWorker kills a worker with -9 in the middle of its tasks: the
// other worker finishes them within two task leases, and nothing is lost
// or half-stored. Run it 20 times in a row to show it holds:
// go test -run TestKilledWorker -count=20 ./e2e/
func TestKilledWorker(t *testing.T) {
	if testing.Short() {
		t.Skip("multi-process end-to-end test; skipped with -short")
	}
	c := newCluster(t, 1)
	c.mustRun("migrate")
	c.mustRun("account", "add", "aws", "--name", "acct1", "--id", c.simIDs[0])
	// Slow AWS answers keep the tasks in flight when the worker dies.
	require.NoError(t, c.httpJSON("POST", c.simURL+"/_sim/faults", map[string]any{"latency_ms": 2000}, nil))
	lease := "MONKEY_TASK_LEASE=" + e2eTaskLease.String()
	w1 := c.start("worker-1", []string{lease}, "worker")
	w2 := c.start("worker-2", []string{lease}, "worker")
	waitLog(c, w1, "worker started")
	waitLog(c, w2, "worker started")
	c.mustRun("enqueue", "-m", "iamrole,iamgroup,iamuser,policy")

	var victim, survivor *proc
	c.waitFor("a worker with tasks in flight", 30*time.Second, func() (bool, string) {
		for _, p := range []*proc{w1, w2} {
			if len(unfinished(t, p)) > 0 {
				victim = p
				return true, ""
			}
		}
		return false, "no task started"
	})
	survivor = map[*proc]*proc{w1: w2, w2: w1}[victim]
	victim.kill()
	killed := time.Now()
	inFlight := unfinished(t, victim)
	require.NotEmpty(t, inFlight)
	require.NoError(t, c.httpJSON("POST", c.simURL+"/_sim/faults", map[string]any{}, nil))

	c.waitFor("the killed worker's tasks finished by the other", 4*e2eTaskLease, func() (bool, string) {
		runs := finishedRuns(t, survivor)
		var missing []string
		for _, id := range inFlight {
			if len(runs[id]) == 0 {
				missing = append(missing, id)
			}
		}
		return len(missing) == 0, strings.Join(missing, " ")
	})
	took := time.Since(killed)
	t.Logf("killed %s with %d task(s) in flight %v: finished by %s %s after the kill (task lease %s)",
		victim.name, len(inFlight), inFlight, survivor.name, took.Round(100*time.Millisecond), e2eTaskLease)
	require.Less(t, took, 2*e2eTaskLease, "the killed worker's tasks finish within two task leases")
	require.True(t, survivor.alive(), survivor.tail(10))

	// Every task of the enqueue finished once, none failed.
	c.waitFor("every enqueued scan finished", 60*time.Second, func() (bool, string) {
		st, err := c.status()
		if err != nil {
			return false, err.Error()
		}
		return scansOK(st, []string{"acct1"}, []string{"iamrole", "iamgroup", "iamuser", "policy"}, killed.Add(-time.Minute))
	})
	for id, by := range finishedRuns(t, survivor, victim) {
		require.Len(t, by, 1, "task %s finished %d times (%v)", id, len(by), by)
	}
	// No half-stored items: a synchronous rescan finds nothing new.
	out := c.mustRun("find-changes", "-m", "iamrole,iamgroup,iamuser,policy", "--json")
	require.NotContains(t, out, `"new":1`, out)
}

// TestDefaultAddressesOnOneHost: two workers and a scheduler on one host
// with default settings all start (the metrics listener falls back to an
// ephemeral port when the default one is taken) and scan.
func TestDefaultAddressesOnOneHost(t *testing.T) {
	if testing.Short() {
		t.Skip("multi-process end-to-end test; skipped with -short")
	}
	c := newCluster(t, 1)
	c.mustRun("migrate")
	c.mustRun("account", "add", "aws", "--name", "acct1", "--id", c.simIDs[0])
	procs := []*proc{c.start("scheduler", nil, "scheduler"), c.start("worker-1", nil, "worker"), c.start("worker-2", nil, "worker")}
	start := time.Now().Add(-time.Second)
	c.waitFor("every pair scanned", 90*time.Second, func() (bool, string) {
		st, err := c.status()
		if err != nil {
			return false, err.Error()
		}
		return scansOK(st, []string{"acct1"}, technologies, start)
	})
	addrs := map[string]string{}
	for _, p := range procs {
		require.True(t, p.alive(), "%s exited: %s", p.name, p.tail(10))
		for _, l := range p.logLines(t) {
			if l["msg"] == "http listening" {
				addrs[fmt.Sprint(l["addr"])] = p.name
			}
		}
	}
	require.Len(t, addrs, 3, "three metrics listeners on three addresses: %v", addrs)
	for addr := range addrs {
		var ready map[string]string
		require.NoError(t, c.httpJSON("GET", "http://"+addr+"/readyz", nil, &ready))
		require.Equal(t, map[string]string{"database": "ok", "broker": "ok"}, ready)
	}
}
