package networkinterface

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
	DescribeNetworkInterfaces(ctx context.Context, in *ec2.DescribeNetworkInterfacesInput, optFns ...func(*ec2.Options)) (*ec2.DescribeNetworkInterfacesOutput, error)
}

// Watcher collects the network interfaces of the account's default region
// with DescribeNetworkInterfaces, 1,000 a page, and stores them with region
// universal — the reference's scope (technologies.md A.24), kept so that
// items keep their identity; other regions are not scanned.
type Watcher struct {
	newClient func(aws.Config) ec2API
}

// Option configures a Watcher.
type Option func(*Watcher)

// NewWatcher returns the networkinterface watcher.
func NewWatcher(opts ...Option) *Watcher {
	w := &Watcher{newClient: func(c aws.Config) ec2API { return ec2.NewFromConfig(c) }}
	for _, o := range opts {
		o(w)
	}
	return w
}

// Technology implements watch.Watcher.
func (w *Watcher) Technology() monkey.Technology { return Technology }

// Collect implements watch.Watcher: a failed listing fails the whole
// account (never fewer items). No region list is needed.
func (w *Watcher) Collect(ctx context.Context, scope watch.Scope) (watch.Result, error) {
	sess, err := awsclient.SessionOf(scope)
	if err != nil {
		return watch.Result{}, err
	}
	c := watch.NewCollector(scope, Technology)
	p := ec2.NewDescribeNetworkInterfacesPaginator(w.newClient(sess.Config), &ec2.DescribeNetworkInterfacesInput{MaxResults: aws.Int32(1000)})
	err = watch.Paginate(ctx, p.HasMorePages, func(ctx context.Context) (*ec2.DescribeNetworkInterfacesOutput, error) {
		return p.NextPage(ctx)
	}, func(page *ec2.DescribeNetworkInterfacesOutput) error {
		for i := range page.NetworkInterfaces {
			e := &page.NetworkInterfaces[i]
			id := aws.ToString(e.NetworkInterfaceId)
			if id == "" || scope.Ignored(id) {
				continue
			}
			c.Emit(watch.Universal, id, "", normalize(e))
		}
		return nil
	})
	if err != nil {
		c.Fail("", "", fmt.Errorf("collect networkinterface %s/%s: describe network interfaces: %w", scope.Account.Identifier, sess.DefaultRegion(), err))
	}
	return c.Result(), nil
}
