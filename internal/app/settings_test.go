package app

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// Settings a process refuses at start, with an error naming the setting;
// no password in any output.
func TestSettingsRefusedAtStart(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
		want string
	}{
		{"unknown technology to watch", map[string]string{"MONKEY_ONLY_WATCH": "s3,nosuchtech"},
			`security_monkey_only_watch (MONKEY_ONLY_WATCH): "nosuchtech" is not a technology index`},
		{"unknown technology to ignore", map[string]string{"MONKEY_WATCHER_IGNORE": "nosuchtech"},
			`security_monkey_watcher_ignore (MONKEY_WATCHER_IGNORE): "nosuchtech" is not a technology index`},
		{"log format", map[string]string{"MONKEY_LOG_FORMAT": "xml"}, `log_format (MONKEY_LOG_FORMAT): "xml" is not text or json`},
		{"log file directory", map[string]string{"MONKEY_LOG_FILE": "/nonexistent-monkey-dir/m.log"}, "directory /nonexistent-monkey-dir does not exist"},
		{"task timeout", map[string]string{"MONKEY_TASK_TIMEOUT": "-1m"}, "task_timeout (MONKEY_TASK_TIMEOUT): -1m0s is not a positive duration"},
		{"database scheme", map[string]string{"MONKEY_DATABASE_URL": "mysql://u:Secret@127.0.0.1/db"}, `unsupported scheme "mysql"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("MONKEY_DATABASE_URL", filepath.Join(t.TempDir(), "m.db"))
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			code, out, errOut := runMain(context.Background(), "config")
			require.Equal(t, 1, code, out)
			require.Contains(t, errOut, tc.want)
			require.NotContains(t, errOut+out, "Secret")
		})
	}
}

// `monkey config` shows the database and broker in use, passwords hidden.
func TestConfigShowsDatabaseAndBroker(t *testing.T) {
	t.Setenv("MONKEY_DATABASE_URL", "postgresql+psycopg2://sm:Secret@db.internal:5432/secmonkey")
	t.Setenv("MONKEY_BROKER_URL", "redis://:Hidden@cache.internal:6379/0")
	t.Setenv("MONKEY_API_TOKEN", "TokenValue")
	code, out, errOut := runMain(context.Background(), "config")
	require.Zero(t, code, errOut)
	require.Contains(t, out, `"database_url": "postgresql+psycopg2://sm:xxxxx@db.internal:5432/secmonkey"`)
	require.Contains(t, out, `"broker_url": "redis://:xxxxx@cache.internal:6379/0"`)
	require.Contains(t, out, `"api_token": "[REDACTED]"`)
	for _, secret := range []string{"Secret", "Hidden", "TokenValue"} {
		require.NotContains(t, out+errOut, secret)
	}
}
