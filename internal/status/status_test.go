package status_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/broker"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/status"
	"github.com/secmonkey/monkey/internal/store/storetest"
	"github.com/secmonkey/monkey/internal/worker"
)

// Without a broker, the workers come from their typed heartbeat rows; a
// row that does not parse is reported, not skipped silently.
func TestGatherFromHeartbeats(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := storetest.New(t, "sqlite")
	started := time.Now().UTC().Add(-time.Minute).Truncate(time.Second)
	info, err := json.Marshal(worker.Info{Concurrency: 7, InFlight: []broker.InFlight{{TaskID: "1/s3/manual", Account: "prod", Technology: "s3", Started: started}}})
	require.NoError(t, err)
	require.NoError(t, st.Heartbeat(ctx, monkey.Process{Kind: "worker", ID: "h:1:a", Host: "h", PID: 1, StartedAt: started, Info: string(info)}))
	require.NoError(t, st.Heartbeat(ctx, monkey.Process{Kind: "worker", ID: "h:2:b", Host: "h", PID: 2, StartedAt: started, Info: "{not json"}))

	got := status.Gather(ctx, status.Sources{Store: st, Embedded: true})
	require.True(t, got.Healthy())
	require.Equal(t, "embedded", got.Broker)
	require.Len(t, got.Workers, 2)
	byID := map[string]status.Worker{}
	for _, w := range got.Workers {
		byID[w.ID] = w
	}
	require.Equal(t, 7, byID["h:1:a"].Concurrency)
	require.Len(t, byID["h:1:a"].InFlight, 1)
	require.Equal(t, "prod", byID["h:1:a"].InFlight[0].Account)
	require.NotNil(t, byID["h:2:b"].InFlight)
	require.Len(t, got.Errors, 1)
	require.Contains(t, got.Errors[0], "worker h:2:b: worker heartbeat info")
}

func TestGatherUnreachable(t *testing.T) {
	t.Parallel()
	got := status.Gather(context.Background(), status.Sources{StoreErr: errors.New("dial\n tcp: refused"), BrokerErr: errors.New("no redis")})
	require.False(t, got.Healthy())
	require.Equal(t, "unreachable", got.Database)
	require.Equal(t, "unreachable", got.Broker)
	require.Equal(t, []string{"database: dial tcp: refused", "broker: no redis"}, got.Errors)
	require.NotNil(t, got.Scans)
	require.NotNil(t, got.Workers)
}
