// Package metrics holds the Prometheus metrics of the runtime (on an
// injected, non-global registry) and the CloudWatch queue-metrics publisher.
package metrics

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/secmonkey/monkey/internal/monkey"
)

// Metrics is the set of Prometheus metrics of one process. A nil *Metrics
// is valid and records nothing.
type Metrics struct {
	Registry *prometheus.Registry

	taskDuration   *prometheus.HistogramVec
	tasks          *prometheus.CounterVec
	itemsAdded     *prometheus.CounterVec
	itemsCompleted *prometheus.CounterVec
	apiCalls       *prometheus.CounterVec
	throttles      *prometheus.CounterVec
	leader         prometheus.Gauge
	enqueued       *prometheus.CounterVec
	ticks          prometheus.Histogram
	cwPosted       prometheus.Counter
	cwDropped      prometheus.Counter
	cwErrors       prometheus.Counter
	notifications  *prometheus.CounterVec
}

// New registers the metrics on a fresh registry, with the Go and process
// collectors.
func New() *Metrics {
	r := prometheus.NewRegistry()
	r.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m := &Metrics{
		Registry: r,
		taskDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "monkey_task_duration_seconds",
			Help:    "Duration of scan tasks by technology and outcome.",
			Buckets: []float64{.05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900, 1800},
		}, []string{"technology", "outcome"}),
		tasks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "monkey_tasks_total",
			Help: "Scan tasks run by technology and outcome (ok, error, retry).",
		}, []string{"technology", "outcome"}),
		itemsAdded: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "monkey_queue_items_added_total",
			Help: "Items collected into the scanning queue, by technology.",
		}, []string{"technology"}),
		itemsCompleted: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "monkey_queue_items_completed_total",
			Help: "Items audited out of the scanning queue, by technology.",
		}, []string{"technology"}),
		apiCalls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "monkey_cloud_api_calls_total",
			Help: "Cloud API calls by service, operation and outcome (ok, error).",
		}, []string{"service", "operation", "outcome"}),
		throttles: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "monkey_cloud_api_throttles_total",
			Help: "Throttled cloud API calls by service and operation.",
		}, []string{"service", "operation"}),
		leader: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "monkey_scheduler_leader",
			Help: "1 when this scheduler holds the leader lease.",
		}),
		enqueued: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "monkey_scheduler_enqueued_total",
			Help: "Enqueue attempts by technology and result (enqueued, duplicate, error).",
		}, []string{"technology", "result"}),
		ticks: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "monkey_scheduler_tick_seconds",
			Help:    "Duration of one scheduler tick.",
			Buckets: prometheus.ExponentialBuckets(0.001, 4, 8),
		}),
		cwPosted: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "monkey_cloudwatch_datums_posted_total",
			Help: "Queue metric datums posted to CloudWatch.",
		}),
		cwDropped: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "monkey_cloudwatch_datums_dropped_total",
			Help: "Queue metric datums dropped because the buffer was full or posting failed.",
		}),
		cwErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "monkey_cloudwatch_errors_total",
			Help: "Failed PutMetricData calls.",
		}),
		notifications: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "monkey_notifications_total",
			Help: "Notification delivery attempts by channel and outcome (sent, retry, failed).",
		}, []string{"channel", "outcome"}),
	}
	r.MustRegister(m.taskDuration, m.tasks, m.itemsAdded, m.itemsCompleted, m.apiCalls, m.throttles,
		m.leader, m.enqueued, m.ticks, m.cwPosted, m.cwDropped, m.cwErrors, m.notifications)
	return m
}

// TaskDone records one finished task attempt.
func (m *Metrics) TaskDone(technology, outcome string, d time.Duration) {
	if m == nil {
		return
	}
	m.taskDuration.WithLabelValues(technology, outcome).Observe(d.Seconds())
	m.tasks.WithLabelValues(technology, outcome).Inc()
}

// ItemsAdded implements the pipeline observer (Prometheus side).
func (m *Metrics) ItemsAdded(_ string, tech monkey.Technology, n int) {
	if m == nil {
		return
	}
	m.itemsAdded.WithLabelValues(tech.Index).Add(float64(n))
}

// ItemsCompleted implements the pipeline observer (Prometheus side).
func (m *Metrics) ItemsCompleted(_ string, tech monkey.Technology, n int) {
	if m == nil {
		return
	}
	m.itemsCompleted.WithLabelValues(tech.Index).Add(float64(n))
}

// APICall implements the awsclient observer.
func (m *Metrics) APICall(service, operation string, err error) {
	if m == nil {
		return
	}
	outcome := "ok"
	if err != nil {
		outcome = "error"
	}
	m.apiCalls.WithLabelValues(service, operation, outcome).Inc()
}

// Throttled implements the awsclient observer.
func (m *Metrics) Throttled(service, operation string) {
	if m == nil {
		return
	}
	m.throttles.WithLabelValues(service, operation).Inc()
}

// SetLeader records whether this scheduler leads.
func (m *Metrics) SetLeader(leading bool) {
	if m == nil {
		return
	}
	v := 0.0
	if leading {
		v = 1
	}
	m.leader.Set(v)
}

// Enqueued records one enqueue attempt; result is enqueued, duplicate or error.
func (m *Metrics) Enqueued(technology, result string) {
	if m == nil {
		return
	}
	m.enqueued.WithLabelValues(technology, result).Inc()
}

// NotificationDone records one notification delivery attempt (the notify
// observer).
func (m *Metrics) NotificationDone(channel, outcome string) {
	if m == nil {
		return
	}
	m.notifications.WithLabelValues(channel, outcome).Inc()
}

// Tick records the duration of one scheduler tick.
func (m *Metrics) Tick(d time.Duration) {
	if m == nil {
		return
	}
	m.ticks.Observe(d.Seconds())
}

// DepthFunc reports the task count per queue and state.
type DepthFunc func(ctx context.Context) (map[string]map[string]int, error)

// RegisterQueueDepth exposes monkey_queue_depth{queue,state}, read from f
// at every scrape (bounded by a 2 s timeout; a broker that does not answer
// yields no samples and monkey_queue_depth_up 0).
func (m *Metrics) RegisterQueueDepth(f DepthFunc) error {
	if m == nil {
		return nil
	}
	return m.Registry.Register(depthCollector{f: f})
}

var (
	depthDesc   = prometheus.NewDesc("monkey_queue_depth", "Tasks in the broker queue by state.", []string{"queue", "state"}, nil)
	depthUpDesc = prometheus.NewDesc("monkey_queue_depth_up", "1 when the broker answered the queue depth query.", nil, nil)
)

type depthCollector struct{ f DepthFunc }

func (c depthCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- depthDesc
	ch <- depthUpDesc
}

func (c depthCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	d, err := c.f(ctx)
	if err != nil {
		ch <- prometheus.MustNewConstMetric(depthUpDesc, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(depthUpDesc, prometheus.GaugeValue, 1)
	for q, states := range d {
		for s, n := range states {
			ch <- prometheus.MustNewConstMetric(depthDesc, prometheus.GaugeValue, float64(n), q, s)
		}
	}
}
