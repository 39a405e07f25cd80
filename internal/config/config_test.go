package config

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

// sgDetail is a technology setting of the shape the plugins declare
// (internal/tech/securitygroup declares the real one).
var sgDetail = &Setting{
	Name:  "SECURITYGROUP_INSTANCE_DETAIL",
	Env:   []string{"MONKEY_SECURITYGROUP_INSTANCE_DETAIL", "SECURITYGROUP_INSTANCE_DETAIL"},
	Parse: Choice("FULL", "SUMMARY", "NONE"),
}

func TestLoadDefaults(t *testing.T) {
	t.Parallel()
	c, err := Load(env(nil))
	require.NoError(t, err)
	require.Equal(t, Default(), c)
	require.Equal(t, "monkey.db", c.DatabaseURL.Reveal())
	require.Equal(t, DefaultWorkerConcurrency(), c.WorkerConcurrency)
	require.GreaterOrEqual(t, c.WorkerConcurrency, 16)
	require.Equal(t, "securitymonkey", c.MetricsNamespace)
	require.Equal(t, "us-east-1", c.MetricsPostRegion)
}

func TestLoadEnvironment(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		env   map[string]string
		check func(t *testing.T, c Config)
	}{
		{"monkey names", map[string]string{"MONKEY_DATABASE_URL": "postgres://u:p@db/x", "MONKEY_BROKER_URL": "redis://r:6379/2",
			"MONKEY_WORKER_CONCURRENCY": "4", "MONKEY_TASK_TIMEOUT": "90s"}, func(t *testing.T, c Config) {
			require.Equal(t, "postgres://u:p@db/x", c.DatabaseURL.Reveal())
			require.Equal(t, "redis://r:6379/2", c.BrokerURL.Reveal())
			require.Equal(t, 4, c.WorkerConcurrency)
			require.Equal(t, 90*time.Second, c.TaskTimeout)
		}},
		{"security monkey names", map[string]string{"SQLALCHEMY_DATABASE_URI": "postgres://a@b/c", "broker_url": "redis://q:1/3",
			"worker_concurrency": "7", "schedule_at_full_hour": "True", "security_monkey_only_watch": "s3, iamrole",
			"METRICS_ENABLED": "true", "SECURITYGROUP_INSTANCE_DETAIL": "summary", "AWS_GOVCLOUD": "True"}, func(t *testing.T, c Config) {
			require.Equal(t, "postgres://a@b/c", c.DatabaseURL.Reveal())
			require.Equal(t, "redis://q:1/3", c.BrokerURL.Reveal())
			require.Equal(t, 7, c.WorkerConcurrency)
			require.True(t, c.ScheduleAtFullHour)
			require.Equal(t, []string{"s3", "iamrole"}, c.OnlyWatch)
			require.True(t, c.MetricsEnabled)
			require.Equal(t, "SUMMARY", c.Tech["SECURITYGROUP_INSTANCE_DETAIL"])
			require.True(t, c.AWSGovCloud)
		}},
		{"monkey name wins", map[string]string{"MONKEY_DATABASE_URL": "one.db", "SQLALCHEMY_DATABASE_URI": "postgres://x@y/z"}, func(t *testing.T, c Config) {
			require.Equal(t, "one.db", c.DatabaseURL.Reveal())
		}},
		{"docker variables", map[string]string{"SECURITY_MONKEY_POSTGRES_HOST": "pg", "SECURITY_MONKEY_POSTGRES_PASSWORD": "s3cret",
			"SECURITY_MONKEY_REDIS_HOST": "cache", "SECURITY_MONKEY_REDIS_DB": "4"}, func(t *testing.T, c Config) {
			require.Equal(t, "postgres://postgres:s3cret@pg:5432/secmonkey", c.DatabaseURL.Reveal())
			require.Equal(t, "redis://cache:6379/4", c.BrokerURL.Reveal())
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := Load(env(tt.env), sgDetail)
			require.NoError(t, err)
			tt.check(t, c)
		})
	}
}

func TestLoadRejectsBadValuesAllAtOnce(t *testing.T) {
	t.Parallel()
	_, err := Load(env(map[string]string{"MONKEY_WORKER_CONCURRENCY": "many", "SECURITYGROUP_INSTANCE_DETAIL": "LOTS",
		"MONKEY_BROKER_URL": "amqp://x", "MONKEY_LOG_LEVEL": "loud"}), sgDetail)
	require.Error(t, err)
	for _, want := range []string{"not an integer", "SECURITYGROUP_INSTANCE_DETAIL", "broker_url", "log level"} {
		require.Contains(t, err.Error(), want)
	}
}

func TestSettingsFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	py := filepath.Join(dir, "config.py")
	require.NoError(t, os.WriteFile(py, []byte(`# Security Monkey settings
import os
SQLALCHEMY_DATABASE_URI = 'postgresql://sm:pw@localhost:5432/secmonkey'
SECURITYGROUP_INSTANCE_DETAIL = 'FULL'  # comment
METRICS_ENABLED = True
LOG_CFG = {
    'version': 1,
}
MISFIRE_GRACE_TIME = 30
SOMETHING_NEW = "x"
`), 0o600))
	celery := filepath.Join(dir, "celeryconfig.json")
	require.NoError(t, os.WriteFile(celery, []byte(`{"broker_url":"redis://cache:6379/1","worker_concurrency":3,"security_monkey_watcher_ignore":["s3"]}`), 0o600))
	c, err := Load(env(map[string]string{"SECURITY_MONKEY_SETTINGS": py, "SM_CELERY_CONFIG": celery}), sgDetail)
	require.NoError(t, err)
	require.Equal(t, "postgresql://sm:pw@localhost:5432/secmonkey", c.DatabaseURL.Reveal())
	require.Equal(t, "FULL", c.Tech["SECURITYGROUP_INSTANCE_DETAIL"])
	require.NotContains(t, c.IgnoredSettings(), "SECURITYGROUP_INSTANCE_DETAIL", "a declared technology setting is known")
	require.True(t, c.MetricsEnabled)
	require.Equal(t, "redis://cache:6379/1", c.BrokerURL.Reveal())
	require.Equal(t, 3, c.WorkerConcurrency)
	require.Equal(t, []string{"s3"}, c.WatcherIgnore)
	require.Contains(t, c.IgnoredSettings(), "SOMETHING_NEW")
	require.True(t, NoEffect("MISFIRE_GRACE_TIME"))

	_, err = Load(env(map[string]string{"SECURITY_MONKEY_SETTINGS": filepath.Join(dir, "missing.py")}))
	require.ErrorContains(t, err, "missing.py")
	// A Python module name (the reference default) is not a file to read.
	_, err = Load(env(map[string]string{"SM_CELERY_CONFIG": "celeryconfig"}))
	require.NoError(t, err)
}

func TestSecretRedaction(t *testing.T) {
	t.Parallel()
	c := Default()
	c.DatabaseURL = "postgres://user:hunter2@db/x"
	c.SecretKey = "k3y"
	raw, err := json.Marshal(c)
	require.NoError(t, err)
	require.NotContains(t, string(raw), "hunter2")
	require.NotContains(t, string(raw), "k3y")
	require.Contains(t, string(raw), redacted)
	require.Equal(t, redacted, fmt.Sprint(c.SecretKey))
	var b strings.Builder
	slog.New(slog.NewTextHandler(&b, nil)).Info("x", "secret", c.SecretKey)
	require.NotContains(t, b.String(), "k3y")
	require.Equal(t, "", Secret("").String())
}

// FuzzPySettings: any file content parses without panicking, and every
// parsed value is one of the literal kinds.
func FuzzPySettings(f *testing.F) {
	f.Add([]byte("A = 'x'\nB = [1, 'two', True]\nC = None # c\n"))
	f.Add([]byte("X = \"a#b\" # comment\nY = ('p', \"q\")\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, _, err := parsePyAssignments(data)
		if err != nil {
			return
		}
		for k, v := range m {
			switch v.(type) {
			case nil, bool, string, []any:
			default:
				t.Fatalf("%s: unexpected value type %T", k, v)
			}
		}
	})
}
