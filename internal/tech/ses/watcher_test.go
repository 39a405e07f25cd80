package ses

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ses"
	"github.com/aws/aws-sdk-go-v2/service/ses/types"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/watch/watchtest"
)

func TestWatcherNormalizeGolden(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		identity string
		v        types.IdentityVerificationAttributes
	}{
		"full": {"example.com", types.IdentityVerificationAttributes{VerificationStatus: types.VerificationStatusSuccess, VerificationToken: aws.String("tok")}},
		"bare": {"ops@example.com", types.IdentityVerificationAttributes{}},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			watchtest.Golden(t, "watcher_"+name+".golden.json", normalize(tc.identity, tc.v))
		})
	}
}

func simOptions(n int) awssim.Options {
	return awssim.Options{Accounts: 2, Seed: 54, Items: 1, ItemsPer: map[string]int{Technology.Index: n}}
}

func TestWatcherSim(t *testing.T) {
	t.Parallel()
	sim := watchtest.StartSim(t, simOptions(12))
	scope := sim.Scope(t, 1)
	res := watchtest.Run(t, NewWatcher(), scope)
	require.Len(t, res.Items, 12)
	unverified := []string{}
	for _, it := range res.Items {
		watchtest.RequireKeys(t, it.Config, []string{"name", "verified"}, nil)
		require.Equal(t, it.Name, it.Config["name"])
		require.Empty(t, it.ARN, "no ARN stored")
		if it.Config["verified"] == false {
			unverified = append(unverified, it.Name)
		}
	}
	require.ElementsMatch(t, []string{"sim-2.example.com", "ops-3@sim.example.com", "sim-6.example.com", "ops-7@sim.example.com",
		"sim-10.example.com", "ops-11@sim.example.com"}, unverified)
	calls := sim.Client.Calls()
	require.Equal(t, int64(3), calls["ses.ListIdentities"], "one page per region")
	require.Equal(t, int64(3), calls["ses.GetIdentityVerificationAttributes"], "one batch per region")
	require.Zero(t, calls["ses.ListVerifiedEmailAddresses"])

	scope.Ignore = []string{"OPS-1"}
	res, err := NewWatcher().Collect(context.Background(), scope)
	require.NoError(t, err)
	require.Len(t, res.Items, 10, "ops-1@ and ops-11@ ignored")
}

// fakeSES lists identities and describes all but the missing ones.
type fakeSES struct {
	names   []string
	missing string
	err     error
	batches [][]string
}

func (f *fakeSES) ListIdentities(context.Context, *ses.ListIdentitiesInput, ...func(*ses.Options)) (*ses.ListIdentitiesOutput, error) {
	return &ses.ListIdentitiesOutput{Identities: f.names}, nil
}

func (f *fakeSES) GetIdentityVerificationAttributes(_ context.Context, in *ses.GetIdentityVerificationAttributesInput, _ ...func(*ses.Options)) (*ses.GetIdentityVerificationAttributesOutput, error) {
	f.batches = append(f.batches, in.Identities)
	if f.err != nil {
		return nil, f.err
	}
	out := &ses.GetIdentityVerificationAttributesOutput{VerificationAttributes: map[string]types.IdentityVerificationAttributes{}}
	for _, n := range in.Identities {
		if n != f.missing {
			out.VerificationAttributes[n] = types.IdentityVerificationAttributes{VerificationStatus: types.VerificationStatusSuccess}
		}
	}
	return out, nil
}

// An identity listed but not described, or a failed batch, is an item
// failure (nothing deleted), never a missing item.
func TestWatcherBatches(t *testing.T) {
	t.Parallel()
	names := make([]string, 250)
	for i := range names {
		names[i] = "id-" + string(rune('a'+i%26)) + string(rune('a'+i/26))
	}
	scope := watchtest.FakeScope(monkey.Account{Name: "prod", Identifier: "123456789012", Type: "AWS"}, "us-east-1")

	f := &fakeSES{names: names, missing: names[7]}
	w := &Watcher{newClient: func(aws.Config) sesAPI { return f }, concurrency: 1}
	res, err := w.Collect(context.Background(), scope)
	require.NoError(t, err)
	require.Len(t, res.Items, 249)
	require.Len(t, res.Failures, 1)
	require.Equal(t, names[7], res.Failures[0].Name)
	require.Len(t, f.batches, 3)
	require.Len(t, f.batches[0], 100)
	require.Len(t, f.batches[2], 50)

	f = &fakeSES{names: names, err: errors.New("boom")}
	w = &Watcher{newClient: func(aws.Config) sesAPI { return f }, concurrency: 1}
	res, err = w.Collect(context.Background(), scope)
	require.NoError(t, err)
	require.Empty(t, res.Items)
	require.Len(t, res.Failures, 250)
	require.True(t, res.Failures[0].Covers("us-east-1", res.Failures[0].Name))
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
	t.Run("ses fails", func(t *testing.T) {
		t.Parallel()
		watchtest.ServiceFails(t, NewWatcher(), simOptions(9), "ses", "us-east-1", "sim-0.example.com")
	})
	t.Run("throttled", func(t *testing.T) {
		t.Parallel()
		got := watchtest.Throttled(t, NewWatcher(), simOptions(3))
		require.Len(t, got.Items, 3)
	})
}

func BenchmarkWatcherCollectSim10000(b *testing.B) {
	watchtest.BenchmarkCollect(b, NewWatcher(), "ses", 10000)
}
