package store_test

import (
	"context"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/store"
	"github.com/secmonkey/monkey/internal/store/storetest"
)

func TestParseDatabaseURL(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ raw, kind, url, err string }{
		{"monkey.db", "sqlite", "monkey.db", ""},
		{"/var/lib/m.db", "sqlite", "/var/lib/m.db", ""},
		{"sqlite:///tmp/m.db", "sqlite", "sqlite:///tmp/m.db", ""},
		{"file:m.db", "sqlite", "file:m.db", ""},
		{"postgres://u:Secret@db/x", "postgres", "postgres://u:Secret@db/x", ""},
		{"postgresql://u:Secret@db/x", "postgres", "postgres://u:Secret@db/x", ""},
		{"postgresql+psycopg2://u:Secret@db/x", "postgres", "postgres://u:Secret@db/x", ""},
		{"postgres+psycopg2://u:Secret@db/x?sslmode=require", "postgres", "postgres://u:Secret@db/x?sslmode=require", ""},
		{"mysql://u:Secret@db/x", "", "", `unsupported scheme "mysql"`},
		{"mysql+pymysql://u:Secret@db/x", "", "", `unsupported scheme "mysql+pymysql"`},
	} {
		kind, url, err := store.ParseDatabaseURL(tc.raw)
		if tc.err != "" {
			require.ErrorContains(t, err, tc.err, tc.raw)
			require.NotContains(t, err.Error(), "Secret")
			continue
		}
		require.NoError(t, err, tc.raw)
		require.Equal(t, tc.kind, kind, tc.raw)
		require.Equal(t, tc.url, url, tc.raw)
	}
}

// Security Monkey's own SQLAlchemy URI opens the Postgres database; an
// unknown scheme is refused without printing the password.
func TestOpenSQLAlchemyURL(t *testing.T) {
	t.Parallel()
	storetest.PostgresAvailable(t)
	raw := storetest.ScratchPostgres(t)
	ctx := context.Background()
	s, err := store.Open(ctx, strings.Replace(raw, "postgres://", "postgresql+psycopg2://", 1), nil)
	require.NoError(t, err)
	require.Equal(t, "postgres", s.Engine())
	require.NoError(t, s.Close())

	_, err = store.Open(ctx, "mysql://u:Secret@127.0.0.1:1/db", nil)
	require.ErrorContains(t, err, `unsupported scheme "mysql"`)
	require.NotContains(t, err.Error(), "Secret")
}

// A server that accepts connections and never answers does not hang
// opening the database: the connect timeout applies when the URL sets none.
func TestOpenPostgresConnectTimeout(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c) // accepted, never answered
			mu.Unlock()
		}
	}()
	defer func() {
		_ = ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			_ = c.Close()
		}
	}()
	done := make(chan error, 1)
	go func() {
		_, err := store.Open(context.Background(), "postgres://u:pw@"+ln.Addr().String()+"/db?sslmode=disable", nil)
		done <- err
	}()
	select {
	case err := <-done:
		require.Error(t, err)
		require.NotContains(t, err.Error(), ":pw@")
	case <-time.After(3 * store.DefaultConnectTimeout):
		t.Fatal("opening a database that never answers hangs")
	}
}
