package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/store"
	"github.com/secmonkey/monkey/internal/store/storetest"
)

func benchItems(prefix string, n int) []store.NewItem {
	items := make([]store.NewItem, n)
	for i := range items {
		name := fmt.Sprintf("%s-%07d", prefix, i)
		cfg := fmt.Sprintf(`{"GroupId":%q,"Description":"bench","IpPermissions":[{"IpProtocol":"tcp","FromPort":443,"ToPort":443,"IpRanges":["10.0.0.0/8"]}],"VpcId":"vpc-1"}`, name)
		items[i] = store.NewItem{Region: "us-east-1", Name: name, ARN: "arn:aws:ec2:us-east-1:111111111111:security-group/" + name,
			Config: []byte(cfg), CompleteHash: "c" + name, DurableHash: "d" + name,
			Facts: []monkey.KnownResource{{Kind: "vpc", Value: "vpc-1"}, {Kind: "cidr", Value: "10.0.0.0/8"}}}
	}
	return items
}

// BenchmarkApplyChanges10k writes 10,000 new items per iteration (a first
// scan); reported as items/s.
func BenchmarkApplyChanges10k(b *testing.B) {
	for _, engine := range storetest.Engines(b) {
		b.Run(engine, func(b *testing.B) {
			ctx := context.Background()
			s := storetest.New(b, engine)
			a := monkey.Account{Name: "bench", Identifier: "111111111111"}
			require.NoError(b, s.CreateAccount(ctx, &a))
			const n = 10_000
			b.ResetTimer()
			stmts := s.Statements()
			for i := 0; b.Loop(); i++ {
				items := benchItems(fmt.Sprintf("sg%d", i), n)
				require.NoError(b, s.ApplyChanges(ctx, store.ChangeSet{AccountID: a.ID, Technology: "securitygroup", New: items}))
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "items/s")
			b.ReportMetric(float64(s.Statements()-stmts)/float64(b.N), "stmts/op")
		})
	}
}

// BenchmarkItemStates100k reads the states of 100,000 items (an unchanged
// rescan's only query).
func BenchmarkItemStates100k(b *testing.B) {
	for _, engine := range storetest.Engines(b) {
		b.Run(engine, func(b *testing.B) {
			ctx := context.Background()
			s := storetest.New(b, engine)
			a := monkey.Account{Name: "bench", Identifier: "111111111111"}
			require.NoError(b, s.CreateAccount(ctx, &a))
			const n = 100_000
			require.NoError(b, s.ApplyChanges(ctx, store.ChangeSet{AccountID: a.ID, Technology: "securitygroup",
				New: benchItems("sg", n)}))
			b.ResetTimer()
			for b.Loop() {
				st, err := s.ItemStates(ctx, a.ID, "securitygroup")
				require.NoError(b, err)
				require.Len(b, st, n)
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "items/s")
		})
	}
}

// BenchmarkChanges1kOf200k applies 1,000 durable and 1,000 ephemeral
// changes in an account of 200,000 items.
func BenchmarkChanges1kOf200k(b *testing.B) {
	for _, engine := range storetest.Engines(b) {
		b.Run(engine, func(b *testing.B) {
			ctx := context.Background()
			s := storetest.New(b, engine)
			a := monkey.Account{Name: "bench", Identifier: "111111111111"}
			require.NoError(b, s.CreateAccount(ctx, &a))
			const n = 200_000
			require.NoError(b, s.ApplyChanges(ctx, store.ChangeSet{AccountID: a.ID, Technology: "securitygroup",
				New: benchItems("sg", n)}))
			st, err := s.ItemStates(ctx, a.ID, "securitygroup")
			require.NoError(b, err)
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				if i > 0 { // the latest revisions changed: what a scan reads first
					b.StopTimer()
					st, err = s.ItemStates(ctx, a.ID, "securitygroup")
					require.NoError(b, err)
					b.StartTimer()
				}
				cs := store.ChangeSet{AccountID: a.ID, Technology: "securitygroup"}
				for j := range 1000 {
					x := st[(i*2000+j)%n]
					cs.Durable = append(cs.Durable, store.RevisionWrite{ItemID: x.ItemID, RevisionID: x.RevisionID, ARN: x.ARN,
						Config: []byte(fmt.Sprintf(`{"v":%d}`, i)), CompleteHash: "c", DurableHash: "d",
						Facts: []monkey.KnownResource{{Kind: "vpc", Value: "vpc-2"}}})
					y := st[(i*2000+1000+j)%n]
					cs.Ephemeral = append(cs.Ephemeral, store.RevisionWrite{ItemID: y.ItemID, RevisionID: y.RevisionID,
						Config: []byte(`{"e":1}`), CompleteHash: "ce", DurableHash: y.DurableHash})
				}
				require.NoError(b, s.ApplyChanges(ctx, cs))
			}
		})
	}
}

// BenchmarkSaveIssues10k creates two issues on each of 10,000 items (a
// first audit) per iteration.
func BenchmarkSaveIssues10k(b *testing.B) {
	for _, engine := range storetest.Engines(b) {
		b.Run(engine, func(b *testing.B) {
			ctx := context.Background()
			s := storetest.New(b, engine)
			a := monkey.Account{Name: "bench", Identifier: "111111111111"}
			require.NoError(b, s.CreateAccount(ctx, &a))
			const n = 10_000
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				b.StopTimer()
				tech := fmt.Sprintf("t%d", i)
				require.NoError(b, s.ApplyChanges(ctx, store.ChangeSet{AccountID: a.ID, Technology: tech, New: benchItems(tech, n)}))
				st, err := s.ItemStates(ctx, a.ID, tech)
				require.NoError(b, err)
				writes := make([]store.IssueWrite, len(st))
				for j, x := range st {
					notes := x.Name
					writes[j] = store.IssueWrite{ItemID: x.ItemID, Class: "SecurityGroupAuditor", AuditHash: "h",
						Create: []monkey.Issue{{Text: "Internet Accessible", Score: 10, Notes: &notes},
							{Text: "Unknown Access", Score: 5}}}
				}
				b.StartTimer()
				require.NoError(b, s.SaveIssues(ctx, store.Fence{}, a.ID, tech, writes))
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "items/s")
		})
	}
}
