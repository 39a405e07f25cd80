package metrics

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/secmonkey/monkey/internal/monkey"
)

// Queue metric names (spec/config.md §11).
const (
	MetricItemsAdded     = "queue_items_added"
	MetricItemsCompleted = "queue_items_completed"
)

// QueueObserver is told how many items of a task enter and leave the
// scanning queue. It has the method set of pipeline.Observer.
type QueueObserver interface {
	ItemsAdded(accountNumber string, tech monkey.Technology, n int)
	ItemsCompleted(accountNumber string, tech monkey.Technology, n int)
}

// Fanout forwards queue events to every non-nil observer.
type Fanout []QueueObserver

// ItemsAdded implements QueueObserver.
func (f Fanout) ItemsAdded(account string, tech monkey.Technology, n int) {
	for _, o := range f {
		if o != nil {
			o.ItemsAdded(account, tech, n)
		}
	}
}

// ItemsCompleted implements QueueObserver.
func (f Fanout) ItemsCompleted(account string, tech monkey.Technology, n int) {
	for _, o := range f {
		if o != nil {
			o.ItemsCompleted(account, tech, n)
		}
	}
}

// PutMetricDataAPI is the one CloudWatch call the publisher makes.
type PutMetricDataAPI interface {
	PutMetricData(ctx context.Context, in *cloudwatch.PutMetricDataInput, opts ...func(*cloudwatch.Options)) (*cloudwatch.PutMetricDataOutput, error)
}

// NewCloudWatchClient builds a CloudWatch client from the service's own
// credentials (the default chain, not an assumed role) in region. The
// AWS_ENDPOINT_URL variables of the SDK override the endpoint.
func NewCloudWatchClient(ctx context.Context, region string) (*cloudwatch.Client, error) {
	cfg, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithRegion(region))
	if err != nil {
		return nil, fmt.Errorf("cloudwatch credentials: %w", err)
	}
	return cloudwatch.NewFromConfig(cfg), nil
}

// CloudWatchConfig configures the publisher.
type CloudWatchConfig struct {
	Namespace string // default "securitymonkey"
	// Buffer bounds the datums waiting to be posted (default 10000); when
	// full, new datums are dropped and counted.
	Buffer int
	// BatchSize is the most datums per PutMetricData call (default 500,
	// the API allows 1000).
	BatchSize int
	// FlushInterval is the longest a datum waits (default 5 s).
	FlushInterval time.Duration
	// CallTimeout bounds one PutMetricData call (default 10 s).
	CallTimeout time.Duration
	Now         func() time.Time
}

// WithDefaults fills the zero fields.
func (c CloudWatchConfig) WithDefaults() CloudWatchConfig {
	if c.Namespace == "" {
		c.Namespace = "securitymonkey"
	}
	if c.Buffer <= 0 {
		c.Buffer = 10000
	}
	if c.BatchSize <= 0 || c.BatchSize > 1000 {
		c.BatchSize = 500
	}
	if c.FlushInterval <= 0 {
		c.FlushInterval = 5 * time.Second
	}
	if c.CallTimeout <= 0 {
		c.CallTimeout = 10 * time.Second
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// CloudWatch posts the queue metrics in batches from a background goroutine.
// Recording never blocks and never fails: datums beyond the buffer are
// dropped and counted; posting errors are logged and counted.
type CloudWatch struct {
	cfg    CloudWatchConfig
	api    PutMetricDataAPI
	log    *slog.Logger
	m      *Metrics
	ch     chan cwtypes.MetricDatum
	mu     sync.Mutex
	stop   chan struct{}
	done   chan struct{}
	closed bool
}

var _ QueueObserver = (*CloudWatch)(nil)

// NewCloudWatch returns a publisher; call Start to post.
func NewCloudWatch(cfg CloudWatchConfig, api PutMetricDataAPI, logger *slog.Logger, m *Metrics) (*CloudWatch, error) {
	if api == nil {
		return nil, errors.New("cloudwatch publisher: no client")
	}
	cfg = cfg.WithDefaults()
	return &CloudWatch{
		cfg: cfg, api: api, m: m,
		log: logger.With("component", "cloudwatch"),
		ch:  make(chan cwtypes.MetricDatum, cfg.Buffer),
	}, nil
}

// ItemsAdded implements QueueObserver.
func (c *CloudWatch) ItemsAdded(account string, tech monkey.Technology, n int) {
	c.record(MetricItemsAdded, account, tech, n)
}

// ItemsCompleted implements QueueObserver.
func (c *CloudWatch) ItemsCompleted(account string, tech monkey.Technology, n int) {
	c.record(MetricItemsCompleted, account, tech, n)
}

func (c *CloudWatch) record(name, account string, tech monkey.Technology, n int) {
	techName := tech.Singular
	if techName == "" {
		techName = tech.Index
	}
	d := cwtypes.MetricDatum{
		MetricName: aws.String(name),
		Unit:       cwtypes.StandardUnitCount,
		Value:      aws.Float64(float64(n)),
		Timestamp:  aws.Time(c.cfg.Now().UTC()),
		Dimensions: []cwtypes.Dimension{
			{Name: aws.String("tech"), Value: aws.String(techName)},
			{Name: aws.String("account_number"), Value: aws.String(account)},
		},
	}
	select {
	case c.ch <- d:
	default:
		if c.m != nil {
			c.m.cwDropped.Inc()
		}
	}
}

// Start posts in the background until Stop.
func (c *CloudWatch) Start(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stop != nil {
		return nil
	}
	c.stop, c.done = make(chan struct{}), make(chan struct{})
	go c.loop(context.WithoutCancel(ctx))
	return nil
}

// Stop posts what is buffered (bounded by ctx) and stops. Safe to call
// twice.
func (c *CloudWatch) Stop(ctx context.Context) error {
	c.mu.Lock()
	if c.stop == nil || c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	close(c.stop)
	c.mu.Unlock()
	select {
	case <-c.done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("cloudwatch publisher stop: %w", ctx.Err())
	}
}

func (c *CloudWatch) loop(ctx context.Context) {
	defer close(c.done)
	t := time.NewTicker(c.cfg.FlushInterval)
	defer t.Stop()
	var batch []cwtypes.MetricDatum
	flush := func() {
		if len(batch) > 0 {
			c.post(ctx, batch)
			batch = batch[:0]
		}
	}
	for {
		select {
		case d := <-c.ch:
			batch = append(batch, d)
			if len(batch) >= c.cfg.BatchSize {
				flush()
			}
		case <-t.C:
			flush()
		case <-c.stop:
			for {
				select {
				case d := <-c.ch:
					batch = append(batch, d)
					if len(batch) >= c.cfg.BatchSize {
						flush()
					}
				default:
					flush()
					return
				}
			}
		}
	}
}

func (c *CloudWatch) post(ctx context.Context, batch []cwtypes.MetricDatum) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.CallTimeout)
	defer cancel()
	_, err := c.api.PutMetricData(ctx, &cloudwatch.PutMetricDataInput{
		Namespace:  aws.String(c.cfg.Namespace),
		MetricData: batch,
	})
	if err != nil {
		c.log.Warn("put metric data failed", "datums", len(batch), "error", err)
		if c.m != nil {
			c.m.cwErrors.Inc()
			c.m.cwDropped.Add(float64(len(batch)))
		}
		return
	}
	if c.m != nil {
		c.m.cwPosted.Add(float64(len(batch)))
	}
}
