package apigateway

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/watch"
)

// apigatewayAPI lists the API Gateway calls the watcher makes.
type apigatewayAPI interface {
	GetRestApis(ctx context.Context, in *apigateway.GetRestApisInput, optFns ...func(*apigateway.Options)) (*apigateway.GetRestApisOutput, error)
}

// Watcher collects the REST APIs of every region with GetRestApis alone
// (pages of 500, the maximum): each entry carries the resource policy and
// the tags, so no per-API call.
type Watcher struct {
	newClient func(aws.Config) apigatewayAPI
}

// NewWatcher returns the apigateway watcher.
func NewWatcher() *Watcher {
	return &Watcher{newClient: func(c aws.Config) apigatewayAPI { return apigateway.NewFromConfig(c) }}
}

// Technology implements watch.Watcher.
func (w *Watcher) Technology() monkey.Technology { return Technology }

// Collect implements watch.Watcher.
func (w *Watcher) Collect(ctx context.Context, scope watch.Scope) (watch.Result, error) {
	sess, err := awsclient.SessionOf(scope)
	if err != nil {
		return watch.Result{}, err
	}
	c := watch.NewCollector(scope, Technology)
	acct := scope.Account.Identifier
	awsclient.EachRegion(ctx, scope, c, func(ctx context.Context, cfg aws.Config, region string) error {
		client := w.newClient(cfg)
		p := apigateway.NewGetRestApisPaginator(client, &apigateway.GetRestApisInput{Limit: aws.Int32(500)})
		err := watch.Paginate(ctx, p.HasMorePages, func(ctx context.Context) (*apigateway.GetRestApisOutput, error) {
			return p.NextPage(ctx)
		}, func(page *apigateway.GetRestApisOutput) error {
			for k := range page.Items {
				api := &page.Items[k]
				name := itemName(api)
				if scope.Ignored(aws.ToString(api.Name)) {
					continue
				}
				arn := "arn:" + sess.Partition + ":apigateway:" + region + "::/restapis/" + aws.ToString(api.Id)
				cfg, err := normalize(api, arn)
				if err != nil {
					c.Fail(region, name, fmt.Errorf("collect apigateway %s/%s/%s: %w", acct, region, name, err))
					continue
				}
				c.Emit(region, name, arn, cfg)
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("collect apigateway %s/%s: get rest apis: %w", acct, region, err)
		}
		return nil
	})
	return c.Result(), nil
}
