package virtualgateway

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/watch"
)

// ec2API is the one EC2 call the watcher makes.
type ec2API interface {
	DescribeVpnGateways(ctx context.Context, in *ec2.DescribeVpnGatewaysInput, optFns ...func(*ec2.Options)) (*ec2.DescribeVpnGatewaysOutput, error)
}

// Watcher collects the virtual private gateways of every region with
// DescribeVpnGateways (every gateway of a region in one reply: the API does
// not page).
type Watcher struct {
	newClient func(aws.Config) ec2API
}

// Option configures a Watcher.
type Option func(*Watcher)

// NewWatcher returns the virtual_gateway watcher.
func NewWatcher(opts ...Option) *Watcher {
	w := &Watcher{newClient: func(c aws.Config) ec2API { return ec2.NewFromConfig(c) }}
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
		out, err := w.newClient(cfg).DescribeVpnGateways(ctx, &ec2.DescribeVpnGatewaysInput{})
		if err != nil {
			return fmt.Errorf("collect virtual_gateway %s/%s: describe vpn gateways: %w", acct, region, err)
		}
		for i := range out.VpnGateways {
			g := &out.VpnGateways[i]
			name := aws.ToString(g.VpnGatewayId)
			if name == "" || scope.Ignored(name) {
				continue
			}
			c.Emit(region, name, "", normalize(g))
		}
		return nil
	})
	return c.Result(), nil
}
