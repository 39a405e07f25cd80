package store_test

import (
	"context"
	"fmt"
	"sort"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/store"
)

// TestDashboardLists requires the highest-scoring items and the aging
// issues, read one account at a time and merged, to be those the listings
// give for all accounts and for a choice of two.
func TestDashboardLists(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		var accts []monkey.Account
		for i := range 3 {
			a := newAccount(t, s, fmt.Sprintf("acct-%d", i), fmt.Sprintf("%012d", i+1))
			accts = append(accts, a)
			var items []store.NewItem
			for j := range 8 {
				items = append(items, newItem("us-east-1", fmt.Sprintf("b%d", j), "", fmt.Sprintf(`{"j":%d}`, j)))
			}
			require.NoError(t, s.ApplyChanges(ctx, store.ChangeSet{AccountID: a.ID, Technology: "s3", New: items}))
			var writes []store.IssueWrite
			for j, st := range statesByName(t, s, a.ID, "s3") {
				if j == "us-east-1/b0" {
					continue // no issue
				}
				writes = append(writes, store.IssueWrite{ItemID: st.ItemID, Class: "A", Create: []monkey.Issue{
					{Text: "Internet Accessible", Score: int(st.ItemID%7) + i}, {Text: "Unknown Access", Score: 1}}})
			}
			require.NoError(t, s.SaveIssues(ctx, store.Fence{}, a.ID, "s3", writes))
		}
		// One item deleted, one issue justified.
		st := statesByName(t, s, accts[1].ID, "s3")["us-east-1/b3"]
		require.NoError(t, s.ApplyChanges(ctx, store.ChangeSet{AccountID: accts[1].ID, Technology: "s3",
			Deleted: []store.RevisionWrite{{ItemID: st.ItemID, RevisionID: st.RevisionID}}}))
		it, err := s.Item(ctx, statesByName(t, s, accts[2].ID, "s3")["us-east-1/b5"].ItemID)
		require.NoError(t, err)
		require.NoError(t, s.JustifyIssue(ctx, it.Issues[0].ID, 0, "ok"))

		yes, no := true, false
		for _, choice := range [][]monkey.Account{nil, {accts[2], accts[0]}, {accts[1]}} {
			var ids []int64
			var names []string
			for _, a := range choice {
				ids = append(ids, a.ID)
				names = append(names, a.Name)
			}
			items, _, err := s.ListItems(ctx, store.ItemQuery{Accounts: names, Active: &yes, Count: 1000})
			require.NoError(t, err)
			sort.Slice(items, func(i, j int) bool {
				if items[i].UnjustifiedScore != items[j].UnjustifiedScore {
					return items[i].UnjustifiedScore > items[j].UnjustifiedScore
				}
				return items[i].ID < items[j].ID
			})
			var want []int64
			for _, it := range items {
				if it.UnjustifiedScore > 0 && len(want) < 5 {
					want = append(want, it.ID)
				}
			}
			top, err := s.TopItems(ctx, ids, 5)
			require.NoError(t, err)
			var got []int64
			for _, it := range top {
				got = append(got, it.ID)
			}
			require.Equal(t, want, got, "top items of %v", names)

			issues, _, err := s.ListIssues(ctx, store.IssueQuery{ItemQuery: store.ItemQuery{Accounts: names, Active: &yes, Count: 1000},
				Justified: &no, EnabledOnly: true})
			require.NoError(t, err)
			want = want[:0]
			for _, v := range issues {
				want = append(want, v.Issue.ID)
			}
			sort.Slice(want, func(i, j int) bool { return want[i] < want[j] })
			want = want[:7]
			aging, err := s.OldestIssues(ctx, ids, 7)
			require.NoError(t, err)
			got = got[:0]
			for _, v := range aging {
				got = append(got, v.Issue.ID)
			}
			require.Equal(t, want, got, "aging issues of %v", names)
		}
	})
}
