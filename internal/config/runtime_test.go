package config

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestRuntimeSection(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, "settings.json")
	require.NoError(t, os.WriteFile(file, []byte(`{"api_token":"from-file","task_lease":"45s","shutdown_grace":"1m","scheduler_lease_ttl":"12s"}`), 0o600))
	c, err := Load(env(map[string]string{"MONKEY_CONFIG": file, "MONKEY_API_TOKEN": "x", "MONKEY_RETRY_DELAY": "2s"}))
	require.NoError(t, err)
	rt := c.Runtime
	require.Equal(t, "x", rt.APIToken.Reveal(), "the environment wins over the file")
	require.Equal(t, 45*time.Second, rt.TaskLease)
	require.Equal(t, time.Minute, rt.ShutdownGrace)
	require.Equal(t, 12*time.Second, rt.SchedulerLeaseTTL)
	require.Equal(t, 4*time.Second, rt.SchedulerTick, "the tick defaults to a third of the lease")
	require.Equal(t, []time.Duration{2 * time.Second, 4 * time.Second, 8 * time.Second},
		[]time.Duration{rt.RetryBackoff(1), rt.RetryBackoff(2), rt.RetryBackoff(3)})
	out, err := json.Marshal(c)
	require.NoError(t, err)
	require.NotContains(t, string(out), `"x"`)
	require.Contains(t, string(out), `"runtime":{"api_token":"[REDACTED]"`)
	require.Contains(t, string(out), `"task_lease":45000000000`)
}

func TestRuntimeSectionRejectsBadValues(t *testing.T) {
	t.Parallel()
	_, err := Load(env(map[string]string{"MONKEY_SHUTDOWN_GRACE": "soon", "MONKEY_SCHEDULER_CLOCK_SCALE": "0",
		"MONKEY_TASK_LEASE": "3s", "MONKEY_SCHEDULER_TICK": "1m"}))
	require.ErrorContains(t, err, "MONKEY_SHUTDOWN_GRACE")
	require.ErrorContains(t, err, "MONKEY_SCHEDULER_CLOCK_SCALE")
	require.ErrorContains(t, err, "task_lease (MONKEY_TASK_LEASE): 3s is shorter than the minimum 10s")
	require.ErrorContains(t, err, "scheduler_tick (1m0s) must not exceed scheduler_lease_ttl (30s)")
}

// Settings a process must refuse at start rather than run with.
func TestSettingsValidation(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		env  map[string]string
		want string
	}{
		{"zero task timeout", map[string]string{"MONKEY_TASK_TIMEOUT": "0s"}, "task_timeout (MONKEY_TASK_TIMEOUT): 0s is not a positive duration"},
		{"negative task timeout", map[string]string{"MONKEY_TASK_TIMEOUT": "-5m"}, "task_timeout (MONKEY_TASK_TIMEOUT): -5m0s is not a positive duration"},
		{"log format", map[string]string{"MONKEY_LOG_FORMAT": "xml"}, `log_format (MONKEY_LOG_FORMAT): "xml" is not text or json`},
		{"log file directory", map[string]string{"LOG_FILE": "/nonexistent-dir-monkey/x.log"}, "log_file (LOG_FILE): directory /nonexistent-dir-monkey does not exist"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := Load(env(tc.env))
			require.ErrorContains(t, err, tc.want)
		})
	}
}
