package sns

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sns/types"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/watch"
)

// snsAPI lists the SNS calls the watcher makes.
type snsAPI interface {
	ListTopics(ctx context.Context, in *sns.ListTopicsInput, optFns ...func(*sns.Options)) (*sns.ListTopicsOutput, error)
	GetTopicAttributes(ctx context.Context, in *sns.GetTopicAttributesInput, optFns ...func(*sns.Options)) (*sns.GetTopicAttributesOutput, error)
	ListSubscriptions(ctx context.Context, in *sns.ListSubscriptionsInput, optFns ...func(*sns.Options)) (*sns.ListSubscriptionsOutput, error)
}

// Watcher collects the topics of every region: one ListSubscriptions pass
// (grouped by topic: it replaces a ListSubscriptionsByTopic per topic),
// then ListTopics (100 a page, fixed by SNS) and GetTopicAttributes per
// topic, topics described concurrently and emitted as soon as each is
// complete. A topic deleted between the listing and its describe
// (NotFound) is skipped.
type Watcher struct {
	newClient   func(aws.Config) snsAPI
	concurrency int
}

// NewWatcher returns the sns watcher.
func NewWatcher() *Watcher {
	return &Watcher{newClient: func(c aws.Config) snsAPI { return sns.NewFromConfig(c) }, concurrency: 16}
}

// Technology implements watch.Watcher.
func (w *Watcher) Technology() monkey.Technology { return Technology }

// Collect implements watch.Watcher.
func (w *Watcher) Collect(ctx context.Context, scope watch.Scope) (watch.Result, error) {
	c := watch.NewCollector(scope, Technology)
	acct := scope.Account.Identifier
	awsclient.EachRegion(ctx, scope, c, func(ctx context.Context, cfg aws.Config, region string) error {
		client := w.newClient(cfg)
		subs := map[string][]types.Subscription{}
		sp := sns.NewListSubscriptionsPaginator(client, &sns.ListSubscriptionsInput{})
		for sp.HasMorePages() {
			page, err := sp.NextPage(ctx)
			if err != nil {
				return fmt.Errorf("collect sns %s/%s: list subscriptions: %w", acct, region, err)
			}
			for _, s := range page.Subscriptions {
				t := aws.ToString(s.TopicArn)
				subs[t] = append(subs[t], s)
			}
		}
		tp := sns.NewListTopicsPaginator(client, &sns.ListTopicsInput{})
		err := watch.Paginate(ctx, tp.HasMorePages, func(ctx context.Context) (*sns.ListTopicsOutput, error) {
			return tp.NextPage(ctx)
		}, func(page *sns.ListTopicsOutput) error {
			var arns []string
			for _, t := range page.Topics {
				if arn := aws.ToString(t.TopicArn); !scope.Ignored(topicName(arn)) {
					arns = append(arns, arn)
				}
			}
			return watch.Parallel(ctx, w.concurrency, arns, func(ctx context.Context, arn string) {
				out, err := client.GetTopicAttributes(ctx, &sns.GetTopicAttributesInput{TopicArn: aws.String(arn)})
				if awsclient.ErrorCode(err) == "NotFound" {
					return
				}
				var cfg monkey.Config
				if err == nil {
					cfg, err = normalize(arn, out.Attributes, subs[arn])
				}
				if err != nil {
					c.Fail(region, topicName(arn), fmt.Errorf("collect sns %s/%s/%s: %w", acct, region, topicName(arn), err))
					return
				}
				c.Emit(region, topicName(arn), arn, cfg)
			})
		})
		if err != nil {
			return fmt.Errorf("collect sns %s/%s: list topics: %w", acct, region, err)
		}
		return nil
	})
	return c.Result(), nil
}

// topicName is the sixth field of a topic ARN (the whole name, .fifo
// included: the reference's pattern truncated it).
func topicName(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 {
		return arn
	}
	return parts[5]
}
