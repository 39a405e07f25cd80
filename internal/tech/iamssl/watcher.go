package iamssl

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/watch"
)

// iamAPI lists the IAM calls the watcher makes.
type iamAPI interface {
	ListServerCertificates(ctx context.Context, in *iam.ListServerCertificatesInput, optFns ...func(*iam.Options)) (*iam.ListServerCertificatesOutput, error)
	GetServerCertificate(ctx context.Context, in *iam.GetServerCertificateInput, optFns ...func(*iam.Options)) (*iam.GetServerCertificateOutput, error)
}

// Watcher collects the server certificates of an account:
// ListServerCertificates in pages of 1,000 (the maximum), then
// GetServerCertificate per certificate for its PEM body (the list has the
// metadata only), certificates at once; the PEM is parsed locally.
type Watcher struct {
	newClient   func(aws.Config) iamAPI
	concurrency int
}

// NewWatcher returns the iamssl watcher.
func NewWatcher() *Watcher {
	return &Watcher{newClient: func(c aws.Config) iamAPI { return iam.NewFromConfig(c) }, concurrency: 8}
}

// Technology implements watch.Watcher.
func (w *Watcher) Technology() monkey.Technology { return Technology }

// Collect implements watch.Watcher. A failed listing fails the account; a
// certificate that cannot be fetched is an item failure (nothing stored,
// nothing deleted); one whose body cannot be parsed is stored without the
// parsed keys. The ignore list is tested against the certificate name.
func (w *Watcher) Collect(ctx context.Context, scope watch.Scope) (watch.Result, error) {
	sess, err := awsclient.SessionOf(scope)
	if err != nil {
		return watch.Result{}, err
	}
	c := watch.NewCollector(scope, Technology)
	acct := scope.Account.Identifier
	client := w.newClient(sess.Config)
	p := iam.NewListServerCertificatesPaginator(client, &iam.ListServerCertificatesInput{MaxItems: aws.Int32(1000)})
	err = watch.Paginate(ctx, p.HasMorePages, func(ctx context.Context) (*iam.ListServerCertificatesOutput, error) {
		return p.NextPage(ctx)
	}, func(page *iam.ListServerCertificatesOutput) error {
		var certs []*types.ServerCertificateMetadata
		for k := range page.ServerCertificateMetadataList {
			m := &page.ServerCertificateMetadataList[k]
			if !scope.Ignored(aws.ToString(m.ServerCertificateName)) {
				certs = append(certs, m)
			}
		}
		return watch.Parallel(ctx, w.concurrency, certs, func(ctx context.Context, m *types.ServerCertificateMetadata) {
			name := aws.ToString(m.ServerCertificateName)
			out, err := client.GetServerCertificate(ctx, &iam.GetServerCertificateInput{ServerCertificateName: m.ServerCertificateName})
			if err != nil {
				c.Fail(watch.Universal, name, fmt.Errorf("collect iamssl %s/%s: get server certificate: %w", acct, name, err))
				return
			}
			var body, chain *string
			if sc := out.ServerCertificate; sc != nil {
				body, chain = sc.CertificateBody, sc.CertificateChain
				if sc.ServerCertificateMetadata != nil {
					m = sc.ServerCertificateMetadata
				}
			}
			cfg, _ := normalize(m, body, chain) // an unparsable body is stored as is
			c.Emit(watch.Universal, name, aws.ToString(m.Arn), cfg)
		})
	})
	if err != nil {
		c.Fail("", "", fmt.Errorf("collect iamssl %s: list server certificates: %w", acct, err))
	}
	return c.Result(), nil
}
