package connection

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/watch"
)

// dxAPI is the one Direct Connect call the watcher makes.
type dxAPI interface {
	DescribeConnections(ctx context.Context, in *directconnect.DescribeConnectionsInput, optFns ...func(*directconnect.Options)) (*directconnect.DescribeConnectionsOutput, error)
}

// Watcher collects the Direct Connect connections of every region with
// DescribeConnections: without maxResults a region's connections come in
// one reply; a nextToken, if AWS ever sends one, is followed.
type Watcher struct {
	newClient func(aws.Config) dxAPI
}

// Option configures a Watcher.
type Option func(*Watcher)

// NewWatcher returns the connection watcher.
func NewWatcher(opts ...Option) *Watcher {
	w := &Watcher{newClient: func(c aws.Config) dxAPI { return directconnect.NewFromConfig(c) }}
	for _, o := range opts {
		o(w)
	}
	return w
}

// Technology implements watch.Watcher.
func (w *Watcher) Technology() monkey.Technology { return Technology }

// Collect implements watch.Watcher: a region whose listing fails is a
// region failure.
func (w *Watcher) Collect(ctx context.Context, scope watch.Scope) (watch.Result, error) {
	c := watch.NewCollector(scope, Technology)
	acct := scope.Account.Identifier
	awsclient.EachRegion(ctx, scope, c, func(ctx context.Context, cfg aws.Config, region string) error {
		client := w.newClient(cfg)
		err := watch.Tokens(ctx, func(ctx context.Context, token *string) (*directconnect.DescribeConnectionsOutput, *string, error) {
			out, err := client.DescribeConnections(ctx, &directconnect.DescribeConnectionsInput{NextToken: token})
			if err != nil {
				return nil, nil, err
			}
			return out, out.NextToken, nil
		}, func(out *directconnect.DescribeConnectionsOutput) error {
			for i := range out.Connections {
				conn := &out.Connections[i]
				name := aws.ToString(conn.ConnectionName)
				if name == "" || scope.Ignored(name) {
					continue
				}
				c.Emit(region, name, "", normalize(conn))
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("collect connection %s/%s: describe connections: %w", acct, region, err)
		}
		return nil
	})
	return c.Result(), nil
}
