package tech_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/config"
	"github.com/secmonkey/monkey/internal/tech"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestSensitiveServicesSetting(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"ALL": "ALL", "s3, kms": "s3,kms", "false": "", "None": "", "0": ""} {
		c, err := config.Load(env(map[string]string{"SENSITIVE_SERVICES": in}), tech.SensitiveServices)
		require.NoError(t, err)
		got, given := c.Tech["SENSITIVE_SERVICES"]
		require.True(t, given, in)
		require.Equal(t, want, got, in)
	}
	dir := t.TempDir()
	for body, want := range map[string]string{"SENSITIVE_SERVICES = False\n": "", "SENSITIVE_SERVICES = []\n": "",
		"SENSITIVE_SERVICES = ['s3', 'kms']\n": "s3,kms", "SENSITIVE_SERVICES = None\n": ""} {
		f := filepath.Join(dir, fmt.Sprintf("c%d.py", len(body)))
		require.NoError(t, os.WriteFile(f, []byte(body), 0o600))
		c, err := config.Load(env(map[string]string{"SECURITY_MONKEY_SETTINGS": f}), tech.SensitiveServices)
		require.NoError(t, err)
		require.Equal(t, want, c.Tech["SENSITIVE_SERVICES"], body)
	}
	_, err := config.Load(env(map[string]string{"SECURITY_MONKEY_SETTINGS": writeFile(t, "x.py", "SENSITIVE_SERVICES = True\n")}), tech.SensitiveServices)
	require.ErrorContains(t, err, "SENSITIVE_SERVICES")

	c, err := config.Load(env(nil), tech.SensitiveServices)
	require.NoError(t, err)
	_, given := c.Tech["SENSITIVE_SERVICES"]
	require.False(t, given, "not given stays absent")
}

func TestSensitiveSelector(t *testing.T) {
	t.Parallel()
	tests := []struct {
		settings tech.Settings
		s3, iam  bool
		disabled bool
	}{
		{tech.Settings{}, true, true, false},
		{tech.Settings{"SENSITIVE_SERVICES": "ALL"}, true, true, false},
		{tech.Settings{"SENSITIVE_SERVICES": "s3"}, true, false, false},
		{tech.Settings{"SENSITIVE_SERVICES": ""}, false, false, true},
	}
	for _, tc := range tests {
		sel := tech.SensitiveSelector(tc.settings)
		if tc.disabled {
			require.Nil(t, sel, "%v", tc.settings)
			continue
		}
		require.Equal(t, tc.s3, sel("s3"), "%v", tc.settings)
		require.Equal(t, tc.iam, sel("iam"), "%v", tc.settings)
	}
}

func writeFile(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, []byte(body), 0o600))
	return p
}
