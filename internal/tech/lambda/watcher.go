package lambda

import (
	"context"
	"fmt"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"golang.org/x/sync/errgroup"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/watch"
)

// lambdaAPI lists the Lambda calls the watcher makes.
type lambdaAPI interface {
	ListFunctions(ctx context.Context, in *lambda.ListFunctionsInput, optFns ...func(*lambda.Options)) (*lambda.ListFunctionsOutput, error)
	ListAliases(ctx context.Context, in *lambda.ListAliasesInput, optFns ...func(*lambda.Options)) (*lambda.ListAliasesOutput, error)
	ListVersionsByFunction(ctx context.Context, in *lambda.ListVersionsByFunctionInput, optFns ...func(*lambda.Options)) (*lambda.ListVersionsByFunctionOutput, error)
	ListEventSourceMappings(ctx context.Context, in *lambda.ListEventSourceMappingsInput, optFns ...func(*lambda.Options)) (*lambda.ListEventSourceMappingsOutput, error)
	ListTags(ctx context.Context, in *lambda.ListTagsInput, optFns ...func(*lambda.Options)) (*lambda.ListTagsOutput, error)
	GetPolicy(ctx context.Context, in *lambda.GetPolicyInput, optFns ...func(*lambda.Options)) (*lambda.GetPolicyOutput, error)
}

// Watcher collects the functions of every region: ListFunctions (pages of
// 50, the maximum; it returns the whole configuration, so no
// GetFunctionConfiguration), then per function ListAliases,
// ListVersionsByFunction, ListEventSourceMappings, ListTags and GetPolicy
// at once, then GetPolicy of every alias and published version at once
// (ResourceNotFoundException: no policy).
type Watcher struct {
	newClient   func(aws.Config) lambdaAPI
	concurrency int
}

// NewWatcher returns the lambda watcher.
func NewWatcher() *Watcher {
	return &Watcher{newClient: func(c aws.Config) lambdaAPI { return lambda.NewFromConfig(c) }, concurrency: 16}
}

// Technology implements watch.Watcher.
func (w *Watcher) Technology() monkey.Technology { return Technology }

// Collect implements watch.Watcher.
func (w *Watcher) Collect(ctx context.Context, scope watch.Scope) (watch.Result, error) {
	c := watch.NewCollector(scope, Technology)
	acct := scope.Account.Identifier
	awsclient.EachRegion(ctx, scope, c, func(ctx context.Context, cfg aws.Config, region string) error {
		client := w.newClient(cfg)
		p := lambda.NewListFunctionsPaginator(client, &lambda.ListFunctionsInput{MaxItems: aws.Int32(50)})
		err := watch.Paginate(ctx, p.HasMorePages, func(ctx context.Context) (*lambda.ListFunctionsOutput, error) {
			return p.NextPage(ctx)
		}, func(page *lambda.ListFunctionsOutput) error {
			var fns []*types.FunctionConfiguration
			for k := range page.Functions {
				if !scope.Ignored(aws.ToString(page.Functions[k].FunctionName)) {
					fns = append(fns, &page.Functions[k])
				}
			}
			return watch.Parallel(ctx, w.concurrency, fns, func(ctx context.Context, fn *types.FunctionConfiguration) {
				name := aws.ToString(fn.FunctionName)
				cfg, err := describe(ctx, client, fn)
				if err != nil {
					c.Fail(region, name, fmt.Errorf("collect lambda %s/%s/%s: %w", acct, region, name, err))
					return
				}
				c.Emit(region, name, aws.ToString(fn.FunctionArn), cfg)
			})
		})
		if err != nil {
			return fmt.Errorf("collect lambda %s/%s: list functions: %w", acct, region, err)
		}
		return nil
	})
	return c.Result(), nil
}

// describe reads what ListFunctions does not return about fn.
func describe(ctx context.Context, client lambdaAPI, fn *types.FunctionConfiguration) (monkey.Config, error) {
	name := fn.FunctionName
	r := raw{Function: fn, Policies: map[string]string{}}
	var mu sync.Mutex
	policy := func(ctx context.Context, qualifier string) error {
		in := &lambda.GetPolicyInput{FunctionName: name}
		if qualifier != "" {
			in.Qualifier = aws.String(qualifier)
		}
		out, err := client.GetPolicy(ctx, in)
		if awsclient.ErrorCode(err) == "ResourceNotFoundException" {
			return nil
		}
		if err != nil {
			return fmt.Errorf("get policy %q: %w", qualifier, err)
		}
		mu.Lock()
		r.Policies[qualifier] = aws.ToString(out.Policy)
		mu.Unlock()
		return nil
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		p := lambda.NewListAliasesPaginator(client, &lambda.ListAliasesInput{FunctionName: name, MaxItems: aws.Int32(10000)})
		for p.HasMorePages() {
			out, err := p.NextPage(gctx)
			if err != nil {
				return fmt.Errorf("list aliases: %w", err)
			}
			r.Aliases = append(r.Aliases, out.Aliases...)
		}
		return nil
	})
	g.Go(func() error {
		p := lambda.NewListVersionsByFunctionPaginator(client, &lambda.ListVersionsByFunctionInput{FunctionName: name, MaxItems: aws.Int32(10000)})
		for p.HasMorePages() {
			out, err := p.NextPage(gctx)
			if err != nil {
				return fmt.Errorf("list versions by function: %w", err)
			}
			r.Versions = append(r.Versions, out.Versions...)
		}
		return nil
	})
	g.Go(func() error {
		p := lambda.NewListEventSourceMappingsPaginator(client, &lambda.ListEventSourceMappingsInput{FunctionName: name, MaxItems: aws.Int32(10000)})
		for p.HasMorePages() {
			out, err := p.NextPage(gctx)
			if err != nil {
				return fmt.Errorf("list event source mappings: %w", err)
			}
			r.Mappings = append(r.Mappings, out.EventSourceMappings...)
		}
		return nil
	})
	g.Go(func() error {
		out, err := client.ListTags(gctx, &lambda.ListTagsInput{Resource: fn.FunctionArn})
		if err != nil {
			return fmt.Errorf("list tags: %w", err)
		}
		r.Tags = out.Tags
		return nil
	})
	g.Go(func() error { return policy(gctx, "") })
	if err := g.Wait(); err != nil {
		return nil, err
	}
	g, gctx = errgroup.WithContext(ctx)
	for _, a := range r.Aliases {
		g.Go(func() error { return policy(gctx, aws.ToString(a.Name)) })
	}
	for _, v := range r.Versions {
		if q := aws.ToString(v.Version); q != "$LATEST" {
			g.Go(func() error { return policy(gctx, q) })
		}
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return normalize(&r)
}
