package store_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/store"
)

func TestListings(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		prod := newAccount(t, s, "prod", "111111111111")
		dev := newAccount(t, s, "dev", "222222222222")
		t0 := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
		require.NoError(t, s.ApplyChanges(ctx, store.ChangeSet{AccountID: prod.ID, Technology: "s3", Now: t0, New: []store.NewItem{
			newItem("us-east-1", "logs", "arn:aws:s3:::logs", `{"Policy":"Public"}`),
			newItem("eu-west-1", "data", "arn:aws:s3:::data", `{"Policy":"private"}`),
		}}))
		require.NoError(t, s.ApplyChanges(ctx, store.ChangeSet{AccountID: dev.ID, Technology: "iamrole", Now: t0.Add(time.Hour),
			New: []store.NewItem{newItem("universal", "admin", "", `{}`)}}))
		logs, err := s.ItemByName(ctx, prod.ID, "s3", "us-east-1", "logs")
		require.NoError(t, err)
		require.NoError(t, s.ApplyChanges(ctx, store.ChangeSet{AccountID: prod.ID, Technology: "s3", Now: t0.Add(2 * time.Hour),
			Durable: []store.RevisionWrite{{ItemID: logs.ID, RevisionID: logs.RevisionID, ARN: logs.ARN, Config: []byte(`{"Policy":"Public","v":2}`)}}}))

		rows, total, err := s.ListItems(ctx, store.ItemQuery{})
		require.NoError(t, err)
		require.Equal(t, 3, total)
		require.Equal(t, "logs", rows[0].Name, "newest latest revision first")
		require.Equal(t, t0, rows[0].FirstSeen)
		require.Equal(t, t0.Add(2*time.Hour), rows[0].LastSeen)
		require.Equal(t, "AWS", rows[0].AccountType)
		require.Equal(t, "admin", rows[1].Name)

		rows, total, err = s.ListItems(ctx, store.ItemQuery{Accounts: []string{"prod"}, SearchConfig: "public"})
		require.NoError(t, err)
		require.Equal(t, 1, total)
		require.Equal(t, logs.ID, rows[0].ID)
		rows, total, err = s.ListItems(ctx, store.ItemQuery{Technologies: []string{"s3"}, Count: 1, Page: 2})
		require.NoError(t, err)
		require.Equal(t, 2, total)
		require.Len(t, rows, 1)
		require.Equal(t, "data", rows[0].Name)

		require.NoError(t, s.SaveIssues(ctx, store.Fence{}, prod.ID, "s3", []store.IssueWrite{{ItemID: logs.ID, Class: "S3Auditor",
			Create: []monkey.Issue{
				{Text: "Internet Accessible", Score: 10, LinkedItemIDs: []int64{rows[0].ID}},
				{Text: "Unknown Access", Score: 5, Notes: strp("Entity: [account:123]")},
			}}}))
		issues, total, err := s.ListIssues(ctx, store.IssueQuery{EnabledOnly: true})
		require.NoError(t, err)
		require.Equal(t, 2, total)
		require.Equal(t, 10, issues[0].Issue.Score)
		require.Equal(t, []int64{rows[0].ID}, issues[0].Issue.LinkedItemIDs)
		require.Equal(t, "arn:aws:s3:::logs", issues[0].ARN)
		require.Equal(t, "111111111111", issues[0].AccountIdentifier)
		issues, total, err = s.ListIssues(ctx, store.IssueQuery{SearchTerms: []string{"account:123"}})
		require.NoError(t, err)
		require.Equal(t, 1, total)
		require.Equal(t, "Unknown Access", issues[0].Issue.Text)
		yes := true
		_, total, err = s.ListIssues(ctx, store.IssueQuery{Justified: &yes})
		require.NoError(t, err)
		require.Zero(t, total)

		one, err := s.Issue(ctx, issues[0].Issue.ID)
		require.NoError(t, err)
		require.Equal(t, issues[0], one)
		_, err = s.Issue(ctx, 99999)
		require.ErrorIs(t, err, monkey.ErrNotFound)

		rev, err := s.Revision(ctx, logs.RevisionID)
		require.NoError(t, err)
		require.JSONEq(t, `{"Policy":"Public"}`, string(rev.Config))
		require.Equal(t, t0, rev.CreatedAt)
		_, err = s.Revision(ctx, 99999)
		require.ErrorIs(t, err, monkey.ErrNotFound)

		n, err := s.DeleteTechnologyItems(ctx, "s3")
		require.NoError(t, err)
		require.Equal(t, 2, n)
		_, total, err = s.ListItems(ctx, store.ItemQuery{})
		require.NoError(t, err)
		require.Equal(t, 1, total)
	})
}

func TestSQLiteInMemory(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, err := store.Open(ctx, ":memory:", nil)
	require.NoError(t, err)
	defer s.Close()
	_, err = s.Migrate(ctx)
	require.NoError(t, err)
	require.NoError(t, s.SchemaCurrent(ctx))
	a := newAccount(t, s, "mem", "111111111111")
	require.NoError(t, s.ApplyChanges(ctx, store.ChangeSet{AccountID: a.ID, Technology: "s3",
		New: []store.NewItem{newItem("us-east-1", "b", "", `{}`, monkey.KnownResource{Kind: "s3_bucket", Value: "b"})}}))
	items, err := s.ItemsForAudit(ctx, a.ID, "s3", nil)
	require.NoError(t, err)
	require.Len(t, items, 1)
	require.NoError(t, s.SaveIssues(ctx, store.Fence{}, a.ID, "s3", []store.IssueWrite{{ItemID: items[0].ID, Class: "S3Auditor",
		Create: []monkey.Issue{{Text: "x", Score: 1, LinkedItemIDs: []int64{items[0].ID}}}}}))
	d, err := s.AuditData(ctx)
	require.NoError(t, err)
	require.Len(t, d.Known, 1)
	issues, _, err := s.ListIssues(ctx, store.IssueQuery{})
	require.NoError(t, err)
	require.Len(t, issues, 1)
	it, err := s.Item(ctx, items[0].ID)
	require.NoError(t, err)
	require.Len(t, it.Issues, 1)
}

func TestEphemeralTakesARNBackAndReplacesFacts(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a := newAccount(t, s, "a", "111111111111")
		b := newAccount(t, s, "b", "222222222222")
		arn := "arn:aws:iam::111111111111:role/r"
		require.NoError(t, s.ApplyChanges(ctx, store.ChangeSet{AccountID: a.ID, Technology: "iamrole",
			New: []store.NewItem{newItem("universal", "r", arn, `{}`, monkey.KnownResource{Kind: "userid", Value: "AROA1"})}}))
		require.NoError(t, s.ApplyChanges(ctx, store.ChangeSet{AccountID: b.ID, Technology: "iamrole",
			New: []store.NewItem{newItem("universal", "r", arn, `{}`)}}))
		st := statesByName(t, s, a.ID, "iamrole")["universal/r"]
		require.Empty(t, st.ARN, "taken over by b")

		require.NoError(t, s.ApplyChanges(ctx, store.ChangeSet{AccountID: a.ID, Technology: "iamrole",
			Ephemeral: []store.RevisionWrite{{ItemID: st.ItemID, RevisionID: st.RevisionID, ARN: arn, Config: []byte(`{"t":1}`),
				CompleteHash: "c", DurableHash: st.DurableHash, Facts: []monkey.KnownResource{{Kind: "userid", Value: "AROA2"}}}}}))
		require.Equal(t, arn, statesByName(t, s, a.ID, "iamrole")["universal/r"].ARN)
		require.Empty(t, statesByName(t, s, b.ID, "iamrole")["universal/r"].ARN)
		d, err := s.AuditData(ctx)
		require.NoError(t, err)
		require.Equal(t, []monkey.KnownResource{{Account: "111111111111", Kind: "userid", Value: "AROA2"}}, d.Known)

		// an empty ARN leaves the stored one alone.
		require.NoError(t, s.ApplyChanges(ctx, store.ChangeSet{AccountID: a.ID, Technology: "iamrole",
			Ephemeral: []store.RevisionWrite{{ItemID: st.ItemID, RevisionID: st.RevisionID, Config: []byte(`{"t":2}`), CompleteHash: "c2"}}}))
		got := statesByName(t, s, a.ID, "iamrole")["universal/r"]
		require.Equal(t, arn, got.ARN)
		require.Equal(t, "c2", got.CompleteHash)
		require.Equal(t, st.RevisionID, got.RevisionID)
		rev, err := s.Revision(ctx, st.RevisionID)
		require.NoError(t, err)
		require.JSONEq(t, `{"t":2}`, string(rev.Config))
	})
}

func TestWithTx(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		boom := errors.New("boom")
		err := s.WithTx(ctx, func(tx *store.Store) error {
			a := monkey.Account{Name: "rolled", Identifier: "100000000001"}
			require.NoError(t, tx.CreateAccount(ctx, &a))
			got, err := tx.AccountByName(ctx, "rolled")
			require.NoError(t, err, "reads inside the transaction see its writes")
			require.Equal(t, a.ID, got.ID)
			return boom
		})
		require.ErrorIs(t, err, boom)
		_, err = s.AccountByName(ctx, "rolled")
		require.ErrorIs(t, err, monkey.ErrNotFound)

		require.NoError(t, s.WithTx(ctx, func(tx *store.Store) error {
			a := monkey.Account{Name: "kept", Identifier: "100000000002"}
			if err := tx.CreateAccount(ctx, &a); err != nil {
				return err
			}
			return tx.WithTx(ctx, func(inner *store.Store) error {
				return inner.ApplyChanges(ctx, store.ChangeSet{AccountID: a.ID, Technology: "s3",
					New: []store.NewItem{newItem("us-east-1", "b", "", `{}`)}})
			})
		}))
		a, err := s.AccountByName(ctx, "kept")
		require.NoError(t, err)
		states, err := s.ItemStates(ctx, a.ID, "s3")
		require.NoError(t, err)
		require.Len(t, states, 1)
	})
}

// TestIssueListingFilters: the item filters of issue listings (account,
// account type, technology, region, active) read the columns the issue rows
// carry (migration 0004), which follow the item — also when it is deleted
// and comes back.
func TestIssueListingFilters(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		prod := newAccount(t, s, "prod", "111111111111")
		dev := newAccount(t, s, "dev", "222222222222")
		t0 := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
		add := func(acct monkey.Account, tech, region, name string) monkey.StoredItem {
			require.NoError(t, s.ApplyChanges(ctx, store.ChangeSet{AccountID: acct.ID, Technology: tech, Now: t0,
				New: []store.NewItem{newItem(region, name, "", `{}`)}}))
			it, err := s.ItemByName(ctx, acct.ID, tech, region, name)
			require.NoError(t, err)
			require.NoError(t, s.SaveIssues(ctx, store.Fence{}, acct.ID, tech, []store.IssueWrite{{ItemID: it.ID, Class: "C",
				Create: []monkey.Issue{{Text: "Issue of " + name, Score: 3}}}}))
			return it
		}
		bucket := add(prod, "s3", "us-east-1", "bucket")
		add(prod, "sqs", "eu-west-1", "queue")
		add(dev, "s3", "eu-west-1", "other")
		names := func(q store.IssueQuery) []string {
			t.Helper()
			list, total, err := s.ListIssues(ctx, q)
			require.NoError(t, err)
			out := []string{}
			for _, v := range list {
				out = append(out, v.ItemName)
			}
			require.Len(t, out, total)
			slices.Sort(out)
			return out
		}
		yes, no := true, false
		iq := func(f store.ItemQuery) store.IssueQuery { return store.IssueQuery{ItemQuery: f} }
		require.Equal(t, []string{"bucket", "other", "queue"}, names(store.IssueQuery{}))
		require.Equal(t, []string{"bucket", "queue"}, names(iq(store.ItemQuery{Accounts: []string{"prod"}})))
		require.Equal(t, []string{"bucket", "other"}, names(iq(store.ItemQuery{Technologies: []string{"s3"}})))
		require.Equal(t, []string{"other", "queue"}, names(iq(store.ItemQuery{Regions: []string{"eu-west-1"}})))
		require.Equal(t, []string{"bucket", "other", "queue"}, names(iq(store.ItemQuery{AccountTypes: []string{"AWS"}})))
		require.Equal(t, []string{"other"}, names(iq(store.ItemQuery{Accounts: []string{"dev"}, Technologies: []string{"s3"}, Names: []string{"other"}})))
		require.Equal(t, []string{"bucket", "other", "queue"}, names(iq(store.ItemQuery{Active: &yes})))
		require.Empty(t, names(iq(store.ItemQuery{Active: &no})))

		// Deleted, the bucket's open issue follows it into active=false …
		require.NoError(t, s.ApplyChanges(ctx, store.ChangeSet{AccountID: prod.ID, Technology: "s3", Now: t0.Add(time.Hour),
			Deleted: []store.RevisionWrite{{ItemID: bucket.ID, RevisionID: bucket.RevisionID, Config: []byte(`{}`)}}}))
		require.Equal(t, []string{"bucket"}, names(iq(store.ItemQuery{Active: &no})))
		require.Equal(t, []string{"other", "queue"}, names(iq(store.ItemQuery{Active: &yes})))
		// … and back when it reappears.
		gone, err := s.ItemByName(ctx, prod.ID, "s3", "us-east-1", "bucket")
		require.NoError(t, err)
		require.NoError(t, s.ApplyChanges(ctx, store.ChangeSet{AccountID: prod.ID, Technology: "s3", Now: t0.Add(2 * time.Hour),
			Durable: []store.RevisionWrite{{ItemID: gone.ID, RevisionID: gone.RevisionID, Config: []byte(`{"back":true}`)}}}))
		require.Equal(t, []string{"bucket", "other", "queue"}, names(iq(store.ItemQuery{Active: &yes})))
	})
}

// TestConfigSearchFollowsLatestConfig: the item config search reads the
// latest configs the writers keep (migration 0009): a new revision, an
// ephemeral rewrite and a deletion replace the searched text, and deleted
// items leave the search.
func TestConfigSearchFollowsLatestConfig(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a := newAccount(t, s, "prod", "111111111111")
		require.NoError(t, s.ApplyChanges(ctx, store.ChangeSet{AccountID: a.ID, Technology: "s3", New: []store.NewItem{
			newItem("us-east-1", "b", "arn:aws:s3:::b", `{"Policy":"OldText","Path":"C:\\dir\\x_y 100%"}`),
			newItem("us-east-1", "other", "arn:aws:s3:::other", `{"Policy":"unrelated"}`),
		}}))
		search := func(text string) []string {
			t.Helper()
			rows, total, err := s.ListItems(ctx, store.ItemQuery{SearchConfig: text})
			require.NoError(t, err)
			require.Len(t, rows, total)
			names := []string{}
			for _, r := range rows {
				names = append(names, r.Name)
			}
			return names
		}
		require.Equal(t, []string{"b"}, search("oldtext"), "case-insensitive")
		require.Equal(t, []string{"b"}, search(`c:\\DIR\\x_y 100%`), `backslash, _ and % are literal`)
		require.Empty(t, search(`c:\\dir\\xzy`), "_ matches only itself")
		require.Empty(t, search(`100%"x`), "% matches only itself")

		st := statesByName(t, s, a.ID, "s3")["us-east-1/b"]
		require.NoError(t, s.ApplyChanges(ctx, store.ChangeSet{AccountID: a.ID, Technology: "s3", Durable: []store.RevisionWrite{
			{ItemID: st.ItemID, RevisionID: st.RevisionID, ARN: "arn:aws:s3:::b", Config: []byte(`{"Policy":"NewText"}`)}}}))
		require.Empty(t, search("oldtext"), "an older revision's config is not searched")
		require.Equal(t, []string{"b"}, search("NEWTEXT"))

		st = statesByName(t, s, a.ID, "s3")["us-east-1/b"]
		require.NoError(t, s.ApplyChanges(ctx, store.ChangeSet{AccountID: a.ID, Technology: "s3", Ephemeral: []store.RevisionWrite{
			{ItemID: st.ItemID, RevisionID: st.RevisionID, Config: []byte(`{"Policy":"NewText","Seen":"Ephemeral"}`)}}}))
		require.Equal(t, []string{"b"}, search("ephemeral"), "an ephemeral rewrite of the latest revision is searched")

		require.NoError(t, s.ApplyChanges(ctx, store.ChangeSet{AccountID: a.ID, Technology: "s3", Deleted: []store.RevisionWrite{
			{ItemID: st.ItemID, RevisionID: st.RevisionID, Config: []byte(`{"Arn":"arn:aws:s3:::b"}`)}}}))
		require.Empty(t, search("newtext"), "a deletion's revision is the latest")
		require.Equal(t, []string{"b"}, search("arn:aws:s3:::b"))

		n, err := s.DeleteTechnologyItems(ctx, "s3")
		require.NoError(t, err)
		require.Equal(t, 2, n)
		require.Empty(t, search("arn"))
	})
}

// TestConfigSearchMigration: migration 0009 fills the latest configs and
// the issues' item names of a database written before it.
func TestConfigSearchMigration(t *testing.T) {
	t.Parallel()
	forEachOldStore(t, 8, func(t *testing.T, s *store.Store, exec func(q string, args ...any)) {
		ctx := context.Background()
		// Written by a version 8 binary (the store writes latest_configs
		// now: by hand).
		t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		exec("INSERT INTO accounts (id, account_type_id, name, identifier, active) VALUES (1, 1, 'prod', '111111111111', TRUE)")
		exec("INSERT INTO items (id, account_id, technology, region, name) VALUES (10, 1, 's3', 'us-east-1', 'Logs-Bucket')")
		exec(`INSERT INTO revisions (id, item_id, previous_id, config, active, created) VALUES
			(100, 10, NULL, '{"Policy":"Old"}', TRUE, ?), (101, 10, 100, '{"Policy":"New"}', TRUE, ?)`, t0, t0.Add(time.Hour))
		exec("UPDATE items SET latest_revision_id = 101 WHERE id = 10")
		exec("INSERT INTO issues (id, item_id, score, issue_text) VALUES (1000, 10, 10, 'Internet Accessible')")

		_, err := s.Migrate(ctx)
		require.NoError(t, err)
		_, total, err := s.ListItems(ctx, store.ItemQuery{SearchConfig: `"new"`})
		require.NoError(t, err)
		require.Equal(t, 1, total, "the latest config is searched")
		_, total, err = s.ListItems(ctx, store.ItemQuery{SearchConfig: `"old"`})
		require.NoError(t, err)
		require.Zero(t, total)
		_, total, err = s.ListIssues(ctx, store.IssueQuery{SearchTerms: []string{"logs-b"}})
		require.NoError(t, err)
		require.Equal(t, 1, total, "the issue's item name is searched")
	})
}

// TestIssueSearchPages: a searched issue listing takes its page and total
// from one pass; pages past the matches keep the total.
func TestIssueSearchPages(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a := newAccount(t, s, "prod", "111111111111")
		require.NoError(t, s.ApplyChanges(ctx, store.ChangeSet{AccountID: a.ID, Technology: "s3", New: []store.NewItem{
			newItem("us-east-1", "b", "", `{}`)}}))
		st := statesByName(t, s, a.ID, "s3")["us-east-1/b"]
		require.NoError(t, s.SaveIssues(ctx, store.Fence{}, a.ID, "s3", []store.IssueWrite{{ItemID: st.ItemID, Class: "S3Auditor",
			Create: []monkey.Issue{{Text: "Open 1", Score: 3}, {Text: "Open 2", Score: 2}, {Text: "open 3", Score: 1}, {Text: "Other", Score: 9}}}}))
		for _, tc := range []struct {
			page  int
			texts []string
		}{{1, []string{"Open 1", "Open 2"}}, {2, []string{"open 3"}}, {3, nil}} {
			list, total, err := s.ListIssues(ctx, store.IssueQuery{ItemQuery: store.ItemQuery{Page: tc.page, Count: 2},
				SearchTerms: []string{" ", "OPEN"}})
			require.NoError(t, err)
			require.Equal(t, 3, total, "page %d", tc.page)
			var texts []string
			for _, v := range list {
				texts = append(texts, v.Issue.Text)
			}
			require.Equal(t, tc.texts, texts, "page %d", tc.page)
		}
		list, total, err := s.ListIssues(ctx, store.IssueQuery{SearchTerms: []string{"nothing"}})
		require.NoError(t, err)
		require.Zero(t, total)
		require.Empty(t, list)
		require.NotNil(t, list)
	})
}
