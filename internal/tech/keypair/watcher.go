package keypair

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
	DescribeKeyPairs(ctx context.Context, in *ec2.DescribeKeyPairsInput, optFns ...func(*ec2.Options)) (*ec2.DescribeKeyPairsOutput, error)
}

// Watcher collects the key pairs of every region with DescribeKeyPairs
// (every key pair of a region in one reply).
type Watcher struct {
	newClient func(aws.Config) ec2API
}

// Option configures a Watcher.
type Option func(*Watcher)

// NewWatcher returns the keypair watcher.
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
	sess, err := awsclient.SessionOf(scope)
	if err != nil {
		return watch.Result{}, err
	}
	c := watch.NewCollector(scope, Technology)
	acct := scope.Account.Identifier
	awsclient.EachRegion(ctx, scope, c, func(ctx context.Context, cfg aws.Config, region string) error {
		out, err := w.newClient(cfg).DescribeKeyPairs(ctx, &ec2.DescribeKeyPairsInput{})
		if err != nil {
			return fmt.Errorf("collect keypair %s/%s: describe key pairs: %w", acct, region, err)
		}
		for i := range out.KeyPairs {
			k := &out.KeyPairs[i]
			name := aws.ToString(k.KeyName)
			if name == "" || scope.Ignored(name) {
				continue
			}
			arn := keyARN(sess.Partition, region, acct, name)
			c.Emit(region, name, arn, normalize(k, arn))
		}
		return nil
	})
	return c.Result(), nil
}
