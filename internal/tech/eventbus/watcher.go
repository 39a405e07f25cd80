package eventbus

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/watch"
)

// eventsAPI lists the EventBridge calls the watcher makes.
type eventsAPI interface {
	ListEventBuses(ctx context.Context, in *eventbridge.ListEventBusesInput, optFns ...func(*eventbridge.Options)) (*eventbridge.ListEventBusesOutput, error)
}

// Watcher collects the event buses of every region with ListEventBuses
// alone (pages of 100, the maximum): each entry carries the bus policy, so
// no DescribeEventBus per bus.
type Watcher struct {
	newClient func(aws.Config) eventsAPI
}

// NewWatcher returns the eventbus watcher.
func NewWatcher() *Watcher {
	return &Watcher{newClient: func(c aws.Config) eventsAPI { return eventbridge.NewFromConfig(c) }}
}

// Technology implements watch.Watcher.
func (w *Watcher) Technology() monkey.Technology { return Technology }

// Collect implements watch.Watcher.
func (w *Watcher) Collect(ctx context.Context, scope watch.Scope) (watch.Result, error) {
	c := watch.NewCollector(scope, Technology)
	acct := scope.Account.Identifier
	awsclient.EachRegion(ctx, scope, c, func(ctx context.Context, cfg aws.Config, region string) error {
		client := w.newClient(cfg)
		err := watch.Tokens(ctx, func(ctx context.Context, token *string) (*eventbridge.ListEventBusesOutput, *string, error) {
			out, err := client.ListEventBuses(ctx, &eventbridge.ListEventBusesInput{Limit: aws.Int32(100), NextToken: token})
			if err != nil {
				return nil, nil, err
			}
			return out, out.NextToken, nil
		}, func(page *eventbridge.ListEventBusesOutput) error {
			for k := range page.EventBuses {
				b := &page.EventBuses[k]
				name := aws.ToString(b.Name)
				if scope.Ignored(name) {
					continue
				}
				cfg, err := normalize(b)
				if err != nil {
					c.Fail(region, name, fmt.Errorf("collect eventbus %s/%s/%s: %w", acct, region, name, err))
					continue
				}
				c.Emit(region, name, aws.ToString(b.Arn), cfg)
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("collect eventbus %s/%s: list event buses: %w", acct, region, err)
		}
		return nil
	})
	return c.Result(), nil
}
