package config

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
	DescribeConfigRules(ctx context.Context, in *configservice.DescribeConfigRulesInput, optFns ...func(*configservice.Options)) (*configservice.DescribeConfigRulesOutput, error)
}

// Watcher collects the Config rules of every region (the reference read
// only the default region; technologies.md A.47 asks for every region):
// DescribeConfigRules, whose pages AWS fixes at 25 rules, nothing else.
type Watcher struct {
	newClient func(aws.Config) configAPI
}

// NewWatcher returns the config watcher.
func NewWatcher() *Watcher {
	return &Watcher{newClient: func(c aws.Config) configAPI { return configservice.NewFromConfig(c) }}
}

// Technology implements watch.Watcher.
func (w *Watcher) Technology() monkey.Technology { return Technology }

// Collect implements watch.Watcher. A region whose listing fails is a
// region failure; the ignore list is tested against ConfigRuleName.
func (w *Watcher) Collect(ctx context.Context, scope watch.Scope) (watch.Result, error) {
	c := watch.NewCollector(scope, Technology)
	awsclient.EachRegion(ctx, scope, c, func(ctx context.Context, cfg aws.Config, region string) error {
		p := configservice.NewDescribeConfigRulesPaginator(w.newClient(cfg), &configservice.DescribeConfigRulesInput{})
		err := watch.Paginate(ctx, p.HasMorePages, func(ctx context.Context) (*configservice.DescribeConfigRulesOutput, error) {
			return p.NextPage(ctx)
		}, func(page *configservice.DescribeConfigRulesOutput) error {
			for k := range page.ConfigRules {
				r := &page.ConfigRules[k]
				name := aws.ToString(r.ConfigRuleName)
				if scope.Ignored(name) {
					continue
				}
				c.Emit(region, name, aws.ToString(r.ConfigRuleArn), normalize(r))
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("collect config %s/%s: describe config rules: %w", scope.Account.Identifier, region, err)
		}
		return nil
	})
	return c.Result(), nil
}
