package acm

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/acm"
	"github.com/aws/aws-sdk-go-v2/service/acm/types"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/watch"
)

// acmAPI lists the ACM calls the watcher makes.
type acmAPI interface {
	ListCertificates(ctx context.Context, in *acm.ListCertificatesInput, optFns ...func(*acm.Options)) (*acm.ListCertificatesOutput, error)
	DescribeCertificate(ctx context.Context, in *acm.DescribeCertificateInput, optFns ...func(*acm.Options)) (*acm.DescribeCertificateOutput, error)
}

// Watcher collects the certificates of every region: ListCertificates in
// pages of 1,000 (its maximum) asking for every key type — by default ACM
// lists RSA_2048 keys only, which would hide EC and other RSA certificates
// — then DescribeCertificate per certificate, the certificates of a page
// at once.
//
// Certificates sharing a domain name in a region share one location
// (technologies.md A.45's quirk): a page's certificates are emitted in
// listing order once the page is described, so the first listed is the one
// kept, the same on every scan.
type Watcher struct {
	newClient   func(aws.Config) acmAPI
	concurrency int
}

// NewWatcher returns the acm watcher.
func NewWatcher() *Watcher {
	return &Watcher{newClient: func(c aws.Config) acmAPI { return acm.NewFromConfig(c) }, concurrency: 16}
}

// Technology implements watch.Watcher.
func (w *Watcher) Technology() monkey.Technology { return Technology }

// Collect implements watch.Watcher. A region whose listing fails is a
// region failure; a certificate that cannot be described (deleted since it
// was listed, or denied) is an item failure; the ignore list is tested
// against the domain name before any describe call.
func (w *Watcher) Collect(ctx context.Context, scope watch.Scope) (watch.Result, error) {
	c := watch.NewCollector(scope, Technology)
	acct := scope.Account.Identifier
	awsclient.EachRegion(ctx, scope, c, func(ctx context.Context, cfg aws.Config, region string) error {
		client := w.newClient(cfg)
		p := acm.NewListCertificatesPaginator(client, &acm.ListCertificatesInput{
			MaxItems: aws.Int32(1000),
			Includes: &types.Filters{KeyTypes: types.KeyAlgorithm("").Values()},
		})
		err := watch.Paginate(ctx, p.HasMorePages, func(ctx context.Context) (*acm.ListCertificatesOutput, error) {
			return p.NextPage(ctx)
		}, func(page *acm.ListCertificatesOutput) error {
			var listed []int
			for k, s := range page.CertificateSummaryList {
				if !scope.Ignored(aws.ToString(s.DomainName)) {
					listed = append(listed, k)
				}
			}
			described := make([]monkey.Config, len(page.CertificateSummaryList))
			err := watch.Parallel(ctx, w.concurrency, listed, func(ctx context.Context, k int) {
				s := &page.CertificateSummaryList[k]
				name := aws.ToString(s.DomainName)
				out, err := client.DescribeCertificate(ctx, &acm.DescribeCertificateInput{CertificateArn: s.CertificateArn})
				if err != nil {
					c.Fail(region, name, fmt.Errorf("collect acm %s/%s/%s: describe certificate %s: %w", acct, region, name, aws.ToString(s.CertificateArn), err))
					return
				}
				if out.Certificate == nil {
					c.Fail(region, name, fmt.Errorf("collect acm %s/%s/%s: describe certificate %s: no certificate in the reply", acct, region, name, aws.ToString(s.CertificateArn)))
					return
				}
				described[k] = normalize(out.Certificate)
			})
			for _, k := range listed {
				if cfg := described[k]; cfg != nil {
					s := &page.CertificateSummaryList[k]
					c.Emit(region, aws.ToString(s.DomainName), aws.ToString(s.CertificateArn), cfg)
				}
			}
			return err
		})
		if err != nil {
			return fmt.Errorf("collect acm %s/%s: list certificates: %w", acct, region, err)
		}
		return nil
	})
	return c.Result(), nil
}
