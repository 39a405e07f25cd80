package awsclient

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/watch"
)

// Session is the AWS access of one watched account, the watch.Session of
// AWS scopes: credentials acting inside the account, the partition, and the
// enabled regions (resolved on first use, once per account for a while, so
// that a technology that needs no region list never asks for one).
type Session struct {
	// Config acts inside the account in the default region.
	Config    aws.Config
	Partition string
	regions   func(ctx context.Context) ([]string, error)
}

// Cloud implements watch.Session.
func (s *Session) Cloud() string { return monkey.CloudAWS }

// NewSession builds a session from a configuration; regions lists the
// enabled regions (nil: ask ec2:DescribeRegions with cfg on first use).
// Tests build sessions on fakes with it.
func NewSession(cfg aws.Config, partition string, regions []string) *Session {
	s := &Session{Config: cfg, Partition: partition}
	if partition == "" {
		s.Partition = "aws"
	}
	if regions != nil {
		rs := slices.Clone(regions)
		s.regions = func(context.Context) ([]string, error) { return rs, nil }
	} else {
		var rc regionCache
		s.regions = func(ctx context.Context) ([]string, error) {
			return rc.get(ctx, func(ctx context.Context) ([]string, error) { return Regions(ctx, ec2.NewFromConfig(cfg)) })
		}
	}
	return s
}

// regionCache remembers a region list once it was listed successfully; a
// failed listing is not remembered, so the next caller tries again.
type regionCache struct {
	mu      sync.Mutex
	regions []string
	at      time.Time
}

// regionTTL is how long a listed region set is reused: regions are opted in
// rarely, and every regional technology of an account needs the list.
const regionTTL = 15 * time.Minute

func (c *regionCache) get(ctx context.Context, list func(context.Context) ([]string, error)) ([]string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.regions != nil && time.Since(c.at) < regionTTL {
		return c.regions, nil
	}
	rs, err := list(ctx)
	if err != nil {
		return nil, err
	}
	c.regions, c.at = rs, time.Now()
	return rs, nil
}

// Regions returns the enabled regions of the account, sorted.
func (s *Session) Regions(ctx context.Context) ([]string, error) {
	if s.regions == nil {
		return nil, fmt.Errorf("no region source")
	}
	return s.regions(ctx)
}

// ForRegion returns the session's configuration in region.
func (s *Session) ForRegion(region string) aws.Config {
	cfg := s.Config.Copy()
	cfg.Region = region
	return cfg
}

// DefaultRegion is the region of the session's configuration.
func (s *Session) DefaultRegion() string {
	if s.Config.Region == "" {
		return DefaultRegion
	}
	return s.Config.Region
}

// SessionOf returns the AWS session of a scope.
func SessionOf(scope watch.Scope) (*Session, error) {
	return watch.SessionAs[*Session](scope)
}

// EachRegion runs fn in every enabled region of the scope's account, at
// most scope.RegionConcurrency at a time, with the session's configuration
// for that region; a region whose fn fails is recorded as a region failure
// in c, and when the regions cannot be listed the whole account fails.
func EachRegion(ctx context.Context, scope watch.Scope, c *watch.Collector, fn func(ctx context.Context, cfg aws.Config, region string) error) {
	s, err := SessionOf(scope)
	if err != nil {
		c.Fail("", "", err)
		return
	}
	regions, err := s.Regions(ctx)
	if err != nil {
		c.Fail("", "", fmt.Errorf("list regions of %s: %w", scope.Account.Identifier, err))
		return
	}
	watch.ForEachRegion(ctx, scope, c, regions, func(ctx context.Context, region string) error {
		return fn(ctx, s.ForRegion(region), region)
	})
}
