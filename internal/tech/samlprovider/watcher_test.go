package samlprovider

import (
	"context"
	"errors"
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
	created := time.Date(2019, 3, 4, 5, 6, 7, 0, time.UTC)
	valid := time.Date(2119, 3, 4, 5, 6, 7, 250000000, time.UTC)
	full, err := normalize("arn:aws:iam::111122223333:saml-provider/okta", &created, &valid,
		`<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="http://www.okta.com/exk1">`+
			`<md:IDPSSODescriptor><md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data>`+
			`<ds:X509Certificate>MIIDpDCCAoygAwIBAgIGAV</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor></md:IDPSSODescriptor>`+
			`<md:ContactPerson contactType="technical"><md:Company>Example</md:Company><md:GivenName>Ada</md:GivenName>`+
			`<md:EmailAddress>ada@example.com</md:EmailAddress></md:ContactPerson></md:EntityDescriptor>`)
	require.NoError(t, err)
	watchtest.Golden(t, "watcher_full.golden.json", full)
	bare, err := normalize("arn:aws:iam::111122223333:saml-provider/bare", nil, nil, "")
	require.Error(t, err)
	watchtest.Golden(t, "watcher_bare.golden.json", bare)
}

func simOptions(n int) awssim.Options {
	return awssim.Options{Accounts: 2, Seed: 62, Items: 1, ItemsPer: map[string]int{Technology.Index: n}}
}

func TestWatcherSim(t *testing.T) {
	t.Parallel()
	sim := watchtest.StartSim(t, simOptions(9))
	scope := sim.Scope(t, 1)
	res := watchtest.Run(t, NewWatcher(), scope)
	require.Len(t, res.Items, 9)
	contacts := 0
	for _, it := range res.Items {
		watchtest.RequireKeys(t, it.Config, []string{"Arn", "Name", "CreateDate", "ValidUntil", "X509", "Company", "GivenName", "Email"}, nil)
		require.Equal(t, watch.Universal, it.Region)
		require.Equal(t, it.ARN, it.Config["Arn"])
		require.Regexp(t, `^https://idp-\d+\.sim\.example\.com/saml$`, it.Config["Name"])
		require.Regexp(t, `^MIIC`, it.Config["X509"])
		require.Regexp(t, `^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+00:00$`, it.Config["CreateDate"], "PY-STR")
		if it.Config["Company"] != "" {
			contacts++
			require.NotEmpty(t, it.Config["Email"])
		}
	}
	require.Equal(t, 3, contacts, "i%3 == 0")
	calls := sim.Client.Calls()
	require.Equal(t, int64(1), calls["iam.ListSAMLProviders"])
	require.Equal(t, int64(9), calls["iam.GetSAMLProvider"])

	scope.Ignore = []string{"SIM-IDP-1"}
	res, err := NewWatcher().Collect(context.Background(), scope)
	require.NoError(t, err)
	require.Len(t, res.Items, 8)
}

// fakeIAM lists providers and fails to read the one named broken.
type fakeIAM struct {
	arns   []string
	broken string
}

func (f *fakeIAM) ListSAMLProviders(context.Context, *iam.ListSAMLProvidersInput, ...func(*iam.Options)) (*iam.ListSAMLProvidersOutput, error) {
	out := &iam.ListSAMLProvidersOutput{}
	for _, a := range f.arns {
		out.SAMLProviderList = append(out.SAMLProviderList, types.SAMLProviderListEntry{Arn: aws.String(a)})
	}
	return out, nil
}

func (f *fakeIAM) GetSAMLProvider(_ context.Context, in *iam.GetSAMLProviderInput, _ ...func(*iam.Options)) (*iam.GetSAMLProviderOutput, error) {
	if aws.ToString(in.SAMLProviderArn) == f.broken {
		return nil, errors.New("boom")
	}
	return &iam.GetSAMLProviderOutput{SAMLMetadataDocument: aws.String(`<a entityID="x"/>`)}, nil
}

func TestWatcherItemFailure(t *testing.T) {
	t.Parallel()
	f := &fakeIAM{arns: []string{"arn:aws:iam::1:saml-provider/a", "arn:aws:iam::1:saml-provider/b"}, broken: "arn:aws:iam::1:saml-provider/b"}
	scope := watchtest.FakeScope(monkey.Account{Name: "prod", Identifier: "123456789012", Type: "AWS"}, "us-east-1")
	w := &Watcher{newClient: func(aws.Config) iamAPI { return f }, concurrency: 2}
	res, err := w.Collect(context.Background(), scope)
	require.NoError(t, err)
	require.Len(t, res.Items, 1)
	require.Equal(t, "a", res.Items[0].Name)
	require.Equal(t, "None", res.Items[0].Config["CreateDate"])
	require.Len(t, res.Failures, 1)
	require.True(t, res.Failures[0].Covers(watch.Universal, "b"))
}

func TestWatcherSimFaults(t *testing.T) {
	t.Parallel()
	t.Run("iam fails", func(t *testing.T) {
		t.Parallel()
		watchtest.ServiceFails(t, NewWatcher(), simOptions(5), "iam", watch.Universal, "sim-idp-0")
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
