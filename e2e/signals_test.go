package e2e

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// lockedBuffer is a bytes.Buffer safe to read while a process writes it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// exitCode waits for cmd at most timeout and returns its exit status.
func exitCode(t *testing.T, cmd *exec.Cmd, done <-chan error, timeout time.Duration) int {
	t.Helper()
	select {
	case err := <-done:
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			require.True(t, ee.Exited(), "killed by a signal, not exited: %v", err)
			return ee.ExitCode()
		}
		require.NoError(t, err)
		return 0
	case <-time.After(timeout):
		_ = cmd.Process.Kill()
		t.Fatalf("monkey did not exit within %s", timeout)
		return -1
	}
}

func blockedInFIFOOpen(pid int) bool {
	tasks, _ := filepath.Glob(filepath.Join("/proc", strconv.Itoa(pid), "task", "*", "wchan"))
	for _, w := range tasks {
		if b, _ := os.ReadFile(w); strings.Contains(string(b), "wait_for_partner") || strings.Contains(string(b), "fifo_open") {
			return true
		}
	}
	return false
}

// TestSignalsWhileReading: Ctrl-C while monkey waits for its input. The
// first one cancels the command (a read of an open stdin pipe gives up and
// the command exits 1); when the command cannot give up (opening a FIFO
// that no one writes, as its settings file), the second one exits at once
// with 130.
func TestSignalsWhileReading(t *testing.T) {
	dir := t.TempDir()
	env := append(baseEnv(), "MONKEY_DATABASE_URL="+filepath.Join(dir, "m.db"), "MONKEY_LOG_LEVEL=debug")

	t.Run("stdin pipe, first signal", func(t *testing.T) {
		cmd := exec.Command(bin, "audit-file", "--technology", "s3", "-")
		cmd.Env = env
		stdin, err := cmd.StdinPipe() // kept open: the read blocks
		require.NoError(t, err)
		defer func() { _ = stdin.Close() }()
		var stderr lockedBuffer
		cmd.Stderr = &stderr
		require.NoError(t, cmd.Start())
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		require.Eventually(t, func() bool { return strings.Contains(stderr.String(), "reading the config") },
			20*time.Second, 20*time.Millisecond, stderr.String())
		require.NoError(t, cmd.Process.Signal(syscall.SIGINT))
		require.Equal(t, 1, exitCode(t, cmd, done, 10*time.Second))
		require.Contains(t, stderr.String(), "interrupted while reading the input")
	})

	t.Run("settings FIFO, second signal", func(t *testing.T) {
		fifo := filepath.Join(dir, "settings.json")
		require.NoError(t, syscall.Mkfifo(fifo, 0o600))
		cmd := exec.Command(bin, "config")
		cmd.Env = append(env, "MONKEY_CONFIG="+fifo)
		var stderr lockedBuffer
		cmd.Stderr = &stderr
		require.NoError(t, cmd.Start())
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		require.Eventually(t, func() bool { return blockedInFIFOOpen(cmd.Process.Pid) }, 20*time.Second, 20*time.Millisecond)
		require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
		require.NoError(t, cmd.Process.Signal(syscall.SIGINT))
		require.Equal(t, 130, exitCode(t, cmd, done, 10*time.Second))
		require.Contains(t, stderr.String(), "again: exiting now")
	})

	t.Run("context from /dev/zero", func(t *testing.T) {
		cfg := filepath.Join(dir, "bucket.json")
		require.NoError(t, os.WriteFile(cfg, []byte(`{}`), 0o600))
		cmd := exec.Command(bin, "audit-file", "--technology", "s3", "--context", "/dev/zero", cfg)
		cmd.Env = env
		var stderr lockedBuffer
		cmd.Stderr = &stderr
		require.NoError(t, cmd.Start())
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		require.Equal(t, 1, exitCode(t, cmd, done, 20*time.Second))
		require.Contains(t, stderr.String(), "/dev/zero is larger than 64 MiB")
	})
}
