package iamssl

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/watch"
	"github.com/secmonkey/monkey/internal/watch/watchtest"
)

func TestWatcherNormalizeGolden(t *testing.T) {
	t.Parallel()
	body, err := os.ReadFile("testdata/full.pem")
	require.NoError(t, err)
	meta := func(name string) *types.ServerCertificateMetadata {
		return &types.ServerCertificateMetadata{ServerCertificateName: aws.String(name), ServerCertificateId: aws.String("ASCAEXAMPLE"),
			Arn: aws.String("arn:aws:iam::111122223333:server-certificate/" + name), Path: aws.String("/"),
			UploadDate: aws.Time(time.Date(2025, 1, 3, 0, 0, 0, 0, time.UTC)), Expiration: aws.Time(time.Date(2027, 1, 2, 3, 4, 5, 0, time.UTC))}
	}
	full, err := normalize(meta("web"), aws.String(string(body)), aws.String("-----BEGIN CERTIFICATE-----\n…"))
	require.NoError(t, err)
	watchtest.Golden(t, "watcher_full.golden.json", full)
	bare, err := normalize(meta("broken"), aws.String("not a certificate"), nil)
	require.Error(t, err, "an unparsable body")
	watchtest.Golden(t, "watcher_bare.golden.json", bare)
}

func simOptions(n int) awssim.Options {
	return awssim.Options{Accounts: 2, Seed: 60, Items: 1, ItemsPer: map[string]int{Technology.Index: n}}
}

func TestWatcherSim(t *testing.T) {
	t.Parallel()
	sim := watchtest.StartSim(t, simOptions(10))
	scope := sim.Scope(t, 1)
	res := watchtest.Run(t, NewWatcher(), scope)
	require.Len(t, res.Items, 10)
	type summary struct {
		Size    any
		Alg     string
		Issuer  string
		SAN     any
		Wild    any
		Domains int
		Chain   bool
	}
	got := map[string]summary{}
	for _, it := range res.Items {
		watchtest.RequireKeys(t, it.Config, []string{"server_certificate_name", "server_certificate_id", "arn", "path", "upload_date",
			"expiration", "body", "chain", "signature_algorithm", "size", "issuer", "serial", "cn", "is_san", "is_wildcard", "domains",
			"not_valid_before", "not_valid_after"}, nil)
		require.Equal(t, watch.Universal, it.Region)
		require.Equal(t, it.Name, it.Config["server_certificate_name"])
		require.Equal(t, it.ARN, it.Config["arn"])
		require.Regexp(t, `^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$`, it.Config["not_valid_after"])
		got[it.Name] = summary{it.Config["size"], it.Config["signature_algorithm"].(string), it.Config["issuer"].(string),
			it.Config["is_san"], it.Config["is_wildcard"], len(it.Config["domains"].([]any)), it.Config["chain"] != nil}
	}
	require.Equal(t, summary{2048, "sha256", "SimTrustInc", true, nil, 2, true}, got["sim-ssl-0"])
	require.Equal(t, summary{1024, "sha1", "SimTrustInc", true, nil, 2, false}, got["sim-ssl-1"])
	require.Equal(t, summary{512, "md5", "SimTrustInc", nil, true, 1, false}, got["sim-ssl-2"])
	require.Equal(t, summary{2048, "sha256", "ERROR_EXTRACTING_ISSUER", true, nil, 2, false}, got["sim-ssl-3"])
	require.Equal(t, summary{nil, "sha256", "SimTrustInc", nil, nil, 0, false}, got["sim-ssl-4"])
	calls := sim.Client.Calls()
	require.Equal(t, int64(1), calls["iam.ListServerCertificates"])
	require.Equal(t, int64(10), calls["iam.GetServerCertificate"])

	again, err := NewWatcher().Collect(context.Background(), scope)
	require.NoError(t, err)
	require.Equal(t, res.Items, again.Items, "identical bodies on every reply")

	scope.Ignore = []string{"SIM-SSL-1"}
	res, err = NewWatcher().Collect(context.Background(), scope)
	require.NoError(t, err)
	require.Len(t, res.Items, 9)
}

// The simulator builds the same certificates in every server of one seed
// (a new demo process must not see changes).
func TestWatcherSimDeterministic(t *testing.T) {
	t.Parallel()
	var runs [2][]monkey.Item
	for k := range runs {
		sim := watchtest.StartSim(t, simOptions(5))
		res, err := NewWatcher().Collect(context.Background(), sim.Scope(t, 0))
		require.NoError(t, err)
		runs[k] = res.Items
	}
	require.Equal(t, runs[0], runs[1])
}

// fakeIAM lists certificates and fails to fetch the one named broken.
type fakeIAM struct {
	names  []string
	broken string
}

func (f *fakeIAM) ListServerCertificates(context.Context, *iam.ListServerCertificatesInput, ...func(*iam.Options)) (*iam.ListServerCertificatesOutput, error) {
	out := &iam.ListServerCertificatesOutput{}
	for _, n := range f.names {
		out.ServerCertificateMetadataList = append(out.ServerCertificateMetadataList, types.ServerCertificateMetadata{ServerCertificateName: aws.String(n)})
	}
	return out, nil
}

func (f *fakeIAM) GetServerCertificate(_ context.Context, in *iam.GetServerCertificateInput, _ ...func(*iam.Options)) (*iam.GetServerCertificateOutput, error) {
	if aws.ToString(in.ServerCertificateName) == f.broken {
		return nil, errors.New("boom")
	}
	return &iam.GetServerCertificateOutput{ServerCertificate: &types.ServerCertificate{CertificateBody: aws.String("junk"),
		ServerCertificateMetadata: &types.ServerCertificateMetadata{ServerCertificateName: in.ServerCertificateName}}}, nil
}

// A certificate that cannot be fetched is an item failure; one whose body
// does not parse is stored with what the API said.
func TestWatcherItemFailure(t *testing.T) {
	t.Parallel()
	f := &fakeIAM{names: []string{"a", "b", "c"}, broken: "b"}
	scope := watchtest.FakeScope(monkey.Account{Name: "prod", Identifier: "123456789012", Type: "AWS"}, "us-east-1")
	w := &Watcher{newClient: func(aws.Config) iamAPI { return f }, concurrency: 2}
	res, err := w.Collect(context.Background(), scope)
	require.NoError(t, err)
	require.Len(t, res.Items, 2)
	require.Equal(t, "junk", res.Items[0].Config["body"])
	require.NotContains(t, res.Items[0].Config, "issuer")
	require.Len(t, res.Failures, 1)
	require.True(t, res.Failures[0].Covers(watch.Universal, "b"))
	require.False(t, res.Failures[0].Covers(watch.Universal, "a"))
}

func TestWatcherSimFaults(t *testing.T) {
	t.Parallel()
	t.Run("iam fails", func(t *testing.T) {
		t.Parallel()
		watchtest.ServiceFails(t, NewWatcher(), simOptions(5), "iam", watch.Universal, "sim-ssl-0")
	})
	t.Run("throttled", func(t *testing.T) {
		t.Parallel()
		got := watchtest.Throttled(t, NewWatcher(), simOptions(6))
		require.Len(t, got.Items, 6)
	})
}

func BenchmarkWatcherCollectSim10000(b *testing.B) {
	watchtest.BenchmarkCollect(b, NewWatcher(), "iam", 10000)
}
