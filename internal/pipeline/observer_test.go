package pipeline_test

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/pipeline"
)

// queueCounts records the queue metrics per technology index.
type queueCounts struct {
	mu               sync.Mutex
	added, completed map[string]int
}

func (q *queueCounts) ItemsAdded(_ string, t monkey.Technology, n int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.added[t.Index] += n
}

func (q *queueCounts) ItemsCompleted(_ string, t monkey.Technology, n int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.completed[t.Index] += n
}

// TestQueueMetricsCountTheTasksItems: the items a task takes off the queue
// are the items it put on it, counted for its technology only: the
// dependents it re-audits took no item off the queue.
func TestQueueMetricsCountTheTasksItems(t *testing.T) {
	t.Parallel()
	q := &queueCounts{added: map[string]int{}, completed: map[string]int{}}
	b := setup(t, "sqlite", 6, 3, func(o *pipeline.Options) { o.Observer = q })
	ctx := context.Background()
	_, err := b.pipe.RunTask(ctx, "alpha", "rdsdbinstance")
	require.NoError(t, err)
	r, err := b.pipe.RunTask(ctx, "alpha", "securitygroup")
	require.NoError(t, err)
	require.Greater(t, r.Audited, r.Collected, "the groups' task re-audits the databases that use them")
	require.Equal(t, map[string]int{"rdsdbinstance": q.added["rdsdbinstance"], "securitygroup": r.Collected}, q.completed)
	require.Equal(t, q.added, q.completed)
}
