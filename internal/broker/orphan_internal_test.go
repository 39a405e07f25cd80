package broker

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"
)

// The orphan sweep's script on the embedded Redis (miniredis): a running
// task with a stale lease goes back to the head of the pending list, a
// fresh one stays, and the third recovery archives it.
func TestRecoverOrphansScriptEmbedded(t *testing.T) {
	t.Parallel()
	b, err := NewEmbedded(Config{}, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	defer func() { _ = b.Close() }()
	ctx := context.Background()
	p := "asynq:{scans}:"
	keys := []string{p + "lease", p + "active", p + "pending", p + "archived"}
	now := time.Now()
	put := func(id string, lease time.Time) {
		require.NoError(t, b.rdb.LPush(ctx, p+"active", id).Err())
		require.NoError(t, b.rdb.ZAdd(ctx, p+"lease", redisZ(float64(lease.Unix()), id)).Err())
		require.NoError(t, b.rdb.HSet(ctx, p+"t:"+id, "state", "active").Err())
	}
	put("stale", now.Add(5*time.Second))
	put("fresh", now.Add(28*time.Second))
	require.NoError(t, b.rdb.RPush(ctx, p+"pending", "waiting").Err())
	cutoff := now.Add(asynqLeaseDuration - 10*time.Second - time.Second).Unix()
	sweep := func() []string {
		out, err := recoverOrphansScript.Run(ctx, b.rdb, keys, cutoff, p+"t:", now.Unix(), 1, now.UnixNano()).StringSlice()
		require.NoError(t, err)
		return out
	}
	require.Equal(t, []string{"stale"}, sweep())
	require.Equal(t, []string{"fresh"}, b.rdb.LRange(ctx, p+"active", 0, -1).Val())
	require.Equal(t, []string{"waiting", "stale"}, b.rdb.LRange(ctx, p+"pending", 0, -1).Val(), "next to run (asynq pops from the right)")
	require.Equal(t, "pending", b.rdb.HGet(ctx, p+"t:stale", "state").Val())

	// Taken again and orphaned again: over the limit (1 here), archived.
	require.NoError(t, b.rdb.RPop(ctx, p+"pending").Err())
	put("stale", now.Add(5*time.Second))
	require.Equal(t, []string{"archived:stale"}, sweep())
	require.Equal(t, "archived", b.rdb.HGet(ctx, p+"t:stale", "state").Val())
	require.Equal(t, []string{"stale"}, b.rdb.ZRange(ctx, p+"archived", 0, -1).Val())
}

func redisZ(score float64, member string) redis.Z { return redis.Z{Score: score, Member: member} }

// The embedded broker listens on loopback with a random password: a local
// client without it can neither enqueue nor purge.
func TestEmbeddedBrokerNeedsItsPassword(t *testing.T) {
	t.Parallel()
	b, err := NewEmbedded(Config{}, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	defer func() { _ = b.Close() }()
	ctx := context.Background()
	require.NoError(t, b.Ping(ctx))
	stranger := redis.NewClient(&redis.Options{Addr: b.rdb.Options().Addr})
	defer func() { _ = stranger.Close() }()
	require.ErrorContains(t, stranger.Ping(ctx).Err(), "NOAUTH")
	require.ErrorContains(t, stranger.LPush(ctx, "asynq:{scans}:pending", "x").Err(), "NOAUTH")
	require.GreaterOrEqual(t, len(b.rdb.Options().Password), 32)
}
