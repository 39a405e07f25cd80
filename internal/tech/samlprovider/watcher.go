package samlprovider

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/watch"
)

// iamAPI lists the IAM calls the watcher makes.
type iamAPI interface {
	ListSAMLProviders(ctx context.Context, in *iam.ListSAMLProvidersInput, optFns ...func(*iam.Options)) (*iam.ListSAMLProvidersOutput, error)
	GetSAMLProvider(ctx context.Context, in *iam.GetSAMLProviderInput, optFns ...func(*iam.Options)) (*iam.GetSAMLProviderOutput, error)
}

// Watcher collects the SAML providers of an account: ListSAMLProviders
// (every provider in one reply; the API has no paging), then
// GetSAMLProvider per provider for its metadata document, providers at
// once; the document is parsed locally.
type Watcher struct {
	newClient   func(aws.Config) iamAPI
	concurrency int
}

// NewWatcher returns the samlprovider watcher.
func NewWatcher() *Watcher {
	return &Watcher{newClient: func(c aws.Config) iamAPI { return iam.NewFromConfig(c) }, concurrency: 8}
}

// Technology implements watch.Watcher.
func (w *Watcher) Technology() monkey.Technology { return Technology }

// Collect implements watch.Watcher. A failed listing fails the account; a
// provider that cannot be read is an item failure; a metadata document
// that does not parse is stored with what could be read (deterministic,
// so no flap). The item name is the last "/" segment of the ARN, which the
// ignore list is tested against.
func (w *Watcher) Collect(ctx context.Context, scope watch.Scope) (watch.Result, error) {
	sess, err := awsclient.SessionOf(scope)
	if err != nil {
		return watch.Result{}, err
	}
	c := watch.NewCollector(scope, Technology)
	acct := scope.Account.Identifier
	client := w.newClient(sess.Config)
	out, err := client.ListSAMLProviders(ctx, &iam.ListSAMLProvidersInput{})
	if err != nil {
		c.Fail("", "", fmt.Errorf("collect samlprovider %s: list SAML providers: %w", acct, err))
		return c.Result(), nil
	}
	var providers []*types.SAMLProviderListEntry
	for k := range out.SAMLProviderList {
		if p := &out.SAMLProviderList[k]; !scope.Ignored(name(p)) {
			providers = append(providers, p)
		}
	}
	err = watch.Parallel(ctx, w.concurrency, providers, func(ctx context.Context, p *types.SAMLProviderListEntry) {
		n := name(p)
		got, err := client.GetSAMLProvider(ctx, &iam.GetSAMLProviderInput{SAMLProviderArn: p.Arn})
		if err != nil {
			c.Fail(watch.Universal, n, fmt.Errorf("collect samlprovider %s/%s: get SAML provider: %w", acct, n, err))
			return
		}
		created, valid := got.CreateDate, got.ValidUntil
		if created == nil {
			created = p.CreateDate
		}
		if valid == nil {
			valid = p.ValidUntil
		}
		cfg, _ := normalize(aws.ToString(p.Arn), created, valid, aws.ToString(got.SAMLMetadataDocument)) // what parsed is kept
		c.Emit(watch.Universal, n, aws.ToString(p.Arn), cfg)
	})
	if err != nil {
		c.Fail("", "", fmt.Errorf("collect samlprovider %s: %w", acct, err))
	}
	return c.Result(), nil
}

// name is the item name of a provider: the last "/" segment of its ARN.
func name(p *types.SAMLProviderListEntry) string {
	arn := aws.ToString(p.Arn)
	return arn[strings.LastIndexByte(arn, '/')+1:]
}
