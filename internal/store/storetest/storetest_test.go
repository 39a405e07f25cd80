package storetest_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/store/storetest"
)

func TestNewIsMigrated(t *testing.T) {
	t.Parallel()
	engines := storetest.Engines(t)
	require.Contains(t, engines, "sqlite")
	for _, engine := range engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			s := storetest.New(t, engine)
			require.Equal(t, engine, s.Engine())
			require.NoError(t, s.SchemaCurrent(context.Background()))
		})
	}
}

func TestScratchPostgresIsDropped(t *testing.T) {
	t.Parallel()
	var name string
	t.Run("scratch", func(t *testing.T) {
		u := storetest.ScratchPostgres(t)
		parsed, err := url.Parse(u)
		require.NoError(t, err)
		name = strings.TrimPrefix(parsed.Path, "/")
		require.True(t, strings.HasPrefix(name, "monkey_test_"), name)
	})
	if name == "" {
		t.Skip("postgres unreachable")
	}
	cfg, err := pgx.ParseConfig(storetest.PostgresURL())
	require.NoError(t, err)
	db := stdlib.OpenDB(*cfg)
	defer db.Close()
	var n int
	require.NoError(t, db.QueryRowContext(context.Background(),
		"SELECT COUNT(*) FROM pg_database WHERE datname = $1", name).Scan(&n))
	require.Zero(t, n, "scratch database %s dropped at cleanup", name)
}
