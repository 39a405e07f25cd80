package acm

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/acm"
	"github.com/aws/aws-sdk-go-v2/service/acm/types"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/watch/watchtest"
)

func TestWatcherNormalizeGolden(t *testing.T) {
	t.Parallel()
	at := func(s string) *time.Time {
		v, err := time.Parse(time.RFC3339Nano, s)
		require.NoError(t, err)
		return &v
	}
	for name, c := range map[string]*types.CertificateDetail{
		"full": {
			CertificateArn:          aws.String("arn:aws:acm:us-east-1:111122223333:certificate/12345678-1234-1234-1234-123456789012"),
			DomainName:              aws.String("example.com"),
			SubjectAlternativeNames: []string{"example.com", "www.example.com"},
			DomainValidationOptions: []types.DomainValidation{{DomainName: aws.String("example.com"), ValidationMethod: types.ValidationMethodDns,
				ValidationStatus: types.DomainStatusSuccess, ResourceRecord: &types.ResourceRecord{Name: aws.String("_x.example.com."), Type: types.RecordTypeCname, Value: aws.String("_y.acm-validations.aws.")}}},
			Serial:             aws.String("0a:1b"),
			Subject:            aws.String("CN=example.com"),
			Issuer:             aws.String("Amazon"),
			CreatedAt:          at("2019-03-04T05:06:07Z"),
			IssuedAt:           at("2019-03-04T06:06:07.250Z"),
			NotBefore:          at("2019-03-04T00:00:00Z"),
			NotAfter:           at("2030-01-02T03:04:05Z"),
			Status:             types.CertificateStatusIssued,
			KeyAlgorithm:       types.KeyAlgorithmRsa2048,
			SignatureAlgorithm: aws.String("SHA256WITHRSA"),
			InUseBy:            []string{"arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/web/0123"},
			Type:               types.CertificateTypeAmazonIssued,
			KeyUsages:          []types.KeyUsage{{Name: types.KeyUsageNameDigitalSignature}},
			ExtendedKeyUsages:  []types.ExtendedKeyUsage{{Name: types.ExtendedKeyUsageNameTlsWebServerAuthentication, OID: aws.String("1.3.6.1.5.5.7.3.1")}},
			RenewalEligibility: types.RenewalEligibilityEligible,
			RenewalSummary:     &types.RenewalSummary{RenewalStatus: types.RenewalStatusPendingValidation, UpdatedAt: at("2026-01-01T00:00:00Z")},
			Options:            &types.CertificateOptions{Export: types.CertificateExportDisabled},
		},
		"bare": {CertificateArn: aws.String("arn:aws:acm:us-east-1:111122223333:certificate/0"), DomainName: aws.String("bare.example.com")},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			watchtest.Golden(t, "watcher_"+name+".golden.json", normalize(c))
		})
	}
}

func simOptions(n int) awssim.Options {
	return awssim.Options{Accounts: 2, Seed: 57, Items: 1, ItemsPer: map[string]int{Technology.Index: n}}
}

func TestWatcherSim(t *testing.T) {
	t.Parallel()
	sim := watchtest.StartSim(t, simOptions(12))
	scope := sim.Scope(t, 1)
	res := watchtest.Run(t, NewWatcher(), scope)
	require.Len(t, res.Items, 12, "EC keys too (i%5 == 4)")
	statuses := map[string]int{}
	for _, it := range res.Items {
		watchtest.RequireKeys(t, it.Config, []string{"CertificateArn", "DomainName", "Serial", "Subject", "Issuer", "Status",
			"KeyAlgorithm", "SignatureAlgorithm", "Type", "SubjectAlternativeNames", "InUseBy", "KeyUsages", "ExtendedKeyUsages",
			"NotBefore", "NotAfter", "CreatedAt", "Options"},
			[]string{"DomainValidationOptions", "IssuedAt", "ImportedAt", "RenewalEligibility", "RenewalSummary"})
		require.Equal(t, it.Name, it.Config["DomainName"])
		require.Equal(t, it.ARN, it.Config["CertificateArn"])
		require.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$`, it.Config["NotAfter"], "ISO-OFF")
		statuses[it.Config["Status"].(string)]++
	}
	require.Equal(t, map[string]int{"ISSUED": 9, "EXPIRED": 3}, statuses)
	calls := sim.Client.Calls()
	require.Equal(t, int64(3), calls["acm.ListCertificates"], "one page per region")
	require.Equal(t, int64(12), calls["acm.DescribeCertificate"])

	scope.Ignore = []string{"ACM-1"}
	res, err := NewWatcher().Collect(context.Background(), scope)
	require.NoError(t, err)
	require.Len(t, res.Items, 9, "acm-1, acm-10 and acm-11 ignored")
	require.Equal(t, int64(12+9), sim.Client.Calls()["acm.DescribeCertificate"], "ignored before any describe")
}

// fakeACM lists certificates and fails to describe the one named broken.
type fakeACM struct {
	certs  []types.CertificateSummary
	broken string
}

func (f *fakeACM) ListCertificates(context.Context, *acm.ListCertificatesInput, ...func(*acm.Options)) (*acm.ListCertificatesOutput, error) {
	return &acm.ListCertificatesOutput{CertificateSummaryList: f.certs}, nil
}

func (f *fakeACM) DescribeCertificate(_ context.Context, in *acm.DescribeCertificateInput, _ ...func(*acm.Options)) (*acm.DescribeCertificateOutput, error) {
	if aws.ToString(in.CertificateArn) == f.broken {
		return nil, errors.New("boom")
	}
	for _, s := range f.certs {
		if aws.ToString(s.CertificateArn) == aws.ToString(in.CertificateArn) {
			return &acm.DescribeCertificateOutput{Certificate: &types.CertificateDetail{CertificateArn: s.CertificateArn, DomainName: s.DomainName}}, nil
		}
	}
	return nil, errors.New("not found")
}

// A certificate that cannot be described is an item failure (nothing
// deleted), never a missing item; of two certificates with one domain
// name, the first listed is emitted first (and kept by the pipeline).
func TestWatcherItemFailureAndCollisions(t *testing.T) {
	t.Parallel()
	cert := func(arn, name string) types.CertificateSummary {
		return types.CertificateSummary{CertificateArn: aws.String(arn), DomainName: aws.String(name)}
	}
	f := &fakeACM{certs: []types.CertificateSummary{cert("arn:1", "a.example.com"), cert("arn:2", "b.example.com"),
		cert("arn:3", "a.example.com"), cert("arn:4", "c.example.com")}, broken: "arn:2"}
	scope := watchtest.FakeScope(monkey.Account{Name: "prod", Identifier: "123456789012", Type: "AWS"}, "us-east-1")
	for range 5 {
		var order []string
		scope.Sink = func(it monkey.Item) { order = append(order, it.ARN) }
		w := &Watcher{newClient: func(aws.Config) acmAPI { return f }, concurrency: 4}
		res, err := w.Collect(context.Background(), scope)
		require.NoError(t, err)
		require.Equal(t, []string{"arn:1", "arn:3", "arn:4"}, order)
		require.Len(t, res.Failures, 1)
		require.True(t, res.Failures[0].Covers("us-east-1", "b.example.com"))
		require.False(t, res.Failures[0].Covers("us-east-1", "a.example.com"))
	}
}

func TestWatcherSimFaults(t *testing.T) {
	t.Parallel()
	t.Run("failing region", func(t *testing.T) {
		t.Parallel()
		sim := watchtest.StartSim(t, simOptions(9))
		require.NoError(t, sim.Server.SetFaults(awssim.Faults{FailRegions: []string{"eu-west-1"}}))
		res, err := NewWatcher().Collect(context.Background(), sim.Scope(t, 1))
		require.NoError(t, err)
		require.Len(t, res.Failures, 1)
		require.Equal(t, "eu-west-1", res.Failures[0].Region)
		require.Empty(t, res.Failures[0].Name)
		require.Len(t, res.Items, 6)
	})
	t.Run("acm fails", func(t *testing.T) {
		t.Parallel()
		watchtest.ServiceFails(t, NewWatcher(), simOptions(9), "acm", "us-east-1", "acm-0.sim.example.com")
	})
	t.Run("throttled", func(t *testing.T) {
		t.Parallel()
		got := watchtest.Throttled(t, NewWatcher(), simOptions(6))
		require.Len(t, got.Items, 6)
	})
}

func BenchmarkWatcherCollectSim10000(b *testing.B) {
	watchtest.BenchmarkCollect(b, NewWatcher(), "acm", 10000)
}
