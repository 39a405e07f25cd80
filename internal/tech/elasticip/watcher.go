package elasticip

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/watch"
)

// ec2API lists the EC2 calls the watcher makes.
type ec2API interface {
	DescribeAddresses(ctx context.Context, in *ec2.DescribeAddressesInput, optFns ...func(*ec2.Options)) (*ec2.DescribeAddressesOutput, error)
	DescribeTags(ctx context.Context, in *ec2.DescribeTagsInput, optFns ...func(*ec2.Options)) (*ec2.DescribeTagsOutput, error)
}

// maxFilterValues is EC2's limit on the values of one call's filters.
const maxFilterValues = 200

// Watcher collects the Elastic IPs of every region: DescribeAddresses
// (every address in one reply) and, for the Name tags of the associated
// instances, DescribeTags filtered on those instances and the key Name, 200
// instances a call, at once — not the reference's every tag of the region.
type Watcher struct {
	newClient func(aws.Config) ec2API
}

// Option configures a Watcher.
type Option func(*Watcher)

// withClient replaces the EC2 client factory (tests).
func withClient(f func(aws.Config) ec2API) Option { return func(w *Watcher) { w.newClient = f } }

// NewWatcher returns the elasticip watcher.
func NewWatcher(opts ...Option) *Watcher {
	w := &Watcher{newClient: func(c aws.Config) ec2API { return ec2.NewFromConfig(c) }}
	for _, o := range opts {
		o(w)
	}
	return w
}

// Technology implements watch.Watcher.
func (w *Watcher) Technology() monkey.Technology { return Technology }

// Collect implements watch.Watcher: a failure of either call fails its
// region. The ignore list is tested against the public address and the
// associated instance's Name tag.
func (w *Watcher) Collect(ctx context.Context, scope watch.Scope) (watch.Result, error) {
	c := watch.NewCollector(scope, Technology)
	acct := scope.Account.Identifier
	awsclient.EachRegion(ctx, scope, c, func(ctx context.Context, cfg aws.Config, region string) error {
		client := w.newClient(cfg)
		out, err := client.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{})
		if err != nil {
			return fmt.Errorf("collect elasticip %s/%s: describe addresses: %w", acct, region, err)
		}
		var instances []string
		for _, a := range out.Addresses {
			if id := aws.ToString(a.InstanceId); id != "" && !scope.Ignored(aws.ToString(a.PublicIp)) {
				instances = append(instances, id)
			}
		}
		names, err := nameTags(ctx, client, instances)
		if err != nil {
			return fmt.Errorf("collect elasticip %s/%s: describe tags: %w", acct, region, err)
		}
		for i := range out.Addresses {
			a := &out.Addresses[i]
			ip := aws.ToString(a.PublicIp)
			if ip == "" || scope.Ignored(ip) {
				continue
			}
			var assigned any
			if n, ok := names[aws.ToString(a.InstanceId)]; ok {
				if scope.Ignored(n) {
					continue
				}
				assigned = n
			}
			c.Emit(region, ip, "", normalize(a, assigned))
		}
		return nil
	})
	return c.Result(), nil
}

// nameTags returns the Name tag of each instance that has one: DescribeTags
// filtered on resource-id (200 a call, the calls at once), key Name and
// resource-type instance.
func nameTags(ctx context.Context, client ec2API, instances []string) (map[string]string, error) {
	slices.Sort(instances)
	instances = slices.Compact(instances)
	var chunks [][]string
	for len(instances) > 0 {
		n := min(len(instances), maxFilterValues)
		chunks = append(chunks, instances[:n])
		instances = instances[n:]
	}
	names := map[string]string{}
	var mu sync.Mutex
	var errs []error
	err := watch.Parallel(ctx, len(chunks), chunks, func(ctx context.Context, ids []string) {
		p := ec2.NewDescribeTagsPaginator(client, &ec2.DescribeTagsInput{Filters: []types.Filter{
			{Name: aws.String("resource-id"), Values: ids},
			{Name: aws.String("key"), Values: []string{"Name"}},
			{Name: aws.String("resource-type"), Values: []string{"instance"}},
		}})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			mu.Lock()
			if err != nil {
				errs = append(errs, err)
				mu.Unlock()
				return
			}
			for _, t := range page.Tags {
				if aws.ToString(t.Key) == "Name" {
					names[aws.ToString(t.ResourceId)] = aws.ToString(t.Value)
				}
			}
			mu.Unlock()
		}
	})
	if err != nil {
		return nil, err
	}
	if len(errs) > 0 {
		return nil, errs[0]
	}
	return names, nil
}
