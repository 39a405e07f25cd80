package s3

import (
	"context"
	"fmt"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"golang.org/x/sync/errgroup"

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

// Watcher collects S3 buckets: ListBuckets once in the default region
// (its BucketRegion saves GetBucketLocation; older endpoints that omit it
// get the call), then per bucket the 14 configuration calls in the bucket's
// region, at once (one client per region, reused). Buckets are described
// concurrently (WithConcurrency, default 16) and each is emitted as soon as
// it is complete. No region list is needed: a failing DescribeRegions does
// not stop an S3 scan.
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
	sess, err := awsclient.SessionOf(scope)
	if err != nil {
		return watch.Result{}, err
	}
	cl := &clients{base: sess.Config, new: w.newClient, m: map[string]s3API{}}
	def := cl.get(sess.DefaultRegion())
	c := watch.NewCollector(scope, Technology)

	type bucket struct{ name, region string }
	var buckets []bucket
	p := s3.NewListBucketsPaginator(def, &s3.ListBucketsInput{})
	err = watch.Paginate(ctx, p.HasMorePages, func(ctx context.Context) (*s3.ListBucketsOutput, error) {
		return p.NextPage(ctx)
	}, func(page *s3.ListBucketsOutput) error {
		for _, b := range page.Buckets {
			if n := aws.ToString(b.Name); n != "" && !scope.Ignored(n) {
				buckets = append(buckets, bucket{n, aws.ToString(b.BucketRegion)})
			}
		}
		return nil
	})
	if err != nil {
		c.Fail("", "", fmt.Errorf("collect s3 %s: list buckets: %w", scope.Account.Identifier, err))
		return c.Result(), nil
	}
	err = watch.Parallel(ctx, w.concurrency, buckets, func(ctx context.Context, b bucket) {
		cfg, region, err := describeBucket(ctx, def, cl, b.name, b.region)
		if err != nil {
			c.Fail("", b.name, fmt.Errorf("collect s3 %s/%s: %w", scope.Account.Identifier, b.name, err))
			return
		}
		c.Emit(region, b.name, bucketARN(b.name), cfg)
	})
	if err != nil {
		c.Fail("", "", fmt.Errorf("collect s3 %s: %w", scope.Account.Identifier, err))
	}
	return c.Result(), nil
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

// describeBucket reads the bucket's location (unless ListBuckets gave its
// region) and its 14 configurations — all at once, since none depends on
// another — and normalises them.
func describeBucket(ctx context.Context, def s3API, cl *clients, name, region string) (monkey.Config, string, error) {
	b := aws.String(name)
	if region == "" {
		loc, err := def.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: b})
		if err != nil {
			return nil, "", fmt.Errorf("get bucket location: %w", err)
		}
		region = string(loc.LocationConstraint)
	}
	region = bucketRegion(region)
	c := cl.get(region)
	r := raw{Name: name, Region: region}
	g, ctx := errgroup.WithContext(ctx)
	// call runs one required call; optional runs one whose "not
	// configured" error means the empty value.
	call := func(op string, fn func() error) {
		g.Go(func() error {
			if err := fn(); err != nil {
				return fmt.Errorf("%s: %w", op, err)
			}
			return nil
		})
	}
	optional := func(op string, fn func() error) {
		g.Go(func() error {
			_, err := absent(op, fn())
			return err
		})
	}
	call("get bucket acl", func() (err error) {
		r.ACL, err = c.GetBucketAcl(ctx, &s3.GetBucketAclInput{Bucket: b})
		return err
	})
	optional("get bucket policy", func() error {
		out, err := c.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: b})
		if err == nil {
			r.Policy = out.Policy
		}
		return err
	})
	optional("get bucket lifecycle configuration", func() error {
		out, err := c.GetBucketLifecycleConfiguration(ctx, &s3.GetBucketLifecycleConfigurationInput{Bucket: b})
		if err == nil {
			r.Lifecycle = out.Rules
		}
		return err
	})
	call("get bucket logging", func() (err error) {
		r.Logging, err = c.GetBucketLogging(ctx, &s3.GetBucketLoggingInput{Bucket: b})
		return err
	})
	optional("get bucket tagging", func() (err error) {
		r.Tags, err = c.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: b})
		return err
	})
	call("get bucket versioning", func() (err error) {
		r.Versioning, err = c.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: b})
		return err
	})
	optional("get bucket website", func() (err error) {
		r.Website, err = c.GetBucketWebsite(ctx, &s3.GetBucketWebsiteInput{Bucket: b})
		return err
	})
	optional("get bucket cors", func() error {
		out, err := c.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: b})
		if err == nil {
			r.Cors = out.CORSRules
		}
		return err
	})
	call("get bucket notification configuration", func() (err error) {
		r.Notifications, err = c.GetBucketNotificationConfiguration(ctx, &s3.GetBucketNotificationConfigurationInput{Bucket: b})
		return err
	})
	optional("get bucket accelerate configuration", func() error {
		out, err := c.GetBucketAccelerateConfiguration(ctx, &s3.GetBucketAccelerateConfigurationInput{Bucket: b})
		if err == nil {
			r.Acceleration = string(out.Status)
		}
		return err
	})
	optional("get bucket replication", func() error {
		out, err := c.GetBucketReplication(ctx, &s3.GetBucketReplicationInput{Bucket: b})
		if err == nil {
			r.Replication = out.ReplicationConfiguration
		}
		return err
	})
	call("list bucket analytics configurations", func() error {
		return listAll(ctx, func(ctx context.Context, tok *string) (*string, bool, error) {
			out, err := c.ListBucketAnalyticsConfigurations(ctx, &s3.ListBucketAnalyticsConfigurationsInput{Bucket: b, ContinuationToken: tok})
			if err != nil {
				return nil, false, err
			}
			r.Analytics = append(r.Analytics, out.AnalyticsConfigurationList...)
			return out.NextContinuationToken, aws.ToBool(out.IsTruncated), nil
		})
	})
	call("list bucket metrics configurations", func() error {
		return listAll(ctx, func(ctx context.Context, tok *string) (*string, bool, error) {
			out, err := c.ListBucketMetricsConfigurations(ctx, &s3.ListBucketMetricsConfigurationsInput{Bucket: b, ContinuationToken: tok})
			if err != nil {
				return nil, false, err
			}
			r.Metrics = append(r.Metrics, out.MetricsConfigurationList...)
			return out.NextContinuationToken, aws.ToBool(out.IsTruncated), nil
		})
	})
	call("list bucket inventory configurations", func() error {
		return listAll(ctx, func(ctx context.Context, tok *string) (*string, bool, error) {
			out, err := c.ListBucketInventoryConfigurations(ctx, &s3.ListBucketInventoryConfigurationsInput{Bucket: b, ContinuationToken: tok})
			if err != nil {
				return nil, false, err
			}
			r.Inventory = append(r.Inventory, out.InventoryConfigurationList...)
			return out.NextContinuationToken, aws.ToBool(out.IsTruncated), nil
		})
	})
	if err := g.Wait(); err != nil {
		return nil, "", err
	}
	cfg, err := normalize(&r)
	if err != nil {
		return nil, "", err
	}
	return cfg, region, nil
}

// listAll calls a continuation-token list call until it is not truncated.
func listAll(ctx context.Context, call func(ctx context.Context, tok *string) (next *string, truncated bool, err error)) error {
	var tok *string
	for {
		next, truncated, err := call(ctx, tok)
		if err != nil {
			return err
		}
		if !truncated || next == nil {
			return nil
		}
		tok = next
	}
}
