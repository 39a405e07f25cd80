package vpn

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
	DescribeVpnConnections(ctx context.Context, in *ec2.DescribeVpnConnectionsInput, optFns ...func(*ec2.Options)) (*ec2.DescribeVpnConnectionsOutput, error)
}

// Watcher collects the VPN connections of every region with
// DescribeVpnConnections (every connection of a region in one reply: the
// API does not page). The reference scanned the default region only
// (docs/decisions.md).
type Watcher struct {
	newClient func(aws.Config) ec2API
}

// Option configures a Watcher.
type Option func(*Watcher)

// NewWatcher returns the vpn watcher.
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
		out, err := w.newClient(cfg).DescribeVpnConnections(ctx, &ec2.DescribeVpnConnectionsInput{})
		if err != nil {
			return fmt.Errorf("collect vpn %s/%s: describe vpn connections: %w", acct, region, err)
		}
		for i := range out.VpnConnections {
			v := &out.VpnConnections[i]
			name := itemName(v)
			if aws.ToString(v.VpnConnectionId) == "" || scope.Ignored(name) {
				continue
			}
			arn := vpnARN(region, acct, aws.ToString(v.VpnConnectionId))
			c.Emit(region, name, arn, normalize(v, arn))
		}
		return nil
	})
	return c.Result(), nil
}
