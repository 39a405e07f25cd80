package app_test

import (
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestAccountInputAndOutput: hostile or sloppy account input is refused
// with a usage error naming the field; names are unique ignoring case; a
// name stored by an older version is printed escaped.
func TestAccountInputAndOutput(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "m.db")
	c := cli{t: t, env: []string{"PATH=" + os.Getenv("PATH"), "MONKEY_DATABASE_URL=" + db}}
	c.run("migrate")
	c.run("account", "add", "aws", "--name", "a1", "--id", "111122223333")
	for _, tc := range []struct {
		args []string
		want string
		code int
	}{
		{[]string{"--name", "evil\x1b[31m", "--id", "222233334444"}, `account name "evil\x1b[31m"`, 2},
		{[]string{"--name", "two\nlines", "--id", "222233334444"}, "account name", 2},
		{[]string{"--name", "tab\there", "--id", "222233334444"}, "account name", 2},
		{[]string{"--name", "a1 ", "--id", "222233334444"}, "spaces", 2},
		{[]string{"--name", strings.Repeat("x", 51), "--id", "222233334444"}, "at most 50", 2},
		{[]string{"--name", "ok", "--id", "222233334444", "--role-name", "../../evil"}, "role_name", 2},
		{[]string{"--name", "ok", "--id", "222233334444", "--notes", strings.Repeat("n", 300)}, "account notes", 2},
		{[]string{"--name", "A1", "--id", "222233334444"}, `named "A1" already exists`, 1},
	} {
		_, stderr, err := c.try(append([]string{"account", "add", "aws"}, tc.args...)...)
		require.Error(t, err, tc.args)
		require.Equal(t, tc.code, err.(*exec.ExitError).ExitCode(), "%q: %s", tc.args, stderr)
		require.Contains(t, stderr, tc.want, "%q", tc.args)
		require.NotContains(t, stderr, "\x1b", "stderr never carries an escape sequence")
	}
	_, stderr, err := c.try("account", "update", "a1", "--name", "A1 ")
	require.Error(t, err)
	require.Contains(t, stderr, "spaces")
	c.run("account", "update", "a1", "--name", "A1")

	// A name stored before validation existed.
	sdb, err := sql.Open("sqlite", db)
	require.NoError(t, err)
	_, err = sdb.Exec("UPDATE accounts SET name = 'legacy\x1b[2J\nname' WHERE name = 'A1'")
	require.NoError(t, err)
	require.NoError(t, sdb.Close())
	out := c.run("account", "list")
	require.NotContains(t, out, "\x1b")
	require.Contains(t, out, `legacy\x1b[2J\x0aname`)
}
