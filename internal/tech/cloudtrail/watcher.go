package cloudtrail

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/watch"
)

// cloudTrailAPI lists the CloudTrail calls the watcher makes.
type cloudTrailAPI interface {
	DescribeTrails(ctx context.Context, in *cloudtrail.DescribeTrailsInput, optFns ...func(*cloudtrail.Options)) (*cloudtrail.DescribeTrailsOutput, error)
	GetTrailStatus(ctx context.Context, in *cloudtrail.GetTrailStatusInput, optFns ...func(*cloudtrail.Options)) (*cloudtrail.GetTrailStatusOutput, error)
}

// Watcher collects the trails of every region: DescribeTrails once per
// region (everything in one reply), keeping the trails whose home is that
// region — so a multi-region trail, listed by every region, is stored once
// — then GetTrailStatus per trail, trails at once.
//
// Shadow trails are listed (DescribeTrails' default) rather than asked
// away with includeShadowTrails=false: in a member account an organization
// trail is only ever a shadow, and would not be seen at all.
type Watcher struct {
	newClient   func(aws.Config) cloudTrailAPI
	concurrency int
}

// NewWatcher returns the cloudtrail watcher.
func NewWatcher() *Watcher {
	return &Watcher{newClient: func(c aws.Config) cloudTrailAPI { return cloudtrail.NewFromConfig(c) }, concurrency: 16}
}

// Technology implements watch.Watcher.
func (w *Watcher) Technology() monkey.Technology { return Technology }

// Collect implements watch.Watcher. A region whose listing fails is a
// region failure; a trail whose status cannot be read is an item failure
// (the reference stored trail_status "" instead, which read as "disabled");
// the ignore list is tested against the trail name.
func (w *Watcher) Collect(ctx context.Context, scope watch.Scope) (watch.Result, error) {
	c := watch.NewCollector(scope, Technology)
	acct := scope.Account.Identifier
	awsclient.EachRegion(ctx, scope, c, func(ctx context.Context, cfg aws.Config, region string) error {
		client := w.newClient(cfg)
		out, err := client.DescribeTrails(ctx, &cloudtrail.DescribeTrailsInput{})
		if err != nil {
			return fmt.Errorf("collect cloudtrail %s/%s: describe trails: %w", acct, region, err)
		}
		var trails []*types.Trail
		for k := range out.TrailList {
			t := &out.TrailList[k]
			if aws.ToString(t.HomeRegion) == region && !scope.Ignored(aws.ToString(t.Name)) {
				trails = append(trails, t)
			}
		}
		return watch.Parallel(ctx, w.concurrency, trails, func(ctx context.Context, t *types.Trail) {
			name := aws.ToString(t.Name)
			st, err := client.GetTrailStatus(ctx, &cloudtrail.GetTrailStatusInput{Name: t.TrailARN})
			if err != nil {
				c.Fail(region, name, fmt.Errorf("collect cloudtrail %s/%s/%s: get trail status: %w", acct, region, name, err))
				return
			}
			c.Emit(region, name, aws.ToString(t.TrailARN), normalize(t, aws.ToBool(st.IsLogging)))
		})
	})
	return c.Result(), nil
}
