package ses

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ses"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/watch"
)

// sesAPI lists the SES calls the watcher makes.
type sesAPI interface {
	ListIdentities(ctx context.Context, in *ses.ListIdentitiesInput, optFns ...func(*ses.Options)) (*ses.ListIdentitiesOutput, error)
	GetIdentityVerificationAttributes(ctx context.Context, in *ses.GetIdentityVerificationAttributesInput, optFns ...func(*ses.Options)) (*ses.GetIdentityVerificationAttributesOutput, error)
}

// batch is the most identities GetIdentityVerificationAttributes takes.
const batch = 100

// Watcher collects the identities of every region: ListIdentities in pages
// of 1,000, then GetIdentityVerificationAttributes for 100 identities a
// call, the calls of a page at once (technologies.md A.49's cheaper
// collection: no ListVerifiedEmailAddresses).
type Watcher struct {
	newClient   func(aws.Config) sesAPI
	concurrency int
}

// NewWatcher returns the ses watcher.
func NewWatcher() *Watcher {
	return &Watcher{newClient: func(c aws.Config) sesAPI { return ses.NewFromConfig(c) }, concurrency: 4}
}

// Technology implements watch.Watcher.
func (w *Watcher) Technology() monkey.Technology { return Technology }

// Collect implements watch.Watcher. A region whose listing fails is a
// region failure; a failed batch fails its identities; the ignore list is
// tested against the identity.
func (w *Watcher) Collect(ctx context.Context, scope watch.Scope) (watch.Result, error) {
	c := watch.NewCollector(scope, Technology)
	acct := scope.Account.Identifier
	awsclient.EachRegion(ctx, scope, c, func(ctx context.Context, cfg aws.Config, region string) error {
		client := w.newClient(cfg)
		p := ses.NewListIdentitiesPaginator(client, &ses.ListIdentitiesInput{MaxItems: aws.Int32(1000)})
		err := watch.Paginate(ctx, p.HasMorePages, func(ctx context.Context) (*ses.ListIdentitiesOutput, error) {
			return p.NextPage(ctx)
		}, func(page *ses.ListIdentitiesOutput) error {
			names := slices.DeleteFunc(slices.Clone(page.Identities), scope.Ignored)
			return watch.Parallel(ctx, w.concurrency, slices.Collect(slices.Chunk(names, batch)), func(ctx context.Context, chunk []string) {
				out, err := client.GetIdentityVerificationAttributes(ctx, &ses.GetIdentityVerificationAttributesInput{Identities: chunk})
				if err != nil {
					for _, name := range chunk {
						c.Fail(region, name, fmt.Errorf("collect ses %s/%s/%s: get identity verification attributes: %w", acct, region, name, err))
					}
					return
				}
				for _, name := range chunk {
					v, ok := out.VerificationAttributes[name]
					if !ok { // deleted since it was listed: keep what is stored until the next scan
						c.Fail(region, name, fmt.Errorf("collect ses %s/%s/%s: %w", acct, region, name, errNoAttributes))
						continue
					}
					c.Emit(region, name, "", normalize(name, v))
				}
			})
		})
		if err != nil {
			return fmt.Errorf("collect ses %s/%s: list identities: %w", acct, region, err)
		}
		return nil
	})
	return c.Result(), nil
}

var errNoAttributes = errors.New("listed, but GetIdentityVerificationAttributes did not describe it")
