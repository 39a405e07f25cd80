package awssim

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// startWithTimeouts starts a server whose connection timeouts are short
// enough to observe.
func startWithTimeouts(t *testing.T, to httpTimeouts) string {
	t.Helper()
	srv, err := New(Options{Seed: 31})
	require.NoError(t, err)
	srv.timeouts = to
	endpoint, err := srv.Start("127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, srv.Close()) })
	return strings.TrimPrefix(endpoint, "http://")
}

// closedWithin reports whether the server closes conn (or answers and
// closes) before d elapses.
func closedWithin(t *testing.T, conn net.Conn, d time.Duration) bool {
	t.Helper()
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(d)))
	_, err := io.Copy(io.Discard, conn)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return false
	}
	return true
}

func TestIdleConnectionClosed(t *testing.T) {
	t.Parallel()
	addr := startWithTimeouts(t, httpTimeouts{readHeader: time.Second, read: time.Second, write: time.Second, idle: 200 * time.Millisecond})
	conn, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer conn.Close()
	_, err = io.WriteString(conn, "GET /_sim/accounts HTTP/1.1\r\nHost: sim\r\n\r\n")
	require.NoError(t, err)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err)
	_, err = io.Copy(io.Discard, resp.Body)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.False(t, resp.Close, "keep-alive connection")

	// The keep-alive connection now idles: the server closes it.
	require.True(t, closedWithin(t, conn, 5*time.Second), "idle connection still open after 5 s")
}

func TestTrickledBodyCutOff(t *testing.T) {
	t.Parallel()
	addr := startWithTimeouts(t, httpTimeouts{readHeader: time.Second, read: 300 * time.Millisecond, write: time.Second, idle: time.Second})
	conn, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer conn.Close()
	body := "Action=ListUsers&Version=2010-05-08"
	_, err = io.WriteString(conn, "POST / HTTP/1.1\r\nHost: sim\r\nContent-Type: application/x-www-form-urlencoded\r\n"+
		"Authorization: AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0\r\n"+
		"Content-Length: 100\r\n\r\n")
	require.NoError(t, err)

	// One byte every 100 ms: the whole body would take 10 s.
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		for k := range 100 {
			select {
			case <-done:
				return
			case <-time.After(100 * time.Millisecond):
			}
			if _, err := conn.Write([]byte{body[k%len(body)]}); err != nil {
				return
			}
		}
	}()
	defer func() { close(done); <-stopped }()
	require.True(t, closedWithin(t, conn, 5*time.Second), "a body trickled at 10 bytes/s still held the connection after 5 s")
}

func TestTimeoutDefaults(t *testing.T) {
	t.Parallel()
	to := defaultTimeouts()
	for name, d := range map[string]time.Duration{"read header": to.readHeader, "read": to.read, "write": to.write, "idle": to.idle} {
		require.Positive(t, d, name)
	}
	// A reply delayed by the largest latency fault still has 30 s to be written.
	require.GreaterOrEqual(t, to.write, maxLatency+30*time.Second)

	srv, err := New(Options{})
	require.NoError(t, err)
	require.NoError(t, srv.SetFaults(Faults{LatencyMS: int(maxLatency.Milliseconds())}))
	require.ErrorContains(t, srv.SetFaults(Faults{LatencyMS: int(maxLatency.Milliseconds()) + 1}), "latency_ms")
}
