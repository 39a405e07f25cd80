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

// Security Monkey's config-docker.py builds its database URI with %
// formatting: monkey cannot evaluate it, and running on a default local
// SQLite file instead would put a worker on the wrong database.
func TestUnevaluableSettingIsAnError(t *testing.T) {
	t.Parallel()
	py := filepath.Join(t.TempDir(), "config.py")
	require.NoError(t, os.WriteFile(py, []byte(`import os
basedir = os.path.abspath(os.path.dirname(__file__))
SQLALCHEMY_DATABASE_URI = 'postgresql://%s:%s@%s:5432/%s' % (os.getenv('U'), os.getenv('P'), os.getenv('H'), 'secmonkey')
LOG_LEVEL = "DEBUG"
`), 0o600))
	_, err := Load(env(map[string]string{"SECURITY_MONKEY_SETTINGS": py}))
	require.ErrorContains(t, err, "SQLALCHEMY_DATABASE_URI is a Python expression monkey cannot evaluate")
	require.ErrorContains(t, err, "set MONKEY_DATABASE_URL in the environment instead")
	require.NotContains(t, err.Error(), "basedir", "names monkey does not know stay ignored")

	for _, e := range []map[string]string{
		{"SECURITY_MONKEY_SETTINGS": py, "MONKEY_DATABASE_URL": "postgresql+psycopg2://u:Secret@db/x"},
		{"SECURITY_MONKEY_SETTINGS": py, "SECURITY_MONKEY_POSTGRES_HOST": "db"},
	} {
		c, err := Load(env(e))
		require.NoError(t, err)
		require.Equal(t, "debug", c.LogLevel)
		require.NotEqual(t, "monkey.db", c.DatabaseURL.Reveal())
	}
}

// Every file the configuration reads is capped.
func TestSettingsFileIsCapped(t *testing.T) {
	t.Parallel()
	_, err := Load(env(map[string]string{"MONKEY_CONFIG": "/dev/zero"}))
	require.ErrorContains(t, err, "/dev/zero is larger than 4096 KiB")
}

// `monkey config` shows which database and broker are in use, never their
// passwords.
func TestURLsShownWithoutPassword(t *testing.T) {
	t.Parallel()
	c, err := Load(env(map[string]string{"MONKEY_DATABASE_URL": "postgresql+psycopg2://u:Secret@db.internal:5432/sm?password=Other",
		"MONKEY_BROKER_URL": "redis://:Hidden@cache:6379/0"}))
	require.NoError(t, err)
	out, err := json.Marshal(c)
	require.NoError(t, err)
	for _, secret := range []string{"Secret", "Other", "Hidden"} {
		require.NotContains(t, string(out), secret)
	}
	require.Contains(t, string(out), `"database_url":"postgresql+psycopg2://u:xxxxx@db.internal:5432/sm?password=xxxxx"`)
	require.Contains(t, string(out), `"broker_url":"redis://:xxxxx@cache:6379/0"`)
	require.Equal(t, "monkey.db", Default().DatabaseURL.String())
}
