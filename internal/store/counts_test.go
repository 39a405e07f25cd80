package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/store"
)

// TestCountsStayExact walks items and issues through every write the
// counts of migration 0007 depend on, and after each step requires the
// kept counts to equal a recount from the items and issues, and every
// listing total and dashboard figure read from them to equal what the rows
// give.
func TestCountsStayExact(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		prod := newAccount(t, s, "prod", "111111111111")
		dev := newAccount(t, s, "dev", "222222222222")
		clock := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
		s.SetClock(func() time.Time { return clock })
		user := monkey.User{Email: "j@example.com", Role: "Justify", Active: true}
		require.NoError(t, s.CreateUser(ctx, &user))

		state := func(acct int64, tech, key string) store.ItemState {
			t.Helper()
			st, ok := statesByName(t, s, acct, tech)[key]
			require.True(t, ok, key)
			return st
		}
		item := func(acct int64, tech, key string) monkey.StoredItem {
			t.Helper()
			it, err := s.Item(ctx, state(acct, tech, key).ItemID)
			require.NoError(t, err)
			return it
		}
		issueID := func(acct int64, tech, key, text string) int64 {
			t.Helper()
			for _, is := range item(acct, tech, key).Issues {
				if is.Text == text {
					return is.ID
				}
			}
			t.Fatalf("no issue %q on %s", text, key)
			return 0
		}
		create := func(acct int64, tech string, items ...store.NewItem) error {
			return s.ApplyChanges(ctx, store.ChangeSet{AccountID: acct, Technology: tech, Now: clock, New: items})
		}
		raise := func(acct int64, tech, key string, issues ...monkey.Issue) error {
			return s.SaveIssues(ctx, store.Fence{}, acct, tech, []store.IssueWrite{
				{ItemID: state(acct, tech, key).ItemID, Class: "Auditor", Create: issues}})
		}
		rewrite := func(acct int64, tech, key, cfg string, kind string) error {
			st := state(acct, tech, key)
			w := store.RevisionWrite{ItemID: st.ItemID, RevisionID: st.RevisionID, Config: []byte(cfg),
				CompleteHash: "c:" + cfg, DurableHash: "d:" + cfg}
			cs := store.ChangeSet{AccountID: acct, Technology: "s3", Now: clock}
			switch kind {
			case "durable":
				cs.Durable = []store.RevisionWrite{w}
			case "ephemeral":
				w.DurableHash = st.DurableHash
				cs.Ephemeral = []store.RevisionWrite{w}
			case "deleted":
				cs.Deleted = []store.RevisionWrite{w}
			}
			cs.Technology = tech
			return s.ApplyChanges(ctx, cs)
		}

		steps := []struct {
			name string
			do   func() error
			// fails: the step's write is refused (and must leave no count).
			fails bool
		}{
			{name: "create items", do: func() error {
				if err := create(prod.ID, "s3", newItem("us-east-1", "a", "", `{"a":1}`), newItem("us-east-1", "b", "", `{"b":1}`),
					newItem("eu-west-1", "c", "", `{"c":1}`)); err != nil {
					return err
				}
				if err := create(prod.ID, "iamrole", newItem("universal", "r", "", `{"r":1}`)); err != nil {
					return err
				}
				return create(dev.ID, "s3", newItem("us-east-1", "d", "", `{"d":1}`), newItem("eu-west-1", "e", "", `{"e":1}`))
			}},
			{name: "open issues", do: func() error {
				if err := raise(prod.ID, "s3", "us-east-1/a", monkey.Issue{Text: "Internet Accessible", Score: 10},
					monkey.Issue{Text: "Unknown Access", Score: 6, Notes: strp("n1")}); err != nil {
					return err
				}
				clock = clock.Add(26 * time.Hour)
				if err := raise(prod.ID, "s3", "eu-west-1/c", monkey.Issue{Text: "Internet Accessible", Score: 10}); err != nil {
					return err
				}
				if err := raise(prod.ID, "iamrole", "universal/r", monkey.Issue{Text: "Admin Access", Score: 8}); err != nil {
					return err
				}
				return raise(dev.ID, "s3", "us-east-1/d", monkey.Issue{Text: "Internet Accessible", Score: 10},
					monkey.Issue{Text: "Unknown Access", Score: 3})
			}},
			{name: "an item and an issue written by hand, without the columns the store sets (counted by triggers)", do: func() error {
				if err := s.ExecForTest(ctx, "INSERT INTO items (account_id, technology, region, name) VALUES (?, 's3', 'ap-south-1', 'by-hand')",
					prod.ID); err != nil {
					return err
				}
				ids, err := s.QueryIntsForTest(ctx, "SELECT id FROM items WHERE name = 'by-hand'")
				if err != nil {
					return err
				}
				if err := s.ExecForTest(ctx, "INSERT INTO revisions (id, item_id, config, active, created) VALUES (?, ?, '{}', TRUE, ?)",
					ids[0]+1000000, ids[0], clock); err != nil {
					return err
				}
				if err := s.ExecForTest(ctx, "UPDATE items SET latest_revision_id = ?, latest_active = TRUE WHERE id = ?", ids[0]+1000000,
					ids[0]); err != nil {
					return err
				}
				settings, err := s.QueryIntsForTest(ctx, "SELECT id FROM auditor_settings WHERE account_id = ? AND technology = 's3'"+
					" AND issue_text = 'Internet Accessible'", prod.ID)
				if err != nil {
					return err
				}
				return s.ExecForTest(ctx, "INSERT INTO issues (item_id, auditor_setting_id, score, issue_text, created) VALUES (?, ?, 10, 'Internet Accessible', ?)",
					state(prod.ID, "s3", "us-east-1/b").ItemID, settings[0], clock)
			}},
			{name: "raise an issue open already (kept, not counted twice)", do: func() error {
				return raise(prod.ID, "s3", "us-east-1/a", monkey.Issue{Text: "Internet Accessible", Score: 10})
			}},
			{name: "justify", do: func() error {
				return s.JustifyIssue(ctx, issueID(prod.ID, "s3", "us-east-1/a", "Internet Accessible"), user.ID, "accepted")
			}},
			{name: "durable change", do: func() error { return rewrite(prod.ID, "s3", "us-east-1/a", `{"a":2}`, "durable") }},
			{name: "ephemeral change", do: func() error { return rewrite(prod.ID, "s3", "us-east-1/b", `{"b":1,"t":1}`, "ephemeral") }},
			{name: "stale write refused after a new item", fails: true, do: func() error {
				stale := state(prod.ID, "s3", "us-east-1/b")
				if err := rewrite(prod.ID, "s3", "us-east-1/b", `{"b":2}`, "durable"); err != nil {
					return err
				}
				// The new item's batch commits; the deletion's is refused.
				return s.ApplyChanges(ctx, store.ChangeSet{AccountID: prod.ID, Technology: "s3", Now: clock,
					New:     []store.NewItem{newItem("us-west-2", "f", "", `{}`)},
					Deleted: []store.RevisionWrite{{ItemID: stale.ItemID, RevisionID: stale.RevisionID}}})
			}},
			{name: "delete an item with issues", do: func() error { return rewrite(prod.ID, "s3", "us-east-1/a", `{}`, "deleted") }},
			{name: "delete an item without issues", do: func() error { return rewrite(dev.ID, "s3", "eu-west-1/e", `{}`, "deleted") }},
			{name: "reactivate", do: func() error { return rewrite(prod.ID, "s3", "us-east-1/a", `{"a":3}`, "durable") }},
			{name: "fix", do: func() error {
				return s.SaveIssues(ctx, store.Fence{}, prod.ID, "s3", []store.IssueWrite{{ItemID: state(prod.ID, "s3", "eu-west-1/c").ItemID,
					Class: "Auditor", Fix: []int64{issueID(prod.ID, "s3", "eu-west-1/c", "Internet Accessible")}}})
			}},
			{name: "reopen", do: func() error {
				return s.SaveIssues(ctx, store.Fence{}, prod.ID, "s3", []store.IssueWrite{{ItemID: state(prod.ID, "s3", "eu-west-1/c").ItemID,
					Class: "Auditor", Reopen: []int64{issueID(prod.ID, "s3", "eu-west-1/c", "Internet Accessible")}}})
			}},
			{name: "fixed issue raised again (reopened)", do: func() error {
				c := state(prod.ID, "s3", "eu-west-1/c").ItemID
				if err := s.SaveIssues(ctx, store.Fence{}, prod.ID, "s3", []store.IssueWrite{{ItemID: c, Class: "Auditor",
					Fix: []int64{issueID(prod.ID, "s3", "eu-west-1/c", "Internet Accessible")}}}); err != nil {
					return err
				}
				return raise(prod.ID, "s3", "eu-west-1/c", monkey.Issue{Text: "Internet Accessible", Score: 10})
			}},
			{name: "unjustify", do: func() error {
				return s.UnjustifyIssue(ctx, issueID(prod.ID, "s3", "us-east-1/a", "Internet Accessible"))
			}},
			{name: "disable an auditor setting", do: func() error {
				list, err := s.ListAuditorSettings(ctx)
				if err != nil {
					return err
				}
				for _, st := range list {
					if st.IssueText == "Unknown Access" && st.AccountID == dev.ID {
						return s.SetAuditorSettingDisabled(ctx, st.ID, true)
					}
				}
				t.Fatal("no setting")
				return nil
			}},
			{name: "delete an account's issues of a technology", do: func() error {
				_, err := s.DeleteAccountIssues(ctx, prod.ID, []string{"iamrole"})
				return err
			}},
			{name: "delete a technology's items", do: func() error {
				_, err := s.DeleteTechnologyItems(ctx, "iamrole")
				return err
			}},
			{name: "delete an account", do: func() error { return s.DeleteAccount(ctx, dev.ID) }},
		}
		for _, step := range steps {
			err := step.do()
			if step.fails {
				require.Error(t, err, step.name)
			} else {
				require.NoError(t, err, step.name)
			}
			kept, recounted, err := s.CountsForTest(ctx)
			require.NoError(t, err)
			require.Equal(t, recounted, kept, "after %q: kept counts differ from a recount", step.name)
			requireTotalsExact(t, s, step.name, clock)
		}
		// The walk ends with prod's items and issues only.
		kept, _, err := s.CountsForTest(ctx)
		require.NoError(t, err)
		require.NotEmpty(t, kept)
	})
}

// requireTotalsExact requires the total of each listing (read from the
// counts) to equal the number of rows the listing returns, and the
// dashboard's figures to equal what the open-issue rows give.
func requireTotalsExact(t *testing.T, s *store.Store, step string, now time.Time) {
	t.Helper()
	ctx := context.Background()
	yes, no := true, false
	filters := []store.ItemQuery{
		{}, {Regions: []string{"us-east-1"}}, {Regions: []string{"eu-west-1", "universal"}}, {Accounts: []string{"prod"}},
		{Accounts: []string{"dev"}}, {AccountTypes: []string{"AWS"}}, {AccountTypes: []string{"GCP"}},
		{Technologies: []string{"s3"}}, {Technologies: []string{"iamrole"}}, {Active: &yes}, {Active: &no},
		{Active: &yes, ActiveAccounts: true}, {Accounts: []string{"prod"}, Technologies: []string{"s3"}, Regions: []string{"us-east-1"}},
	}
	for _, f := range filters {
		f.Count = 1000
		rows, total, err := s.ListItems(ctx, f)
		require.NoError(t, err)
		require.Equal(t, len(rows), total, "after %q: items total of %+v", step, f)
		for _, enabled := range []bool{false, true} {
			for _, j := range []*bool{nil, &yes, &no} {
				q := store.IssueQuery{ItemQuery: f, EnabledOnly: enabled, Justified: j}
				issues, total, err := s.ListIssues(ctx, q)
				require.NoError(t, err)
				require.Equal(t, len(issues), total, "after %q: issues total of %+v", step, q)
			}
		}
	}

	// Dashboard: open, unjustified issues of active items with an enabled
	// setting (every issue here has a setting), per technology.
	open, _, err := s.ListIssues(ctx, store.IssueQuery{ItemQuery: store.ItemQuery{Active: &yes, Count: 1000},
		EnabledOnly: true, Justified: &no})
	require.NoError(t, err)
	want := map[string]store.TechScore{}
	for _, v := range open {
		ts := want[v.Technology]
		ts.Technology = v.Technology
		ts.Issues++
		ts.Score += v.Issue.Score
		want[v.Technology] = ts
	}
	scores, err := s.TechScores(ctx, nil)
	require.NoError(t, err)
	got := map[string]store.TechScore{}
	for _, ts := range scores {
		got[ts.Technology] = ts
	}
	require.Equal(t, want, got, "after %q: technology scores", step)
	points, _, err := s.IssueTrend(ctx, nil, now, 3)
	require.NoError(t, err)
	require.Equal(t, len(open), points[len(points)-1], "after %q: trend today", step)
}
