// Package awsclient gives the watchers their AWS access: the base
// configuration (default credential chain, endpoint overrides), one assumed
// role per watched account with cached credentials, the enabled regions, the
// adaptive retry policy with throttling classification, and accounting of the
// API calls made through every configuration it hands out.
package awsclient

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/middleware"

	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/watch"
)

// Default regions of the two partitions.
const (
	DefaultRegion    = "us-east-1"
	GovCloudRegion   = "us-gov-west-1"
	SessionName      = "secmonkey"
	defaultAttempts  = 10
	defaultMaxBackof = 20 * time.Second
	// defaultCallConcurrency bounds calls in flight per account and service.
	defaultCallConcurrency = 16
)

// Observer receives one event per API operation and per throttled attempt
// (e.g. to feed Prometheus). Implementations must be safe for concurrent use.
type Observer interface {
	APICall(service, operation string, err error)
	Throttled(service, operation string)
}

// Options configure a Client.
type Options struct {
	// GovCloud selects the aws-us-gov partition and us-gov-west-1.
	GovCloud bool
	Logger   *slog.Logger
	// MaxAttempts per operation, retries included (default 10).
	MaxAttempts int
	// MaxBackoff caps the jittered delay between attempts (default 20s).
	MaxBackoff time.Duration
	// Base replaces config.LoadDefaultConfig (tests inject one). Its
	// credentials are the base credentials used to call STS.
	Base *aws.Config
	// Observer is optional.
	Observer Observer
	// CallConcurrency bounds the API calls in flight per account and
	// service (default 16): scans of many technologies and accounts run at
	// once and wait on the network, but one account's service is never
	// hammered by more than this many requests at a time (the adaptive
	// retries then absorb the throttling that remains).
	CallConcurrency int
	// RetryMode is "adaptive" (default: the SDK adaptive mode, whose
	// client-side rate limiter slows a client down after throttling) or
	// "standard" (jittered exponential backoff only).
	RetryMode string
}

// Retry modes.
const (
	RetryAdaptive = "adaptive"
	RetryStandard = "standard"
)

// Client hands out aws.Config values for the watched accounts.
type Client struct {
	opts      Options
	partition string
	region    string
	base      aws.Config
	logger    *slog.Logger

	mu      sync.Mutex
	creds   map[string]*aws.CredentialsCache // key: role ARN + external id
	regions map[string]*regionCache          // key: account identifier
	slots   map[string]chan struct{}         // key: account identifier + service
	calls   map[string]*atomic.Int64
	thrott  atomic.Int64
}

// New builds a Client. Without Options.Base it loads the default credential
// chain (environment, shared files, SSO, instance role …), which also reads
// AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>.
func New(ctx context.Context, opts Options) (*Client, error) {
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = defaultAttempts
	}
	if opts.MaxBackoff <= 0 {
		opts.MaxBackoff = defaultMaxBackof
	}
	if opts.CallConcurrency <= 0 {
		opts.CallConcurrency = defaultCallConcurrency
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	switch opts.RetryMode {
	case "":
		opts.RetryMode = RetryAdaptive
	case RetryAdaptive, RetryStandard:
	default:
		return nil, fmt.Errorf("aws client: retry mode %q: want %q or %q", opts.RetryMode, RetryAdaptive, RetryStandard)
	}
	c := &Client{
		opts:      opts,
		partition: "aws",
		region:    DefaultRegion,
		logger:    opts.Logger,
		creds:     map[string]*aws.CredentialsCache{},
		regions:   map[string]*regionCache{},
		slots:     map[string]chan struct{}{},
		calls:     map[string]*atomic.Int64{},
	}
	if opts.GovCloud {
		c.partition = "aws-us-gov"
		c.region = GovCloudRegion
	}
	if opts.Base != nil {
		c.base = opts.Base.Copy()
	} else {
		cfg, err := config.LoadDefaultConfig(ctx, config.WithRegion(c.region))
		if err != nil {
			return nil, fmt.Errorf("load aws default config: %w", err)
		}
		c.base = cfg
	}
	c.base.HTTPClient = sharedHTTPClient(c.base.HTTPClient)
	if c.base.Region == "" {
		c.base.Region = c.region
	}
	c.base.Retryer = c.newRetryer
	c.base.APIOptions = append(append([]func(*middleware.Stack) error{}, c.base.APIOptions...), c.accounting)
	return c, nil
}

// Partition is "aws" or "aws-us-gov".
func (c *Client) Partition() string { return c.partition }

// DefaultRegion is the region of universal (global) calls.
func (c *Client) DefaultRegion() string { return c.region }

// Base returns the base configuration (base credentials, default region),
// with retries and call accounting installed.
func (c *Client) Base() aws.Config { return c.base.Copy() }

// newRetryer builds the retryer of one SDK client (called once per client).
func (c *Client) newRetryer() aws.Retryer {
	std := func(so *retry.StandardOptions) {
		so.MaxAttempts = c.opts.MaxAttempts
		so.MaxBackoff = c.opts.MaxBackoff
		so.Backoff = retry.NewExponentialJitterBackoff(c.opts.MaxBackoff)
		// Collection of a whole account must not fail because the
		// client-wide retry quota ran dry during a throttling burst.
		so.RateLimiter = ratelimit.None
	}
	if c.opts.RetryMode == RetryStandard {
		return retry.NewStandard(std)
	}
	return retry.NewAdaptiveMode(func(o *retry.AdaptiveModeOptions) {
		o.StandardOptions = append(o.StandardOptions, std)
	})
}

// RoleARN is the role assumed in an account.
func (c *Client) RoleARN(acct monkey.Account) string {
	return fmt.Sprintf("arn:%s:iam::%s:role/%s", c.partition, acct.Identifier, acct.RoleName())
}

// ForAccount returns a configuration acting inside the account through
// sts:AssumeRole (session name "secmonkey", ExternalId from the custom field
// external_id). Credentials are cached per role and refreshed before expiry;
// they are retrieved here, so a role that cannot be assumed is an error now
// (IsAccessDenied tells a denied AssumeRole), not in every later call.
func (c *Client) ForAccount(ctx context.Context, acct monkey.Account) (aws.Config, error) {
	if acct.Type != "" && acct.Type != "AWS" {
		return aws.Config{}, fmt.Errorf("assume role in account %q: %w", acct.Name,
			monkey.Errorf(monkey.EINVALID, "account type %s is not AWS", acct.Type))
	}
	if acct.Identifier == "" {
		return aws.Config{}, fmt.Errorf("assume role in account %q: %w", acct.Name,
			monkey.Errorf(monkey.EINVALID, "account has no identifier"))
	}
	arn := c.RoleARN(acct)
	ext := acct.Custom[monkey.FieldExternalID]
	key := arn + "\x00" + ext

	c.mu.Lock()
	cache, ok := c.creds[key]
	if !ok {
		stsClient := sts.NewFromConfig(c.base)
		prov := stscreds.NewAssumeRoleProvider(stsClient, arn, func(o *stscreds.AssumeRoleOptions) {
			o.RoleSessionName = SessionName
			if ext != "" {
				o.ExternalID = aws.String(ext)
			}
		})
		cache = aws.NewCredentialsCache(prov, func(o *aws.CredentialsCacheOptions) {
			o.ExpiryWindow = 5 * time.Minute
			o.ExpiryWindowJitterFrac = 0.2
		})
		c.creds[key] = cache
	}
	c.mu.Unlock()

	if _, err := cache.Retrieve(ctx); err != nil {
		return aws.Config{}, fmt.Errorf("assume role %s in account %s: %w", arn, acct.Name, err)
	}
	cfg := c.base.Copy()
	cfg.Credentials = cache
	return cfg, nil
}

// Session returns the watch session of an account: ForAccount's
// configuration, the partition, and the account's enabled regions, listed
// on first use and then reused for a while across the technologies of the
// account.
func (c *Client) Session(ctx context.Context, acct monkey.Account) (*Session, error) {
	cfg, err := c.ForAccount(ctx, acct)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	rc := c.regions[acct.Identifier]
	if rc == nil {
		rc = &regionCache{}
		c.regions[acct.Identifier] = rc
	}
	c.mu.Unlock()
	cfg.APIOptions = append(append([]func(*middleware.Stack) error{}, cfg.APIOptions...), c.limiter(acct.Identifier))
	s := &Session{Config: cfg, Partition: c.partition}
	s.regions = func(ctx context.Context) ([]string, error) {
		return rc.get(ctx, func(ctx context.Context) ([]string, error) { return c.Regions(ctx, cfg) })
	}
	return s, nil
}

// Open is Session as a watch.Session, the shape the pipeline opens
// sessions with (pipeline.OpenSession).
func (c *Client) Open(ctx context.Context, acct monkey.Account) (watch.Session, error) {
	return c.Session(ctx, acct)
}

// Regions returns the enabled regions of the account (ec2:DescribeRegions;
// opt-in regions not opted in are excluded), sorted.
func (c *Client) Regions(ctx context.Context, cfg aws.Config) ([]string, error) {
	return Regions(ctx, ec2.NewFromConfig(cfg))
}

// RegionsAPI is the one call Regions needs.
type RegionsAPI interface {
	DescribeRegions(ctx context.Context, in *ec2.DescribeRegionsInput, optFns ...func(*ec2.Options)) (*ec2.DescribeRegionsOutput, error)
}

// Regions lists enabled regions through api.
func Regions(ctx context.Context, api RegionsAPI) ([]string, error) {
	out, err := api.DescribeRegions(ctx, &ec2.DescribeRegionsInput{})
	if err != nil {
		return nil, fmt.Errorf("describe regions: %w", err)
	}
	regions := make([]string, 0, len(out.Regions))
	for _, r := range out.Regions {
		if r.RegionName == nil {
			continue
		}
		if s := aws.ToString(r.OptInStatus); s == "not-opted-in" {
			continue
		}
		regions = append(regions, *r.RegionName)
	}
	sort.Strings(regions)
	return regions, nil
}

// Calls returns the operations made so far, by "<service>.<Operation>"
// (service = lower-case SDK service id). One operation counts once, however
// many attempts its retries took.
func (c *Client) Calls() map[string]int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]int64, len(c.calls))
	for k, v := range c.calls {
		out[k] = v.Load()
	}
	return out
}

// Throttles returns the number of throttled attempts seen so far.
func (c *Client) Throttles() int64 { return c.thrott.Load() }

func (c *Client) counter(key string) *atomic.Int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	n, ok := c.calls[key]
	if !ok {
		n = &atomic.Int64{}
		c.calls[key] = n
	}
	return n
}

// s3CallFactor multiplies CallConcurrency for S3, whose request rates are
// limited per bucket prefix (thousands a second), not per account: a scan
// of s3 makes 14 independent calls per bucket.
const s3CallFactor = 4

// slot returns the semaphore of an account's service.
func (c *Client) slot(account, service string) chan struct{} {
	key := account + "/" + service
	c.mu.Lock()
	defer c.mu.Unlock()
	ch, ok := c.slots[key]
	if !ok {
		n := c.opts.CallConcurrency
		if service == "s3" {
			n *= s3CallFactor
		}
		ch = make(chan struct{}, n)
		c.slots[key] = ch
	}
	return ch
}

// limiter installs a per-attempt middleware that holds one of the
// account's CallConcurrency slots for the service while a request is in
// flight (backoff sleeps between attempts hold none).
func (c *Client) limiter(account string) func(*middleware.Stack) error {
	return func(stack *middleware.Stack) error {
		mw := middleware.DeserializeMiddlewareFunc("secmonkeyCallLimit",
			func(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (middleware.DeserializeOutput, middleware.Metadata, error) {
				svc, _ := serviceOp(ctx)
				sem := c.slot(account, svc)
				select {
				case sem <- struct{}{}:
				case <-ctx.Done():
					return middleware.DeserializeOutput{}, middleware.Metadata{}, ctx.Err()
				}
				defer func() { <-sem }()
				return next.HandleDeserialize(ctx, in)
			})
		if err := stack.Deserialize.Add(mw, middleware.Before); err != nil {
			return fmt.Errorf("add call limit middleware: %w", err)
		}
		return nil
	}
}

// accounting installs two middlewares: one per operation (before the retry
// loop) and one per attempt (outermost deserializer, sees the decoded error).
func (c *Client) accounting(stack *middleware.Stack) error {
	op := middleware.FinalizeMiddlewareFunc("secmonkeyCallCount",
		func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
			svc, name := serviceOp(ctx)
			c.counter(svc + "." + name).Add(1)
			out, md, err := next.HandleFinalize(ctx, in)
			if c.opts.Observer != nil {
				c.opts.Observer.APICall(svc, name, err)
			}
			return out, md, err
		})
	if err := stack.Finalize.Add(op, middleware.Before); err != nil {
		return fmt.Errorf("add call accounting middleware: %w", err)
	}
	attempt := middleware.DeserializeMiddlewareFunc("secmonkeyThrottleCount",
		func(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (middleware.DeserializeOutput, middleware.Metadata, error) {
			out, md, err := next.HandleDeserialize(ctx, in)
			if err != nil && IsThrottle(err) {
				c.thrott.Add(1)
				svc, name := serviceOp(ctx)
				c.logger.DebugContext(ctx, "aws call throttled", "service", svc, "operation", name)
				if c.opts.Observer != nil {
					c.opts.Observer.Throttled(svc, name)
				}
			}
			return out, md, err
		})
	if err := stack.Deserialize.Add(attempt, middleware.Before); err != nil {
		return fmt.Errorf("add throttle accounting middleware: %w", err)
	}
	return nil
}

func serviceOp(ctx context.Context) (string, string) {
	return lower(awsmiddleware.GetServiceID(ctx)), awsmiddleware.GetOperationName(ctx)
}

func lower(s string) string {
	b := []byte(s)
	for i, ch := range b {
		if ch >= 'A' && ch <= 'Z' {
			b[i] = ch + 'a' - 'A'
		}
	}
	return string(b)
}

// S3Options returns the s3 client options for cfg: path-style addressing
// when an endpoint override is in force (cfg.BaseEndpoint, AWS_ENDPOINT_URL
// or AWS_ENDPOINT_URL_S3), as simulated and self-hosted endpoints need.
func S3Options(cfg aws.Config) func(*s3.Options) {
	override := cfg.BaseEndpoint != nil && *cfg.BaseEndpoint != "" ||
		os.Getenv("AWS_ENDPOINT_URL") != "" || os.Getenv("AWS_ENDPOINT_URL_S3") != "" //nolint:forbidigo // the AWS SDK's own settings, read by its config chain too
	return func(o *s3.Options) {
		if override {
			o.UsePathStyle = true
		}
	}
}

// sharedHTTPClient returns one plain *http.Client for every SDK client built
// from the base configuration.
//
// The SDK's service constructors wrap an *awshttp.BuildableClient with
// per-client options, which builds a new http.Transport for every service
// client. Service clients are created per task and region, and each
// abandoned transport keeps its idle keep-alive connections (and two
// goroutines each) for IdleConnTimeout: a long-lived worker grew by about
// three connections per task (7,800 sockets and 270 MB after 1,800 tasks).
// A plain *http.Client is used as is by the SDK, so all clients share one
// bounded pool. What the default chain configured (AWS_CA_BUNDLE, proxies,
// timeouts) is kept; a custom client other than BuildableClient is left alone.
func sharedHTTPClient(c aws.HTTPClient) aws.HTTPClient {
	var b *awshttp.BuildableClient
	switch x := c.(type) {
	case nil:
		b = awshttp.NewBuildableClient()
	case *awshttp.BuildableClient:
		b = x
	default:
		return c
	}
	tr := b.GetTransport().Clone()
	tr.MaxIdleConns = 256
	tr.MaxIdleConnsPerHost = 64
	tr.IdleConnTimeout = 90 * time.Second
	return &http.Client{Transport: tr, Timeout: b.GetTimeout()}
}
