package iamuser

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"golang.org/x/sync/errgroup"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/watch"
)

// iamAPI lists the IAM calls the watcher makes.
type iamAPI interface {
	GetAccountAuthorizationDetails(ctx context.Context, in *iam.GetAccountAuthorizationDetailsInput, optFns ...func(*iam.Options)) (*iam.GetAccountAuthorizationDetailsOutput, error)
	GenerateCredentialReport(ctx context.Context, in *iam.GenerateCredentialReportInput, optFns ...func(*iam.Options)) (*iam.GenerateCredentialReportOutput, error)
	GetCredentialReport(ctx context.Context, in *iam.GetCredentialReportInput, optFns ...func(*iam.Options)) (*iam.GetCredentialReportOutput, error)
	ListAccessKeys(ctx context.Context, in *iam.ListAccessKeysInput, optFns ...func(*iam.Options)) (*iam.ListAccessKeysOutput, error)
	GetAccessKeyLastUsed(ctx context.Context, in *iam.GetAccessKeyLastUsedInput, optFns ...func(*iam.Options)) (*iam.GetAccessKeyLastUsedOutput, error)
	ListMFADevices(ctx context.Context, in *iam.ListMFADevicesInput, optFns ...func(*iam.Options)) (*iam.ListMFADevicesOutput, error)
	GetLoginProfile(ctx context.Context, in *iam.GetLoginProfileInput, optFns ...func(*iam.Options)) (*iam.GetLoginProfileOutput, error)
	ListSigningCertificates(ctx context.Context, in *iam.ListSigningCertificatesInput, optFns ...func(*iam.Options)) (*iam.ListSigningCertificatesOutput, error)
	ListUsers(ctx context.Context, in *iam.ListUsersInput, optFns ...func(*iam.Options)) (*iam.ListUsersOutput, error)
}

// Watcher collects IAM users:
//   - users, inline and attached policies from one paginated
//     iam:GetAccountAuthorizationDetails pass (Filter User);
//   - the credential report (GenerateCredentialReport + GetCredentialReport,
//     one CSV per account) for PasswordLastUsed, access key last use (slot
//     matched to the key by creation time), and to skip GetLoginProfile /
//     ListMFADevices / ListSigningCertificates for users the report shows
//     without password / MFA / certificate;
//   - per user ListAccessKeys (the report has no key ids), and the per-user
//     calls the report could not answer (users missing from it, unmatched
//     key slots, no report at all);
//   - ListUsers (paginated, one call per 1000 users) only when some user has
//     no report row, for PasswordLastUsed.
//
// Users are described concurrently (WithConcurrency, default 8). The report
// can be up to 4 hours old (IAM regenerates it at most every 4 hours): a
// console password or MFA device added since then appears at the next
// report; users created since then are described with per-user calls.
type Watcher struct {
	newClient   func(aws.Config) iamAPI
	concurrency int
	pollEvery   time.Duration
	pollMax     int
}

// Option configures a Watcher.
type Option func(*Watcher)

// WithConcurrency bounds concurrently described users (default 8).
func WithConcurrency(n int) Option {
	return func(w *Watcher) {
		if n > 0 {
			w.concurrency = n
		}
	}
}

// withClient replaces the IAM client factory (tests).
func withClient(f func(aws.Config) iamAPI) Option { return func(w *Watcher) { w.newClient = f } }

// withReportPoll sets how the watcher waits for the credential report.
func withReportPoll(every time.Duration, max int) Option {
	return func(w *Watcher) { w.pollEvery, w.pollMax = every, max }
}

// NewWatcher returns the iamuser watcher.
func NewWatcher(opts ...Option) *Watcher {
	w := &Watcher{
		newClient:   func(c aws.Config) iamAPI { return iam.NewFromConfig(c) },
		concurrency: 8,
		pollEvery:   2 * time.Second,
		pollMax:     15,
	}
	for _, o := range opts {
		o(w)
	}
	return w
}

// Technology implements watch.Watcher.
func (w *Watcher) Technology() monkey.Technology { return Technology }

// Collect implements watch.Watcher. The credential report is requested
// while the first page of users is fetched; then every page of users is
// described (users concurrently) and emitted while the next page is
// fetched, so memory holds a page or two of users whatever the account size.
func (w *Watcher) Collect(ctx context.Context, scope watch.Scope) (watch.Result, error) {
	sess, err := awsclient.SessionOf(scope)
	if err != nil {
		return watch.Result{}, err
	}
	client := w.newClient(sess.Config)
	c := watch.NewCollector(scope, Technology)

	type reportResult struct {
		rep report
		err error
	}
	reportc := make(chan reportResult, 1)
	rctx, cancelReport := context.WithCancel(ctx)
	reportDone := make(chan struct{})
	// The report goroutine never outlives Collect: on every return it is
	// cancelled and awaited, so no call reaches the client afterwards.
	defer func() {
		cancelReport()
		<-reportDone
	}()
	go func() {
		defer close(reportDone)
		rep, err := w.credentialReport(rctx, client)
		reportc <- reportResult{rep, err}
	}()
	var (
		rep       report
		haveRep   bool
		lastUsed  map[string]*time.Time
		lastMu    sync.Mutex
		lastTried bool
	)
	// passwordLastUsedOf lists every user's PasswordLastUsed once, when the
	// first user missing from the report needs it. PasswordLastUsed is
	// ephemeral: without it users are still complete, so a failure is only
	// logged.
	passwordLastUsedOf := func(ctx context.Context, name string) *time.Time {
		lastMu.Lock()
		defer lastMu.Unlock()
		if !lastTried {
			lastTried = true
			lu, err := passwordLastUsed(ctx, client)
			if err != nil && scope.Logger != nil {
				scope.Logger.WarnContext(ctx, "password last used unavailable", "account", scope.Account.Name, "error", err)
			}
			lastUsed = lu
		}
		return lastUsed[name]
	}

	p := iam.NewGetAccountAuthorizationDetailsPaginator(client, &iam.GetAccountAuthorizationDetailsInput{
		Filter:   []types.EntityType{types.EntityTypeUser},
		MaxItems: aws.Int32(1000),
	})
	err = watch.Paginate(ctx, p.HasMorePages, func(ctx context.Context) (*iam.GetAccountAuthorizationDetailsOutput, error) {
		return p.NextPage(ctx)
	}, func(page *iam.GetAccountAuthorizationDetailsOutput) error {
		var users []*types.UserDetail
		for i := range page.UserDetailList {
			if u := &page.UserDetailList[i]; !scope.Ignored(aws.ToString(u.UserName)) {
				users = append(users, u)
			}
		}
		if len(users) == 0 {
			return nil
		}
		if !haveRep {
			select {
			case r := <-reportc:
				rep, haveRep = r.rep, true
				if r.err != nil && scope.Logger != nil {
					scope.Logger.WarnContext(ctx, "credential report unavailable, using per-user calls",
						"account", scope.Account.Name, "error", r.err)
				}
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		return watch.Parallel(ctx, w.concurrency, users, func(ctx context.Context, u *types.UserDetail) {
			name := aws.ToString(u.UserName)
			row := rep[name]
			var pw *time.Time
			if row == nil {
				pw = passwordLastUsedOf(ctx, name)
			}
			cfg, err := w.describe(ctx, client, u, row, pw)
			if err != nil {
				c.Fail(watch.Universal, name, fmt.Errorf("collect iamuser %s: %w", name, err))
				return
			}
			c.Emit(watch.Universal, name, aws.ToString(u.Arn), cfg)
		})
	})
	if err != nil {
		c.Fail("", "", fmt.Errorf("collect iamuser %s: get account authorization details: %w", scope.Account.Identifier, err))
	}
	return c.Result(), nil
}

// passwordLastUsed lists every user's PasswordLastUsed (ListUsers).
func passwordLastUsed(ctx context.Context, client iamAPI) (map[string]*time.Time, error) {
	out := map[string]*time.Time{}
	p := iam.NewListUsersPaginator(client, &iam.ListUsersInput{MaxItems: aws.Int32(1000)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("list users: %w", err)
		}
		for _, u := range page.Users {
			out[aws.ToString(u.UserName)] = u.PasswordLastUsed
		}
	}
	return out, nil
}

// credentialReport generates (if needed) and reads the report.
func (w *Watcher) credentialReport(ctx context.Context, client iamAPI) (report, error) {
	if _, err := client.GenerateCredentialReport(ctx, &iam.GenerateCredentialReportInput{}); err != nil {
		return nil, fmt.Errorf("generate credential report: %w", err)
	}
	for attempt := 0; ; attempt++ {
		out, err := client.GetCredentialReport(ctx, &iam.GetCredentialReportInput{})
		if err == nil {
			return parseReport(out.Content)
		}
		code := awsclient.ErrorCode(err)
		if (code != "ReportInProgress" && code != "ReportNotPresent" && code != "ReportExpired") || attempt >= w.pollMax {
			return nil, fmt.Errorf("get credential report: %w", err)
		}
		if code != "ReportInProgress" {
			if _, err := client.GenerateCredentialReport(ctx, &iam.GenerateCredentialReportInput{}); err != nil {
				return nil, fmt.Errorf("generate credential report: %w", err)
			}
		}
		t := time.NewTimer(w.pollEvery)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("get credential report: %w", ctx.Err())
		case <-t.C:
		}
	}
}

// describe gathers the per-user data and normalises it. row is nil when the
// report does not know the user. The calls that do not depend on each other
// run at once: access keys (then the last use of the keys the report could
// not match), MFA devices, login profile, signing certificates.
func (w *Watcher) describe(ctx context.Context, client iamAPI, u *types.UserDetail, row *reportRow, pwLastUsed *time.Time) (monkey.Config, error) {
	name := u.UserName
	d := details{report: row, PasswordLastUsed: pwLastUsed, LastUsed: map[string]*types.AccessKeyLastUsed{}}
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		kp := iam.NewListAccessKeysPaginator(client, &iam.ListAccessKeysInput{UserName: name})
		for kp.HasMorePages() {
			page, err := kp.NextPage(ctx)
			if err != nil {
				return fmt.Errorf("list access keys: %w", err)
			}
			d.AccessKeys = append(d.AccessKeys, page.AccessKeyMetadata...)
		}
		for _, k := range d.AccessKeys {
			if row.keySlot(k.CreateDate) != nil {
				continue
			}
			out, err := client.GetAccessKeyLastUsed(ctx, &iam.GetAccessKeyLastUsedInput{AccessKeyId: k.AccessKeyId})
			if err != nil {
				return fmt.Errorf("get access key last used %s: %w", aws.ToString(k.AccessKeyId), err)
			}
			d.LastUsed[aws.ToString(k.AccessKeyId)] = out.AccessKeyLastUsed
		}
		return nil
	})
	if row == nil || row.MFAActive {
		g.Go(func() error {
			mp := iam.NewListMFADevicesPaginator(client, &iam.ListMFADevicesInput{UserName: name})
			for mp.HasMorePages() {
				page, err := mp.NextPage(ctx)
				if err != nil {
					return fmt.Errorf("list mfa devices: %w", err)
				}
				d.MFADevices = append(d.MFADevices, page.MFADevices...)
			}
			return nil
		})
	}
	if row == nil || row.PasswordEnabled {
		g.Go(func() error {
			out, err := client.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: name})
			switch {
			case err == nil:
				d.LoginProfile = out.LoginProfile
			case !isClientError(err):
				return fmt.Errorf("get login profile: %w", err)
			}
			return nil
		})
	}
	if row == nil || row.HasCertificates {
		g.Go(func() error {
			cp := iam.NewListSigningCertificatesPaginator(client, &iam.ListSigningCertificatesInput{UserName: name})
			for cp.HasMorePages() {
				page, err := cp.NextPage(ctx)
				if err != nil {
					return fmt.Errorf("list signing certificates: %w", err)
				}
				d.Certificates = append(d.Certificates, page.Certificates...)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return normalize(u, d)
}

// isClientError reports an AWS error reply that the reference mapped to "no
// login profile" (NoSuchEntity, AccessDenied …); throttling that outlived the
// retries and transport errors are not.
func isClientError(err error) bool {
	if awsclient.IsThrottle(err) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	return awsclient.ErrorCode(err) != ""
}
