package e2e

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var technologies = []string{"iamgroup", "iamrole", "iamuser", "policy", "s3", "securitygroup"}

// finishedRuns counts "scan finished" log records per task id over procs.
func finishedRuns(t *testing.T, procs ...*proc) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, p := range procs {
		for _, l := range p.logLines(t) {
			if l["msg"] == "scan finished" {
				id, _ := l["job_id"].(string)
				out[id] = append(out[id], p.name)
			}
		}
	}
	return out
}

func scansOK(st status, accounts []string, techs []string, after time.Time) (bool, string) {
	by := map[string]scan{}
	for _, s := range st.Scans {
		by[s.Account+"/"+s.Technology] = s
	}
	var missing []string
	for _, a := range accounts {
		for _, tech := range techs {
			s, ok := by[a+"/"+tech]
			if !ok || s.Outcome != "ok" || s.LastEnd == nil || s.LastEnd.Before(after) {
				missing = append(missing, fmt.Sprintf("%s/%s(%s)", a, tech, s.Outcome))
			}
		}
	}
	return len(missing) == 0, strings.Join(missing, " ")
}

// TestDistributedRuntime runs aws-sim with 3 accounts, a dedicated Redis, a
// throwaway Postgres cluster, two schedulers and two workers as separate
// processes, then: every pair scanned once per slot; a new account scanned
// within a minute; the leader killed and replaced within the lease time;
// CloudWatch metrics read back; Redis and Postgres restarted under load.
func TestDistributedRuntime(t *testing.T) {
	if testing.Short() {
		t.Skip("multi-process end-to-end test (about 3 minutes); skipped with -short")
	}
	c := newCluster(t, 3)
	c.mustRun("migrate")
	names := make([]string, len(c.simIDs))
	for i, id := range c.simIDs {
		names[i] = fmt.Sprintf("acct%d", i+1)
		if i < 2 { // the third account is added while running
			c.mustRun("account", "add", "aws", "--name", names[i], "--id", id)
		}
	}

	// Several intervals in a short test: the schedulers' clock runs 60 times
	// faster (a minute per second), and s3 is scanned every 15 minutes.
	db := c.pg.db()
	_, err := db.Exec("INSERT INTO watcher_config (tech_index, interval_minutes, active) VALUES ('s3', 15, TRUE)")
	require.NoError(t, err)
	c.env = append(c.env, "MONKEY_SCHEDULER_CLOCK_SCALE=60", "MONKEY_SCHEDULER_CLOCK_REF="+time.Now().UTC().Format(time.RFC3339))
	// The runtime is under test: the schedulers schedule the six
	// technologies the checks below read (with every technology, a pair
	// still on its first scan was read as a scan without items).
	c.env = append(c.env, "MONKEY_ONLY_WATCH="+strings.Join(technologies, ","))

	port := func() string { return fmt.Sprintf("MONKEY_METRICS_ADDR=127.0.0.1:%d", freePort(t)) }
	schedA := c.start("scheduler-a", []string{port()}, "scheduler", "--purge")
	schedB := c.start("scheduler-b", []string{port()}, "scheduler")
	w1Addr := port()
	w1 := c.start("worker-1", []string{w1Addr}, "worker")
	w2Addr := port()
	w2 := c.start("worker-2", []string{w2Addr}, "worker")
	workers := []*proc{w1, w2}
	start := time.Now().Add(-time.Second)

	// 1. Every (account, technology) pair scanned, items and issues stored.
	c.waitFor("every pair scanned", 90*time.Second, func() (bool, string) {
		st, err := c.status()
		if err != nil {
			return false, err.Error()
		}
		return scansOK(st, names[:2], technologies, start)
	})
	st, err := c.status()
	require.NoError(t, err)
	require.Equal(t, "ok", st.Database)
	require.Equal(t, "ok", st.Broker)
	require.NotEmpty(t, st.Leader)
	require.Len(t, st.Standbys, 1)
	require.Len(t, st.Workers, 2)
	for _, s := range st.Scans {
		require.Contains(t, technologies, s.Technology, "only the watched technologies are scheduled")
		require.Positive(t, s.Items, "%s/%s has no items", s.Account, s.Technology)
	}
	var issues int
	require.NoError(t, db.QueryRow("SELECT count(*) FROM issues").Scan(&issues))
	require.Positive(t, issues, "the audit raised issues")

	// Worker readiness and metrics endpoints.
	var ready map[string]string
	w1URL := "http://" + strings.TrimPrefix(w1Addr, "MONKEY_METRICS_ADDR=")
	require.NoError(t, c.httpJSON("GET", w1URL+"/readyz", nil, &ready))
	require.Equal(t, map[string]string{"database": "ok", "broker": "ok"}, ready)

	// 2. A new account is scanned within a minute, without a restart.
	c.mustRun("account", "add", "aws", "--name", names[2], "--id", c.simIDs[2])
	added := time.Now()
	c.waitFor("new account scanned", time.Minute, func() (bool, string) {
		st, err := c.status()
		if err != nil {
			return false, err.Error()
		}
		return scansOK(st, names[2:], technologies, added)
	})
	t.Logf("new account scanned %s after it was added", time.Since(added).Round(time.Second))

	// 3. Kill -9 the leading scheduler: the standby takes over within the
	// lease (4 s) plus one tick.
	leader := st.Leader
	var dead, standby *proc
	for _, p := range []*proc{schedA, schedB} {
		if strings.Contains(leader, fmt.Sprintf(":%d:", p.pid())) {
			dead = p
		} else {
			standby = p
		}
	}
	require.NotNil(t, dead, "leader %s is not one of the schedulers", leader)
	dead.kill()
	killed := time.Now()
	c.waitFor("standby takes over", 15*time.Second, func() (bool, string) {
		st, err := c.status()
		if err != nil {
			return false, err.Error()
		}
		return st.Leader != "" && st.Leader != leader, "leader " + st.Leader
	})
	took := time.Since(killed)
	t.Logf("standby %s took over %s after the leader died", standby.name, took.Round(100*time.Millisecond))
	require.Less(t, took, 4*time.Second+time.Second+3*time.Second, "takeover within lease + tick (+ status polling)")

	// Each (account, technology, slot) ran exactly once, across two
	// schedulers and a change of leader.
	time.Sleep(2 * time.Second)
	runs := finishedRuns(t, workers...)
	for id, by := range runs {
		require.Len(t, by, 1, "task %s ran %d times (%v)", id, len(by), by)
	}
	require.GreaterOrEqual(t, len(runs), 18)

	// 4. CloudWatch queue metrics, read back from aws-sim.
	c.checkCloudWatch(names)

	// 5. Redis restarted during a run: nothing restarts, work resumes.
	c.mustRun("enqueue", "-m", "s3")
	c.redis.kill()
	time.Sleep(2 * time.Second)
	c.redis.start()
	restarted := time.Now()
	c.mustRun("enqueue", "-m", "iamuser")
	c.waitFor("scans after the Redis restart", 90*time.Second, func() (bool, string) {
		st, err := c.status()
		if err != nil {
			return false, err.Error()
		}
		return scansOK(st, names, []string{"iamuser"}, restarted)
	})

	// 6. Postgres restarted during a run.
	c.mustRun("enqueue", "-m", "policy")
	c.pg.restart(2 * time.Second)
	restarted = time.Now()
	c.mustRun("enqueue", "-m", "securitygroup")
	c.waitFor("scans after the Postgres restart", 90*time.Second, func() (bool, string) {
		st, err := c.status()
		if err != nil {
			return false, err.Error()
		}
		if st.Leader == "" {
			return false, "no leader"
		}
		return scansOK(st, names, []string{"securitygroup", "policy"}, restarted.Add(-10*time.Second))
	})
	for _, p := range []*proc{standby, w1, w2} {
		require.True(t, p.alive(), "%s exited: %s", p.name, p.tail(10))
	}

	// Across two schedulers, a change of leader and both restarts, every
	// (account, technology, slot) ran exactly once, over several slots.
	accountNames := map[string]string{} // by account id
	rows, err := db.Query("SELECT id, name FROM accounts")
	require.NoError(t, err)
	for rows.Next() {
		var id, name string
		require.NoError(t, rows.Scan(&id, &name))
		accountNames[id] = name
	}
	require.NoError(t, rows.Err())
	require.NoError(t, rows.Close())
	slots := map[string]map[string]bool{}
	c.waitFor("several scheduled slots of s3", 90*time.Second, func() (bool, string) {
		runs = finishedRuns(t, workers...)
		slots = map[string]map[string]bool{}
		for id, by := range runs {
			require.Len(t, by, 1, "task %s ran %d times (%v)", id, len(by), by)
			parts := strings.Split(id, "/")
			if len(parts) == 3 && parts[2] != "manual" { // task ids: account id/technology/slot (manual scans: …/manual)
				pair := accountNames[parts[0]] + "/" + parts[1]
				if slots[pair] == nil {
					slots[pair] = map[string]bool{}
				}
				slots[pair][parts[2]] = true
			}
		}
		for _, a := range names {
			if len(slots[a+"/s3"]) < 4 || len(slots[a+"/iamrole"]) < 2 {
				return false, fmt.Sprintf("%s: s3 %v iamrole %v", a, slots[a+"/s3"], slots[a+"/iamrole"])
			}
		}
		return true, ""
	})
	t.Logf("scheduled slots run: %s/s3 %d, %s/iamrole %d", names[0], len(slots[names[0]+"/s3"]), names[0], len(slots[names[0]+"/iamrole"]))

	// 7. (A worker killed in the middle of a task: killworker_test.go.)
	st, err = c.status()
	require.NoError(t, err)
	for _, s := range st.Scans {
		require.NotEqual(t, "error", s.Outcome, "%s/%s: %s", s.Account, s.Technology, s.Error)
	}
	// A long-lived worker does not accumulate goroutines or sockets.
	for _, addr := range []string{w1Addr, w2Addr} {
		if p := map[string]*proc{w1Addr: w1, w2Addr: w2}[addr]; !p.alive() {
			continue
		}
		stats := goStats(strings.TrimPrefix(addr, "MONKEY_METRICS_ADDR="))
		var goroutines, fds float64
		for _, f := range strings.Split(stats, ", ") {
			_, _ = fmt.Sscanf(f, "go_goroutines %g", &goroutines)
			_, _ = fmt.Sscanf(f, "process_open_fds %g", &fds)
		}
		require.Positive(t, goroutines, stats)
		require.Less(t, goroutines, 300.0, stats)
		require.Less(t, fds, 300.0, stats)
	}

	// No half-stored items: a synchronous rescan finds nothing new or changed.
	out := c.mustRun("find-changes", "-m", "iamrole,iamgroup", "--json")
	require.NotContains(t, out, `"new":1`)
}

func (c *cluster) checkCloudWatch(accounts []string) {
	t := c.t
	type datum struct {
		Namespace  string            `json:"namespace"`
		Metric     string            `json:"metric"`
		Unit       string            `json:"unit"`
		Value      float64           `json:"value"`
		Dimensions map[string]string `json:"dimensions"`
	}
	singular := map[string]bool{"IAM Role": true, "IAM User": true, "IAM Group": true, "Managed Policy": true,
		"S3 Bucket": true, "Security Group": true}
	var data []datum
	c.waitFor("CloudWatch metrics posted", 30*time.Second, func() (bool, string) {
		data = nil
		if err := c.httpJSON("GET", c.simURL+"/_sim/cloudwatch", nil, &data); err != nil {
			return false, err.Error()
		}
		seen := map[string]bool{}
		for _, d := range data {
			seen[d.Metric+"/"+d.Dimensions["account_number"]] = true
		}
		for _, id := range c.simIDs {
			if !seen["queue_items_added/"+id] || !seen["queue_items_completed/"+id] {
				return false, fmt.Sprintf("%d datums, none yet for %s", len(data), id)
			}
		}
		return true, ""
	})
	techs := map[string]bool{}
	for _, d := range data {
		require.Equal(t, "securitymonkey", d.Namespace)
		require.Contains(t, []string{"queue_items_added", "queue_items_completed"}, d.Metric)
		require.Equal(t, "Count", d.Unit)
		require.Len(t, d.Dimensions, 2)
		require.Contains(t, c.simIDs, d.Dimensions["account_number"])
		techs[d.Dimensions["tech"]] = true
		require.GreaterOrEqual(t, d.Value, 0.0)
	}
	for tech := range techs {
		if !singular[tech] {
			t.Logf("tech dimension %q is not one of the known singular names (new technology?)", tech)
		}
	}
	require.True(t, techs["IAM Role"], "tech dimension is the singular display name: %v", techs)
	// The added count of a scan equals the items it collected.
	st, err := c.status()
	require.NoError(t, err)
	acct := map[string]string{}
	for i, id := range c.simIDs {
		acct[accounts[i]] = id
	}
	for _, s := range st.Scans {
		if s.Technology != "iamrole" {
			continue
		}
		for _, metric := range []string{"queue_items_added", "queue_items_completed"} {
			ok := slices.ContainsFunc(data, func(d datum) bool {
				return d.Metric == metric && d.Dimensions["tech"] == "IAM Role" &&
					d.Dimensions["account_number"] == acct[s.Account] && int(d.Value) == s.Items
			})
			require.True(t, ok, "no %s of %d IAM Roles for %s", metric, s.Items, s.Account)
		}
	}
}
