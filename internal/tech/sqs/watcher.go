package sqs

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"golang.org/x/sync/errgroup"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/watch"
)

// sqsAPI lists the SQS calls the watcher makes.
type sqsAPI interface {
	ListQueues(ctx context.Context, in *sqs.ListQueuesInput, optFns ...func(*sqs.Options)) (*sqs.ListQueuesOutput, error)
	GetQueueAttributes(ctx context.Context, in *sqs.GetQueueAttributesInput, optFns ...func(*sqs.Options)) (*sqs.GetQueueAttributesOutput, error)
	ListQueueTags(ctx context.Context, in *sqs.ListQueueTagsInput, optFns ...func(*sqs.Options)) (*sqs.ListQueueTagsOutput, error)
	ListDeadLetterSourceQueues(ctx context.Context, in *sqs.ListDeadLetterSourceQueuesInput, optFns ...func(*sqs.Options)) (*sqs.ListDeadLetterSourceQueuesOutput, error)
}

// Watcher collects the queues of every region: ListQueues in pages of
// 1,000, then per queue GetQueueAttributes(All), ListQueueTags and
// ListDeadLetterSourceQueues at once (SQS has no batch describe), queues
// described concurrently and emitted as soon as each is complete. A queue
// deleted between the listing and its describe (NonExistentQueue) is
// skipped; any other failed describe is an item failure.
type Watcher struct {
	newClient   func(aws.Config) sqsAPI
	concurrency int
}

// NewWatcher returns the sqs watcher.
func NewWatcher() *Watcher {
	return &Watcher{newClient: func(c aws.Config) sqsAPI { return sqs.NewFromConfig(c) }, concurrency: 16}
}

// Technology implements watch.Watcher.
func (w *Watcher) Technology() monkey.Technology { return Technology }

// Collect implements watch.Watcher.
func (w *Watcher) Collect(ctx context.Context, scope watch.Scope) (watch.Result, error) {
	c := watch.NewCollector(scope, Technology)
	awsclient.EachRegion(ctx, scope, c, func(ctx context.Context, cfg aws.Config, region string) error {
		client := w.newClient(cfg)
		p := sqs.NewListQueuesPaginator(client, &sqs.ListQueuesInput{MaxResults: aws.Int32(1000)})
		err := watch.Paginate(ctx, p.HasMorePages, func(ctx context.Context) (*sqs.ListQueuesOutput, error) {
			return p.NextPage(ctx)
		}, func(page *sqs.ListQueuesOutput) error {
			var urls []string
			for _, u := range page.QueueUrls {
				if !scope.Ignored(queueName(u)) {
					urls = append(urls, u)
				}
			}
			return watch.Parallel(ctx, w.concurrency, urls, func(ctx context.Context, u string) {
				cfg, err := describe(ctx, client, u, region)
				switch {
				case isGone(err):
				case err != nil:
					c.Fail(region, queueName(u), fmt.Errorf("collect sqs %s/%s/%s: %w", scope.Account.Identifier, region, queueName(u), err))
				default:
					c.Emit(region, cfg["Name"].(string), cfg["Arn"].(string), cfg)
				}
			})
		})
		if err != nil {
			return fmt.Errorf("collect sqs %s/%s: list queues: %w", scope.Account.Identifier, region, err)
		}
		return nil
	})
	return c.Result(), nil
}

// queueName is the last segment of a queue URL.
func queueName(u string) string { return u[strings.LastIndexByte(u, '/')+1:] }

func isGone(err error) bool {
	switch awsclient.ErrorCode(err) {
	case "AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist":
		return true
	}
	return false
}

// describe reads the three per-queue calls at once and normalises them.
func describe(ctx context.Context, client sqsAPI, u, region string) (monkey.Config, error) {
	r := raw{URL: u, Region: region}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		out, err := client.GetQueueAttributes(gctx, &sqs.GetQueueAttributesInput{
			QueueUrl: aws.String(u), AttributeNames: []types.QueueAttributeName{types.QueueAttributeNameAll}})
		if err != nil {
			return fmt.Errorf("get queue attributes: %w", err)
		}
		r.Attributes = out.Attributes
		return nil
	})
	g.Go(func() error {
		out, err := client.ListQueueTags(gctx, &sqs.ListQueueTagsInput{QueueUrl: aws.String(u)})
		if err != nil {
			return fmt.Errorf("list queue tags: %w", err)
		}
		r.Tags = out.Tags
		return nil
	})
	g.Go(func() error {
		p := sqs.NewListDeadLetterSourceQueuesPaginator(client, &sqs.ListDeadLetterSourceQueuesInput{
			QueueUrl: aws.String(u), MaxResults: aws.Int32(1000)})
		for p.HasMorePages() {
			out, err := p.NextPage(gctx)
			if err != nil {
				return fmt.Errorf("list dead letter source queues: %w", err)
			}
			r.DeadLetterSources = append(r.DeadLetterSources, out.QueueUrls...)
		}
		return nil
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return normalize(&r)
}
