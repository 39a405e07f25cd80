package pipeline

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/change"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/store"
	"github.com/secmonkey/monkey/internal/watch"
)

var testTech = monkey.Technology{Index: "iamuser", EphemeralPaths: []string{"AccessKeys$*$LastUsedDate", "_version"}}

func fingerprint(t *testing.T, cfg monkey.Config) change.Fingerprint {
	t.Helper()
	fp, err := change.NewHasher(testTech.EphemeralPaths).Fingerprint(cfg)
	require.NoError(t, err)
	return fp
}

func state(t *testing.T, id int64, region, name string, active bool, cfg monkey.Config) store.ItemState {
	fp := fingerprint(t, cfg)
	return store.ItemState{ItemID: id, RevisionID: id * 10, Region: region, Name: name, Active: active,
		CompleteHash: fp.CompleteHash, DurableHash: fp.DurableHash}
}

func TestDetect(t *testing.T) {
	t.Parallel()
	base := monkey.Config{"UserName": "a", "AccessKeys": []any{map[string]any{"Id": "k", "LastUsedDate": "d1"}}, "_version": 2}
	ephemeral := monkey.Config{"UserName": "a", "AccessKeys": []any{map[string]any{"Id": "k", "LastUsedDate": "d2"}}, "_version": 2}
	durable := monkey.Config{"UserName": "a", "AccessKeys": []any{map[string]any{"Id": "k2", "LastUsedDate": "d1"}}, "_version": 2}
	item := func(region, name string, cfg monkey.Config) monkey.Item {
		return monkey.Item{Technology: "iamuser", Region: region, Name: name, Config: cfg}
	}
	type counts struct{ New, Changed, Ephemeral, Deleted, Unchanged, Errors int }
	tests := []struct {
		name     string
		states   []store.ItemState
		items    []monkey.Item
		failures []watch.Failure
		want     counts
	}{
		{"first scan", nil, []monkey.Item{item("universal", "a", base), item("universal", "b", base)}, nil, counts{New: 2}},
		{"unchanged", []store.ItemState{state(t, 1, "universal", "a", true, base)}, []monkey.Item{item("universal", "a", base)}, nil, counts{Unchanged: 1}},
		{"ephemeral", []store.ItemState{state(t, 1, "universal", "a", true, base)}, []monkey.Item{item("universal", "a", ephemeral)}, nil, counts{Ephemeral: 1}},
		{"durable", []store.ItemState{state(t, 1, "universal", "a", true, base)}, []monkey.Item{item("universal", "a", durable)}, nil, counts{Changed: 1}},
		{"deleted", []store.ItemState{state(t, 1, "universal", "a", true, base)}, nil, nil, counts{Deleted: 1}},
		{"already deleted stays deleted", []store.ItemState{state(t, 1, "universal", "a", false, base)}, nil, nil, counts{}},
		{"reappearing item is a durable change", []store.ItemState{state(t, 1, "universal", "a", false, base)}, []monkey.Item{item("universal", "a", base)}, nil, counts{Changed: 1}},
		{"failed account never deletes", []store.ItemState{state(t, 1, "eu-west-1", "a", true, base)}, nil,
			[]watch.Failure{{Err: errors.New("denied")}}, counts{}},
		{"failed region never deletes there", []store.ItemState{state(t, 1, "eu-west-1", "a", true, base), state(t, 2, "us-east-1", "b", true, base)}, nil,
			[]watch.Failure{{Region: "eu-west-1", Err: errors.New("denied")}}, counts{Deleted: 1}},
		{"failed item never deleted", []store.ItemState{state(t, 1, "us-east-1", "a", true, base), state(t, 2, "us-east-1", "b", true, base)}, nil,
			[]watch.Failure{{Name: "a", Err: errors.New("denied")}}, counts{Deleted: 1}},
		{"duplicates keep the first", nil, []monkey.Item{item("universal", "a", base), item("universal", "a", durable)}, nil, counts{New: 1}},
		{"unstorable config is an item failure, not a deletion",
			[]store.ItemState{state(t, 1, "universal", "a", true, base)},
			[]monkey.Item{item("universal", "a", monkey.Config{"x": nanValue()})}, nil, counts{Errors: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cs, det, _ := Detect(7, testTech, noFacts{}, tt.states, tt.items, tt.failures)
			got := counts(det)
			require.Equal(t, tt.want, got)
			require.Len(t, cs.New, tt.want.New)
			require.Len(t, cs.Durable, tt.want.Changed)
			require.Len(t, cs.Ephemeral, tt.want.Ephemeral)
			require.Len(t, cs.Deleted, tt.want.Deleted)
			require.Equal(t, int64(7), cs.AccountID)
		})
	}
}

func TestDetectDeletedConfigShape(t *testing.T) {
	t.Parallel()
	role := monkey.Technology{Index: "iamrole", ARNDeletion: true}
	st := []store.ItemState{{ItemID: 1, Region: "universal", Name: "r", ARN: "arn:aws:iam::111122223333:role/r", Active: true}}
	cs, _, _ := Detect(1, role, noFacts{}, st, nil, nil)
	require.Len(t, cs.Deleted, 1)
	require.JSONEq(t, `{"Arn":"arn:aws:iam::111122223333:role/r"}`, string(cs.Deleted[0].Config))
	cs, _, _ = Detect(1, testTech, noFacts{}, []store.ItemState{{ItemID: 1, Region: "universal", Name: "u", Active: true}}, nil, nil)
	require.JSONEq(t, `{}`, string(cs.Deleted[0].Config))
}

func TestDetectCleansNames(t *testing.T) {
	t.Parallel()
	cs, det, _ := Detect(1, testTech, noFacts{}, nil, []monkey.Item{{Region: "universal", Name: "bad\xff\x00name", Config: monkey.Config{}}}, nil)
	require.Equal(t, 1, det.New)
	require.Equal(t, "bad\uFFFD\uFFFDname", cs.New[0].Name)
}

// noFacts is a technology registry without facts.
type noFacts struct{}

func (noFacts) Facts(string, string, monkey.Config) []monkey.KnownResource { return nil }

func nanValue() float64 { var z float64; return z / z }
