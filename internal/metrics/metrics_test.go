package metrics_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/metrics"
	"github.com/secmonkey/monkey/internal/monkey"
)

var role = monkey.Technology{Index: "iamrole", Singular: "IAM Role"}

func discard() *slog.Logger { return slog.New(slog.DiscardHandler) }

type fakeCW struct {
	mu    sync.Mutex
	calls []*cloudwatch.PutMetricDataInput
	err   error
	block chan struct{}
}

func (f *fakeCW) PutMetricData(ctx context.Context, in *cloudwatch.PutMetricDataInput, _ ...func(*cloudwatch.Options)) (*cloudwatch.PutMetricDataOutput, error) {
	if f.block != nil {
		select {
		case <-f.block:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, in)
	return &cloudwatch.PutMetricDataOutput{}, f.err
}

func TestCloudWatchBatchesWithNamesAndDimensions(t *testing.T) {
	t.Parallel()
	m := metrics.New()
	api := &fakeCW{}
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	cw, err := metrics.NewCloudWatch(metrics.CloudWatchConfig{Namespace: "ns", BatchSize: 3, FlushInterval: time.Hour, Now: func() time.Time { return now }}, api, discard(), m)
	require.NoError(t, err)
	require.NoError(t, cw.Start(context.Background()))
	for i := range 4 {
		cw.ItemsAdded("123456789012", role, i)
	}
	cw.ItemsCompleted("123456789012", role, 7)
	require.NoError(t, cw.Stop(context.Background()))
	require.NoError(t, cw.Stop(context.Background()))

	require.Len(t, api.calls, 2, "5 datums in batches of 3")
	require.Len(t, api.calls[0].MetricData, 3)
	last := api.calls[1].MetricData[1]
	require.Equal(t, "ns", aws.ToString(api.calls[1].Namespace))
	require.Equal(t, "queue_items_completed", aws.ToString(last.MetricName))
	require.Equal(t, "Count", string(last.Unit))
	require.Equal(t, 7.0, aws.ToFloat64(last.Value))
	require.Equal(t, now, aws.ToTime(last.Timestamp))
	dims := map[string]string{}
	for _, d := range last.Dimensions {
		dims[aws.ToString(d.Name)] = aws.ToString(d.Value)
	}
	require.Equal(t, map[string]string{"tech": "IAM Role", "account_number": "123456789012"}, dims)
	require.Equal(t, 5.0, value(t, m, "monkey_cloudwatch_datums_posted_total", nil))
}

// value returns the sample of name whose labels include want.
func value(t *testing.T, m *metrics.Metrics, name string, want map[string]string) float64 {
	t.Helper()
	mfs, err := m.Registry.Gather()
	require.NoError(t, err)
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	next:
		for _, s := range mf.GetMetric() {
			got := map[string]string{}
			for _, l := range s.GetLabel() {
				got[l.GetName()] = l.GetValue()
			}
			for k, v := range want {
				if got[k] != v {
					continue next
				}
			}
			switch {
			case s.GetCounter() != nil:
				return s.GetCounter().GetValue()
			case s.GetGauge() != nil:
				return s.GetGauge().GetValue()
			case s.GetHistogram() != nil:
				return float64(s.GetHistogram().GetSampleCount())
			}
		}
	}
	return 0
}

func TestCloudWatchNeverBlocksAndCountsDrops(t *testing.T) {
	t.Parallel()
	m := metrics.New()
	api := &fakeCW{block: make(chan struct{})}
	cw, err := metrics.NewCloudWatch(metrics.CloudWatchConfig{Buffer: 2, BatchSize: 1, FlushInterval: time.Hour}, api, discard(), m)
	require.NoError(t, err)
	require.NoError(t, cw.Start(context.Background()))
	start := time.Now()
	for range 100 {
		cw.ItemsAdded("1", role, 1)
	}
	require.Less(t, time.Since(start), time.Second, "recording must not block on a stuck endpoint")
	require.GreaterOrEqual(t, value(t, m, "monkey_cloudwatch_datums_dropped_total", nil), 90.0)
	close(api.block)
	require.NoError(t, cw.Stop(context.Background()))
}

func TestCloudWatchErrorsAreCounted(t *testing.T) {
	t.Parallel()
	m := metrics.New()
	api := &fakeCW{err: errors.New("AccessDenied")}
	cw, err := metrics.NewCloudWatch(metrics.CloudWatchConfig{FlushInterval: 10 * time.Millisecond}, api, discard(), m)
	require.NoError(t, err)
	require.NoError(t, cw.Start(context.Background()))
	cw.ItemsCompleted("1", role, 3)
	require.Eventually(t, func() bool { return value(t, m, "monkey_cloudwatch_errors_total", nil) == 1 }, 5*time.Second, 10*time.Millisecond)
	require.NoError(t, cw.Stop(context.Background()))
	require.Equal(t, 1.0, value(t, m, "monkey_cloudwatch_datums_dropped_total", nil))
}

func TestPrometheusExposition(t *testing.T) {
	t.Parallel()
	m := metrics.New()
	m.TaskDone("iamrole", "ok", 2*time.Second)
	m.TaskDone("iamrole", "error", time.Second)
	m.ItemsAdded("1", role, 5)
	m.ItemsCompleted("1", role, 4)
	m.APICall("iam", "ListRoles", nil)
	m.APICall("iam", "ListRoles", errors.New("x"))
	m.Throttled("ec2", "DescribeSecurityGroups")
	m.SetLeader(true)
	m.Enqueued("s3", "duplicate")
	m.Tick(time.Millisecond)
	require.NoError(t, m.RegisterQueueDepth(func(context.Context) (map[string]map[string]int, error) {
		return map[string]map[string]int{"scans": {"pending": 7, "active": 2}}, nil
	}))

	require.Equal(t, 1.0, value(t, m, "monkey_tasks_total", map[string]string{"technology": "iamrole", "outcome": "ok"}))
	require.Equal(t, 1.0, value(t, m, "monkey_task_duration_seconds", map[string]string{"outcome": "error"}))
	require.Equal(t, 5.0, value(t, m, "monkey_queue_items_added_total", map[string]string{"technology": "iamrole"}))
	require.Equal(t, 4.0, value(t, m, "monkey_queue_items_completed_total", nil))
	require.Equal(t, 1.0, value(t, m, "monkey_cloud_api_calls_total", map[string]string{"outcome": "error"}))
	require.Equal(t, 1.0, value(t, m, "monkey_cloud_api_throttles_total", map[string]string{"service": "ec2"}))
	require.Equal(t, 1.0, value(t, m, "monkey_scheduler_leader", nil))
	require.Equal(t, 7.0, value(t, m, "monkey_queue_depth", map[string]string{"queue": "scans", "state": "pending"}))
	require.Equal(t, 1.0, value(t, m, "monkey_queue_depth_up", nil))

	srv := httptest.NewServer(promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{}))
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.True(t, strings.Contains(string(body), `monkey_scheduler_enqueued_total{result="duplicate",technology="s3"} 1`), string(body))

	var nilM *metrics.Metrics // a nil *Metrics records nothing and does not panic
	nilM.TaskDone("x", "ok", 0)
	nilM.SetLeader(true)
	require.NoError(t, nilM.RegisterQueueDepth(nil))
}

func TestFanout(t *testing.T) {
	t.Parallel()
	a, b := metrics.New(), metrics.New()
	f := metrics.Fanout{a, nil, b}
	f.ItemsAdded("1", role, 2)
	f.ItemsCompleted("1", role, 1)
	require.Equal(t, 2.0, value(t, a, "monkey_queue_items_added_total", nil))
	require.Equal(t, 1.0, value(t, b, "monkey_queue_items_completed_total", nil))
}
