package ec2image

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/watch"
)

// ec2API lists the EC2 calls the watcher makes.
type ec2API interface {
	DescribeImages(ctx context.Context, in *ec2.DescribeImagesInput, optFns ...func(*ec2.Options)) (*ec2.DescribeImagesOutput, error)
	DescribeImageAttribute(ctx context.Context, in *ec2.DescribeImageAttributeInput, optFns ...func(*ec2.Options)) (*ec2.DescribeImageAttributeOutput, error)
}

// Watcher collects the images the account owns, region by region:
// DescribeImages (Owners self, 1,000 a page) and, per image, the one call
// nothing else answers, DescribeImageAttribute(launchPermission), for the
// images of a page at once (WithConcurrency, default 16). The reference's
// second DescribeImages per image and its kernel, ramdisk and productCodes
// attribute calls are answered by the listing.
type Watcher struct {
	newClient   func(aws.Config) ec2API
	concurrency int
}

// Option configures a Watcher.
type Option func(*Watcher)

// WithConcurrency bounds the images described at once per region
// (default 16).
func WithConcurrency(n int) Option {
	return func(w *Watcher) {
		if n > 0 {
			w.concurrency = n
		}
	}
}

// withClient replaces the EC2 client factory (tests).
func withClient(f func(aws.Config) ec2API) Option { return func(w *Watcher) { w.newClient = f } }

// NewWatcher returns the ec2image watcher.
func NewWatcher(opts ...Option) *Watcher {
	w := &Watcher{newClient: func(c aws.Config) ec2API { return ec2.NewFromConfig(c) }, concurrency: 16}
	for _, o := range opts {
		o(w)
	}
	return w
}

// Technology implements watch.Watcher.
func (w *Watcher) Technology() monkey.Technology { return Technology }

// Collect implements watch.Watcher: a failed listing fails its region, a
// failed attribute call fails its image only (never stored without its
// launch permissions).
func (w *Watcher) Collect(ctx context.Context, scope watch.Scope) (watch.Result, error) {
	c := watch.NewCollector(scope, Technology)
	acct := scope.Account.Identifier
	awsclient.EachRegion(ctx, scope, c, func(ctx context.Context, cfg aws.Config, region string) error {
		client := w.newClient(cfg)
		p := ec2.NewDescribeImagesPaginator(client, &ec2.DescribeImagesInput{Owners: []string{"self"}, MaxResults: aws.Int32(1000)})
		err := watch.Paginate(ctx, p.HasMorePages, func(ctx context.Context) (*ec2.DescribeImagesOutput, error) {
			return p.NextPage(ctx)
		}, func(page *ec2.DescribeImagesOutput) error {
			images := make([]*types.Image, 0, len(page.Images))
			for i := range page.Images {
				if !scope.Ignored(aws.ToString(page.Images[i].ImageId)) {
					images = append(images, &page.Images[i])
				}
			}
			return watch.Parallel(ctx, w.concurrency, images, func(ctx context.Context, im *types.Image) {
				id := aws.ToString(im.ImageId)
				out, err := client.DescribeImageAttribute(ctx, &ec2.DescribeImageAttributeInput{
					ImageId: im.ImageId, Attribute: types.ImageAttributeNameLaunchPermission,
				})
				if err != nil {
					c.Fail(region, id, fmt.Errorf("collect ec2image %s/%s/%s: describe image attribute launchPermission: %w", acct, region, id, err))
					return
				}
				c.Emit(region, id, imageARN(region, id), normalize(im, out.LaunchPermissions, region))
			})
		})
		if err != nil {
			return fmt.Errorf("collect ec2image %s/%s: describe images: %w", acct, region, err)
		}
		return nil
	})
	return c.Result(), nil
}
