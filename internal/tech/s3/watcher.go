package s3

import (
	"context"
	"fmt"
	"sort"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/watch"
)

// s3API lists the S3 calls the watcher makes.
type s3API interface {
	ListBuckets(ctx context.Context, in *s3.ListBucketsInput, optFns ...func(*s3.Options)) (*s3.ListBucketsOutput, error)
	GetBucketLocation(ctx context.Context, in *s3.GetBucketLocationInput, optFns ...func(*s3.Options)) (*s3.GetBucketLocationOutput, error)
	GetBucketAcl(ctx context.Context, in *s3.GetBucketAclInput, optFns ...func(*s3.Options)) (*s3.GetBucketAclOutput, error)
	GetBucketPolicy(ctx context.Context, in *s3.GetBucketPolicyInput, optFns ...func(*s3.Options)) (*s3.GetBucketPolicyOutput, error)
	GetBucketLifecycleConfiguration(ctx context.Context, in *s3.GetBucketLifecycleConfigurationInput, optFns ...func(*s3.Options)) (*s3.GetBucketLifecycleConfigurationOutput, error)
	GetBucketLogging(ctx context.Context, in *s3.GetBucketLoggingInput, optFns ...func(*s3.Options)) (*s3.GetBucketLoggingOutput, error)
	GetBucketTagging(ctx context.Context, in *s3.GetBucketTaggingInput, optFns ...func(*s3.Options)) (*s3.GetBucketTaggingOutput, error)
	GetBucketVersioning(ctx context.Context, in *s3.GetBucketVersioningInput, optFns ...func(*s3.Options)) (*s3.GetBucketVersioningOutput, error)
	GetBucketWebsite(ctx context.Context, in *s3.GetBucketWebsiteInput, optFns ...func(*s3.Options)) (*s3.GetBucketWebsiteOutput, error)
	GetBucketCors(ctx context.Context, in *s3.GetBucketCorsInput, optFns ...func(*s3.Options)) (*s3.GetBucketCorsOutput, error)
	GetBucketNotificationConfiguration(ctx context.Context, in *s3.GetBucketNotificationConfigurationInput, optFns ...func(*s3.Options)) (*s3.GetBucketNotificationConfigurationOutput, error)
	GetBucketAccelerateConfiguration(ctx context.Context, in *s3.GetBucketAccelerateConfigurationInput, optFns ...func(*s3.Options)) (*s3.GetBucketAccelerateConfigurationOutput, error)
	GetBucketReplication(ctx context.Context, in *s3.GetBucketReplicationInput, optFns ...func(*s3.Options)) (*s3.GetBucketReplicationOutput, error)
	ListBucketAnalyticsConfigurations(ctx context.Context, in *s3.ListBucketAnalyticsConfigurationsInput, optFns ...func(*s3.Options)) (*s3.ListBucketAnalyticsConfigurationsOutput, error)
	ListBucketMetricsConfigurations(ctx context.Context, in *s3.ListBucketMetricsConfigurationsInput, optFns ...func(*s3.Options)) (*s3.ListBucketMetricsConfigurationsOutput, error)
	ListBucketInventoryConfigurations(ctx context.Context, in *s3.ListBucketInventoryConfigurationsInput, optFns ...func(*s3.Options)) (*s3.ListBucketInventoryConfigurationsOutput, error)
}

// Watcher collects S3 buckets: ListBuckets once in the default region, then
// per bucket GetBucketLocation and the 14 configuration calls in the
// bucket's region (one client per region, reused), buckets described
// concurrently (WithConcurrency, default 16).
//
// A bucket whose location or any configuration call fails with something
// other than a "not configured" error is reported as an item-level Failure
// (Region "", Name bucket: never marked deleted) and skipped, so no
// incomplete config is ever stored.
type Watcher struct {
	newClient   func(aws.Config) s3API
	concurrency int
}

// Option configures a Watcher.
type Option func(*Watcher)

// WithConcurrency bounds concurrently described buckets (default 16).
func WithConcurrency(n int) Option {
	return func(w *Watcher) {
		if n > 0 {
			w.concurrency = n
		}
	}
}

// withClient replaces the S3 client factory (tests).
func withClient(f func(aws.Config) s3API) Option { return func(w *Watcher) { w.newClient = f } }

// NewWatcher returns the s3 watcher.
func NewWatcher(opts ...Option) *Watcher {
	w := &Watcher{
		newClient:   func(c aws.Config) s3API { return s3.NewFromConfig(c, awsclient.S3Options(c)) },
		concurrency: 16,
	}
	for _, o := range opts {
		o(w)
	}
	return w
}

// Technology implements watch.Watcher.
func (w *Watcher) Technology() monkey.Technology { return Technology }

// clients caches one S3 client per region.
type clients struct {
	base aws.Config
	new  func(aws.Config) s3API
	mu   sync.Mutex
	m    map[string]s3API
}

func (c *clients) get(region string) s3API {
	c.mu.Lock()
	defer c.mu.Unlock()
	if cl, ok := c.m[region]; ok {
		return cl
	}
	cfg := c.base.Copy()
	cfg.Region = region
	cl := c.new(cfg)
	c.m[region] = cl
	return cl
}

// Collect implements watch.Watcher.
func (w *Watcher) Collect(ctx context.Context, scope watch.Scope) (watch.Result, error) {
	cl := &clients{base: scope.AWS, new: w.newClient, m: map[string]s3API{}}
	home := scope.AWS.Region
	if home == "" {
		home = awsclient.DefaultRegion
	}
	def := cl.get(home)

	var res watch.Result
	var names []string
	p := s3.NewListBucketsPaginator(def, &s3.ListBucketsInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			res.Failures = append(res.Failures, watch.Failure{
				Err: fmt.Errorf("collect s3 %s: list buckets: %w", scope.Account.Identifier, err),
			})
			return res, nil
		}
		for _, b := range page.Buckets {
			if n := aws.ToString(b.Name); n != "" && !scope.Ignored(n) {
				names = append(names, n)
			}
		}
	}
	sort.Strings(names)

	items := make([]*monkey.Item, len(names))
	fails := make([]error, len(names))
	sem := make(chan struct{}, w.concurrency)
	var wg sync.WaitGroup
	for i, name := range names {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			fails[i] = ctx.Err()
			continue
		}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			it, err := describeBucket(ctx, def, cl, name)
			if err != nil {
				fails[i] = err
				return
			}
			items[i] = it
		}()
	}
	wg.Wait()
	for i, name := range names {
		if fails[i] != nil {
			res.Failures = append(res.Failures, watch.Failure{
				Name: name,
				Err:  fmt.Errorf("collect s3 %s/%s: %w", scope.Account.Identifier, name, fails[i]),
			})
			continue
		}
		scope.Emit(&res.Items, *items[i])
	}
	return res, nil
}

// notConfigured are the errors meaning "this bucket has no such
// configuration" (mapped to the empty values).
var notConfigured = map[string]bool{
	"NoSuchBucketPolicy":                    true,
	"NoSuchLifecycleConfiguration":          true,
	"NoSuchTagSet":                          true,
	"NoSuchWebsiteConfiguration":            true,
	"NoSuchCORSConfiguration":               true,
	"ReplicationConfigurationNotFoundError": true,
	"UnsupportedArgument":                   true,
}

// absent returns (true, nil) for a not-configured error, (false, err) for a
// real failure and (false, nil) for success.
func absent(op string, err error) (bool, error) {
	if err == nil {
		return false, nil
	}
	if notConfigured[awsclient.ErrorCode(err)] {
		return true, nil
	}
	return false, fmt.Errorf("%s: %w", op, err)
}

// describeBucket makes the 15 per-bucket calls and normalises.
func describeBucket(ctx context.Context, def s3API, cl *clients, name string) (*monkey.Item, error) {
	b := aws.String(name)
	loc, err := def.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: b})
	if err != nil {
		return nil, fmt.Errorf("get bucket location: %w", err)
	}
	region := bucketRegion(string(loc.LocationConstraint))
	c := cl.get(region)
	var raw raw
	raw.Name, raw.Region = name, region

	if raw.ACL, err = c.GetBucketAcl(ctx, &s3.GetBucketAclInput{Bucket: b}); err != nil {
		return nil, fmt.Errorf("get bucket acl: %w", err)
	}
	pol, err := c.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: b})
	if none, err := absent("get bucket policy", err); err != nil {
		return nil, err
	} else if !none {
		raw.Policy = pol.Policy
	}
	lc, err := c.GetBucketLifecycleConfiguration(ctx, &s3.GetBucketLifecycleConfigurationInput{Bucket: b})
	if none, err := absent("get bucket lifecycle configuration", err); err != nil {
		return nil, err
	} else if !none {
		raw.Lifecycle = lc.Rules
	}
	if raw.Logging, err = c.GetBucketLogging(ctx, &s3.GetBucketLoggingInput{Bucket: b}); err != nil {
		return nil, fmt.Errorf("get bucket logging: %w", err)
	}
	tags, err := c.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: b})
	if none, err := absent("get bucket tagging", err); err != nil {
		return nil, err
	} else if !none {
		raw.Tags = tags
	}
	if raw.Versioning, err = c.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: b}); err != nil {
		return nil, fmt.Errorf("get bucket versioning: %w", err)
	}
	web, err := c.GetBucketWebsite(ctx, &s3.GetBucketWebsiteInput{Bucket: b})
	if none, err := absent("get bucket website", err); err != nil {
		return nil, err
	} else if !none {
		raw.Website = web
	}
	cors, err := c.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: b})
	if none, err := absent("get bucket cors", err); err != nil {
		return nil, err
	} else if !none {
		raw.Cors = cors.CORSRules
	}
	if raw.Notifications, err = c.GetBucketNotificationConfiguration(ctx, &s3.GetBucketNotificationConfigurationInput{Bucket: b}); err != nil {
		return nil, fmt.Errorf("get bucket notification configuration: %w", err)
	}
	acc, err := c.GetBucketAccelerateConfiguration(ctx, &s3.GetBucketAccelerateConfigurationInput{Bucket: b})
	if none, err := absent("get bucket accelerate configuration", err); err != nil {
		return nil, err
	} else if !none {
		raw.Acceleration = string(acc.Status)
	}
	rep, err := c.GetBucketReplication(ctx, &s3.GetBucketReplicationInput{Bucket: b})
	if none, err := absent("get bucket replication", err); err != nil {
		return nil, err
	} else if !none {
		raw.Replication = rep.ReplicationConfiguration
	}
	for tok := (*string)(nil); ; {
		out, err := c.ListBucketAnalyticsConfigurations(ctx, &s3.ListBucketAnalyticsConfigurationsInput{Bucket: b, ContinuationToken: tok})
		if err != nil {
			return nil, fmt.Errorf("list bucket analytics configurations: %w", err)
		}
		raw.Analytics = append(raw.Analytics, out.AnalyticsConfigurationList...)
		if tok = out.NextContinuationToken; !aws.ToBool(out.IsTruncated) || tok == nil {
			break
		}
	}
	for tok := (*string)(nil); ; {
		out, err := c.ListBucketMetricsConfigurations(ctx, &s3.ListBucketMetricsConfigurationsInput{Bucket: b, ContinuationToken: tok})
		if err != nil {
			return nil, fmt.Errorf("list bucket metrics configurations: %w", err)
		}
		raw.Metrics = append(raw.Metrics, out.MetricsConfigurationList...)
		if tok = out.NextContinuationToken; !aws.ToBool(out.IsTruncated) || tok == nil {
			break
		}
	}
	for tok := (*string)(nil); ; {
		out, err := c.ListBucketInventoryConfigurations(ctx, &s3.ListBucketInventoryConfigurationsInput{Bucket: b, ContinuationToken: tok})
		if err != nil {
			return nil, fmt.Errorf("list bucket inventory configurations: %w", err)
		}
		raw.Inventory = append(raw.Inventory, out.InventoryConfigurationList...)
		if tok = out.NextContinuationToken; !aws.ToBool(out.IsTruncated) || tok == nil {
			break
		}
	}
	cfg, err := normalize(&raw)
	if err != nil {
		return nil, err
	}
	return &monkey.Item{Technology: Technology.Index, Region: region, Name: name, ARN: bucketARN(name), Config: cfg}, nil
}
