package configrecorder

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/configservice"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/watch"
)

// configAPI lists the AWS Config calls the watcher makes.
type configAPI interface {
	DescribeConfigurationRecorders(ctx context.Context, in *configservice.DescribeConfigurationRecordersInput, optFns ...func(*configservice.Options)) (*configservice.DescribeConfigurationRecordersOutput, error)
}

// Watcher collects the configuration recorders of every region with one
// DescribeConfigurationRecorders per region (every recorder in one reply).
type Watcher struct {
	newClient func(aws.Config) configAPI
}

// NewWatcher returns the configrecorder watcher.
func NewWatcher() *Watcher {
	return &Watcher{newClient: func(c aws.Config) configAPI { return configservice.NewFromConfig(c) }}
}

// Technology implements watch.Watcher.
func (w *Watcher) Technology() monkey.Technology { return Technology }

// Collect implements watch.Watcher. A region whose call fails is a region
// failure; the ignore list is tested against the recorder name. No ARN is
// stored (technologies.md A.48).
func (w *Watcher) Collect(ctx context.Context, scope watch.Scope) (watch.Result, error) {
	c := watch.NewCollector(scope, Technology)
	awsclient.EachRegion(ctx, scope, c, func(ctx context.Context, cfg aws.Config, region string) error {
		out, err := w.newClient(cfg).DescribeConfigurationRecorders(ctx, &configservice.DescribeConfigurationRecordersInput{})
		if err != nil {
			return fmt.Errorf("collect configrecorder %s/%s: describe configuration recorders: %w", scope.Account.Identifier, region, err)
		}
		for k := range out.ConfigurationRecorders {
			r := &out.ConfigurationRecorders[k]
			name := aws.ToString(r.Name)
			if scope.Ignored(name) {
				continue
			}
			c.Emit(region, name, "", normalize(r))
		}
		return nil
	})
	return c.Result(), nil
}
