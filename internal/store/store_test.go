package store_test

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/store"
	"github.com/secmonkey/monkey/internal/store/storetest"
)

// forEachEngine runs fn on a fresh migrated store of every engine.
func forEachEngine(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			fn(t, storetest.New(t, engine))
		})
	}
}

// forEachOldStore runs fn on each engine with a fresh database migrated to
// schema version upTo only, as an older binary left it; exec writes to it
// by hand.
func forEachOldStore(t *testing.T, upTo int, fn func(t *testing.T, s *store.Store, exec func(q string, args ...any))) {
	t.Helper()
	urls := map[string]string{store.EngineSQLite: filepath.Join(t.TempDir(), "old.db")}
	for _, e := range storetest.Engines(t) {
		if e == store.EnginePostgres {
			urls[e] = storetest.ScratchPostgres(t)
		}
	}
	for engine, u := range urls {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			s, err := store.Open(ctx, u, nil)
			require.NoError(t, err)
			t.Cleanup(func() { _ = s.Close() })
			_, err = s.MigrateToForTest(ctx, upTo)
			require.NoError(t, err)
			fn(t, s, func(q string, args ...any) {
				t.Helper()
				require.NoError(t, s.ExecForTest(ctx, q, args...), q)
			})
		})
	}
}

func newAccount(t *testing.T, s *store.Store, name, identifier string) monkey.Account {
	t.Helper()
	a := monkey.Account{Type: "AWS", Name: name, Identifier: identifier, Active: true,
		Custom: map[string]string{monkey.FieldRoleName: "Monkey"}}
	require.NoError(t, s.CreateAccount(context.Background(), &a))
	require.NotZero(t, a.ID)
	return a
}

func code(err error) string { return monkey.ErrorCode(err) }

func TestOpenErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, err := store.Open(ctx, "postgres://monkey:s3cretpw@127.0.0.1:1/nope?sslmode=disable&connect_timeout=2", nil)
	require.Error(t, err)
	require.NotContains(t, err.Error(), "s3cretpw")
	require.Contains(t, err.Error(), "127.0.0.1:1")

	dir := filepath.Join(t.TempDir(), "missing", "dir", "x.db")
	_, err = store.Open(ctx, dir, nil)
	require.Error(t, err)
	require.Contains(t, err.Error(), dir)
}

func TestOpenSQLiteURLForms(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	for _, u := range []string{
		filepath.Join(dir, "a.db"),
		"sqlite://" + filepath.Join(dir, "b.db"),
		"file:" + filepath.Join(dir, "c.db"),
	} {
		s, err := store.Open(ctx, u, slog.New(slog.DiscardHandler))
		require.NoError(t, err, u)
		require.Equal(t, "sqlite", s.Engine())
		require.NoError(t, s.Ping(ctx))
		require.NoError(t, s.Close())
	}
}

func TestMigrations(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		n, err := s.Migrate(ctx)
		require.NoError(t, err)
		require.Zero(t, n, "second migrate applies nothing")
		require.NoError(t, s.SchemaCurrent(ctx))

		require.NoError(t, s.ExecForTest(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', 'x')"))
		err = s.SchemaCurrent(ctx)
		require.Error(t, err)
		require.Equal(t, monkey.EINVALID, code(err))
		require.Contains(t, err.Error(), "newer")

		require.NoError(t, s.ExecForTest(ctx, "DELETE FROM schema_migrations"))
		err = s.SchemaCurrent(ctx)
		require.Equal(t, monkey.EINVALID, code(err))
		require.Contains(t, err.Error(), "database schema is not current: run `monkey migrate`")
	})
}

func TestSchemaCurrentOnEmptyDatabase(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	urls := map[string]string{"sqlite": filepath.Join(t.TempDir(), "empty.db")}
	for _, e := range storetest.Engines(t) {
		if e == "postgres" {
			urls[e] = storetest.ScratchPostgres(t)
		}
	}
	for engine, u := range urls {
		s, err := store.Open(ctx, u, nil)
		require.NoError(t, err)
		err = s.SchemaCurrent(ctx)
		require.Equal(t, monkey.EINVALID, code(err), engine)
		require.Contains(t, err.Error(), "run `monkey migrate`")
		n, err := s.Migrate(ctx)
		require.NoError(t, err)
		require.Positive(t, n)
		require.NoError(t, s.SchemaCurrent(ctx))
		require.NoError(t, s.Close())
	}
}

func TestConcurrentMigrate(t *testing.T) {
	t.Parallel()
	urls := map[string]string{"sqlite": filepath.Join(t.TempDir(), "race.db")}
	for _, e := range storetest.Engines(t) {
		if e == "postgres" {
			urls[e] = storetest.ScratchPostgres(t)
		}
	}
	for engine, u := range urls {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			const n = 3
			applied := make(chan int, n)
			errs := make(chan error, n)
			for range n {
				go func() {
					s, err := store.Open(ctx, u, nil)
					if err != nil {
						errs <- err
						applied <- 0
						return
					}
					defer s.Close()
					k, err := s.Migrate(ctx)
					errs <- err
					applied <- k
				}()
			}
			total := 0
			for range n {
				require.NoError(t, <-errs)
				total += <-applied
			}
			fresh, err := store.Open(ctx, filepath.Join(t.TempDir(), "fresh.db"), nil)
			require.NoError(t, err)
			defer fresh.Close()
			want, err := fresh.Migrate(ctx)
			require.NoError(t, err)
			require.Equal(t, want, total, "each migration applied exactly once")
			s, err := store.Open(ctx, u, nil)
			require.NoError(t, err)
			defer s.Close()
			require.NoError(t, s.SchemaCurrent(ctx))
		})
	}
}

func TestSchemasMatch(t *testing.T) {
	t.Parallel()
	engines := storetest.Engines(t)
	if len(engines) < 2 {
		t.Skip("postgres unreachable: cannot compare schemas")
	}
	ctx := context.Background()
	lite, err := storetest.New(t, "sqlite").SchemaForTest(ctx)
	require.NoError(t, err)
	pg, err := storetest.New(t, "postgres").SchemaForTest(ctx)
	require.NoError(t, err)
	require.Contains(t, lite, "items")
	require.Contains(t, lite, "schema_migrations")
	require.Equal(t, lite, pg)
}

func TestAccounts(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		b := newAccount(t, s, "bravo", "222222222222")
		a := newAccount(t, s, "alpha", "111111111111")

		got, err := s.Account(ctx, a.ID)
		require.NoError(t, err)
		require.Equal(t, a, got)
		got, err = s.AccountByName(ctx, "bravo")
		require.NoError(t, err)
		require.Equal(t, b, got)

		dup := monkey.Account{Name: "alpha", Identifier: "333333333333"}
		err = s.CreateAccount(ctx, &dup)
		require.Equal(t, monkey.ECONFLICT, code(err))
		require.Contains(t, err.Error(), `named "alpha"`)
		dup = monkey.Account{Name: "charlie", Identifier: "111111111111"}
		err = s.CreateAccount(ctx, &dup)
		require.Equal(t, monkey.ECONFLICT, code(err))
		require.Contains(t, err.Error(), "identifier")
		require.Equal(t, monkey.EINVALID, code(s.CreateAccount(ctx, &monkey.Account{Name: "x"})))

		before := s.Statements()
		list, err := s.ListAccounts(ctx)
		require.NoError(t, err)
		require.Equal(t, int64(1), s.Statements()-before, "ListAccounts is one query")
		require.Len(t, list, 2)
		require.Equal(t, "alpha", list[0].Name)
		require.Equal(t, "Monkey", list[0].RoleName())

		b.Custom = map[string]string{monkey.FieldRoleName: "R", monkey.FieldS3Name: "s3n", "canonical_id": "abc"}
		require.NoError(t, s.UpdateAccount(ctx, b))
		before = s.Statements()
		got, err = s.AccountByName(ctx, "bravo")
		require.NoError(t, err)
		require.Equal(t, int64(1), s.Statements()-before, "AccountByName is one query")
		require.Equal(t, b, got)

		a.Notes, a.Active, a.Type = "updated", false, "GCP"
		a.Custom = map[string]string{monkey.FieldExternalID: "ext"}
		require.NoError(t, s.UpdateAccount(ctx, a))
		got, err = s.Account(ctx, a.ID)
		require.NoError(t, err)
		require.Equal(t, a, got)
		require.Equal(t, monkey.DefaultRoleName, got.RoleName())

		b2 := b
		b2.Name = "alpha"
		require.Equal(t, monkey.ECONFLICT, code(s.UpdateAccount(ctx, b2)))
		missing := a
		missing.ID = 9999
		require.ErrorIs(t, s.UpdateAccount(ctx, missing), monkey.ErrNotFound)

		require.NoError(t, s.DeleteAccount(ctx, b.ID))
		_, err = s.Account(ctx, b.ID)
		require.ErrorIs(t, err, monkey.ErrNotFound)
		require.Equal(t, monkey.ENOTFOUND, code(s.DeleteAccount(ctx, b.ID)))
		_, err = s.AccountByName(ctx, "nope")
		require.ErrorIs(t, err, monkey.ErrNotFound)
	})
}

func TestUpsertThirdPartyAccounts(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		own := newAccount(t, s, "mine", "123456789012")
		require.NoError(t, s.UpsertThirdPartyAccounts(ctx, []monkey.Account{
			{Name: "elb-us-east-1", Identifier: "127311923021", Notes: "https://docs/elb"},
			{Name: "aws-renamed", Identifier: "123456789012", Notes: "n"},
		}))
		// idempotent
		require.NoError(t, s.UpsertThirdPartyAccounts(ctx, []monkey.Account{
			{Name: "elb-us-east-1", Identifier: "127311923021", Notes: "https://docs/elb"},
		}))
		list, err := s.ListAccounts(ctx)
		require.NoError(t, err)
		require.Len(t, list, 2)
		got, err := s.Account(ctx, own.ID)
		require.NoError(t, err)
		require.Equal(t, "aws-renamed", got.Name)
		require.True(t, got.ThirdParty)
		require.False(t, got.Active)
		elb, err := s.AccountByName(ctx, "elb-us-east-1")
		require.NoError(t, err)
		require.Equal(t, monkey.Account{ID: elb.ID, Type: "AWS", Identifier: "127311923021", Name: "elb-us-east-1",
			ThirdParty: true, Notes: "https://docs/elb", Custom: map[string]string{}}, elb)
	})
}

func newItem(region, name, arn, cfg string, facts ...monkey.KnownResource) store.NewItem {
	return store.NewItem{Region: region, Name: name, ARN: arn, Config: []byte(cfg),
		CompleteHash: "c:" + cfg, DurableHash: "d:" + cfg, Facts: facts}
}

func statesByName(t *testing.T, s *store.Store, account int64, tech string) map[string]store.ItemState {
	t.Helper()
	states, err := s.ItemStates(context.Background(), account, tech)
	require.NoError(t, err)
	out := map[string]store.ItemState{}
	for _, st := range states {
		out[st.Region+"/"+st.Name] = st
	}
	return out
}

func TestChangeSets(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		acct := newAccount(t, s, "prod", "111111111111")
		other := newAccount(t, s, "dev", "222222222222")
		t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
		bucket := monkey.KnownResource{Kind: "s3_bucket", Value: "bucket-a"}
		require.NoError(t, s.ApplyChanges(ctx, store.ChangeSet{AccountID: acct.ID, Technology: "iamrole", Now: t0,
			New: []store.NewItem{
				newItem("universal", "role-a", "arn:aws:iam::111111111111:role/a", `{"a":1}`, bucket),
				newItem("universal", "role-b", "", `{"b":1}`),
				newItem("universal", "role-c", "arn:c", `{"c":1}`, monkey.KnownResource{Kind: "userid", Value: "AROAC"}),
			}}))
		st := statesByName(t, s, acct.ID, "iamrole")
		require.Len(t, st, 3)
		a := st["universal/role-a"]
		require.True(t, a.Active)
		require.Equal(t, "arn:aws:iam::111111111111:role/a", a.ARN)
		require.Equal(t, `c:{"a":1}`, a.CompleteHash)
		require.Equal(t, `d:{"a":1}`, a.DurableHash)
		require.Empty(t, a.AuditHash)
		require.NotZero(t, a.RevisionID)
		require.Empty(t, st["universal/role-b"].ARN)

		item, err := s.Item(ctx, a.ItemID)
		require.NoError(t, err)
		require.JSONEq(t, `{"a":1}`, string(item.Config))
		require.Equal(t, "prod", item.AccountName)
		require.Equal(t, a.RevisionID, item.RevisionID)
		require.Empty(t, item.Issues)
		byName, err := s.ItemByName(ctx, acct.ID, "iamrole", "universal", "role-a")
		require.NoError(t, err)
		require.Equal(t, item, byName)
		_, err = s.ItemByName(ctx, acct.ID, "iamrole", "universal", "nope")
		require.ErrorIs(t, err, monkey.ErrNotFound)
		_, err = s.Item(ctx, 987654)
		require.ErrorIs(t, err, monkey.ErrNotFound)

		// Durable change of a, ephemeral change of b, deletion of c.
		b := st["universal/role-b"]
		c := st["universal/role-c"]
		t1 := t0.Add(time.Hour)
		require.NoError(t, s.ApplyChanges(ctx, store.ChangeSet{AccountID: acct.ID, Technology: "iamrole", Now: t1,
			Durable: []store.RevisionWrite{{ItemID: a.ItemID, RevisionID: a.RevisionID, ARN: a.ARN, Config: []byte(`{"a":2}`),
				CompleteHash: "c2", DurableHash: "d2", Facts: []monkey.KnownResource{{Kind: "s3_bucket", Value: "bucket-a2"}}}},
			Ephemeral: []store.RevisionWrite{{ItemID: b.ItemID, RevisionID: b.RevisionID, Config: []byte(`{"b":1,"t":2}`),
				CompleteHash: "cb2", DurableHash: b.DurableHash}},
			Deleted: []store.RevisionWrite{{ItemID: c.ItemID, RevisionID: c.RevisionID, ARN: "arn:c", Config: []byte(`{}`),
				CompleteHash: "cdel", DurableHash: "ddel"}},
		}))
		st2 := statesByName(t, s, acct.ID, "iamrole")
		require.NotEqual(t, a.RevisionID, st2["universal/role-a"].RevisionID)
		require.Equal(t, "c2", st2["universal/role-a"].CompleteHash)
		require.Equal(t, "d2", st2["universal/role-a"].DurableHash)
		require.Equal(t, b.RevisionID, st2["universal/role-b"].RevisionID)
		require.Equal(t, "cb2", st2["universal/role-b"].CompleteHash)
		require.Equal(t, b.DurableHash, st2["universal/role-b"].DurableHash)
		require.False(t, st2["universal/role-c"].Active)
		require.Equal(t, "arn:c", st2["universal/role-c"].ARN, "deleted items keep their arn")

		revs, err := s.Revisions(ctx, a.ItemID)
		require.NoError(t, err)
		require.Len(t, revs, 2)
		require.Equal(t, t1, revs[0].CreatedAt)
		require.Equal(t, t0, revs[1].CreatedAt)
		require.JSONEq(t, `{"a":2}`, string(revs[0].Config))
		require.True(t, revs[0].Active)
		require.Nil(t, revs[0].DateLastEphemeralChange)

		revs, err = s.Revisions(ctx, b.ItemID)
		require.NoError(t, err)
		require.Len(t, revs, 1)
		require.JSONEq(t, `{"b":1,"t":2}`, string(revs[0].Config))
		require.NotNil(t, revs[0].DateLastEphemeralChange)
		require.Equal(t, t1, *revs[0].DateLastEphemeralChange)
		require.Equal(t, t0, revs[0].CreatedAt)

		revs, err = s.Revisions(ctx, c.ItemID)
		require.NoError(t, err)
		require.Len(t, revs, 2)
		require.False(t, revs[0].Active)
		require.True(t, revs[1].Active)

		// ItemsForAudit: nil = active only; explicit ids.
		items, err := s.ItemsForAudit(ctx, acct.ID, "iamrole", nil)
		require.NoError(t, err)
		require.Len(t, items, 2)
		require.Equal(t, a.ItemID, items[0].ID)
		require.JSONEq(t, `{"a":2}`, string(items[0].Config))
		items, err = s.ItemsForAudit(ctx, acct.ID, "iamrole", []int64{c.ItemID})
		require.NoError(t, err)
		require.Len(t, items, 1)
		require.False(t, items[0].Active)
		items, err = s.ItemsForAudit(ctx, other.ID, "iamrole", []int64{c.ItemID})
		require.NoError(t, err)
		require.Empty(t, items, "ids are restricted to the account and technology")

		d, err := s.AuditData(ctx)
		require.NoError(t, err)
		require.ElementsMatch(t, []monkey.KnownResource{
			{Account: "111111111111", Kind: "s3_bucket", Value: "bucket-a2"},
			{Account: "111111111111", Kind: "userid", Value: "AROAC"},
		}, d.Known, "durable change replaced the facts; deleted item kept its own")

		// ARN takeover: a new item in another account with a's ARN.
		require.NoError(t, s.ApplyChanges(ctx, store.ChangeSet{AccountID: other.ID, Technology: "iamrole", Now: t1,
			New: []store.NewItem{newItem("universal", "role-a", a.ARN, `{"x":1}`)}}))
		require.Empty(t, statesByName(t, s, acct.ID, "iamrole")["universal/role-a"].ARN)
		require.Equal(t, a.ARN, statesByName(t, s, other.ID, "iamrole")["universal/role-a"].ARN)
		// and back through a durable change, with duplicate ARNs in one batch.
		st3 := statesByName(t, s, acct.ID, "iamrole")
		require.NoError(t, s.ApplyChanges(ctx, store.ChangeSet{AccountID: acct.ID, Technology: "iamrole", Now: t1,
			Durable: []store.RevisionWrite{
				{ItemID: st3["universal/role-b"].ItemID, RevisionID: st3["universal/role-b"].RevisionID, ARN: a.ARN, Config: []byte(`{"b":3}`), CompleteHash: "x", DurableHash: "y"},
				{ItemID: st3["universal/role-a"].ItemID, RevisionID: st3["universal/role-a"].RevisionID, ARN: a.ARN, Config: []byte(`{"a":3}`), CompleteHash: "x", DurableHash: "y"},
			}}))
		require.Empty(t, statesByName(t, s, other.ID, "iamrole")["universal/role-a"].ARN)
		st4 := statesByName(t, s, acct.ID, "iamrole")
		require.Equal(t, a.ARN, st4["universal/role-a"].ARN)
		require.Empty(t, st4["universal/role-b"].ARN)

		// Audit data: facts of active and deleted items, with the owner.
		d, err = s.AuditData(ctx)
		require.NoError(t, err)
		require.Len(t, d.Accounts, 2)
		require.Equal(t, []monkey.KnownResource{{Account: "111111111111", Kind: "userid", Value: "AROAC"}}, d.Known,
			"the deleted item keeps its facts; the last durable write of role-a had none")

		// Unique location.
		err = s.ApplyChanges(ctx, store.ChangeSet{AccountID: acct.ID, Technology: "iamrole", Now: t1,
			New: []store.NewItem{newItem("universal", "role-a", "", `{}`)}})
		require.Equal(t, monkey.ECONFLICT, code(err))
	})
}

func TestApplyChangesBatchesAndBudget(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		acct := newAccount(t, s, "big", "111111111111")
		const n = 1000
		items := make([]store.NewItem, n)
		for i := range items {
			items[i] = newItem("us-east-1", fmt.Sprintf("sg-%05d", i), fmt.Sprintf("arn:sg:%d", i), fmt.Sprintf(`{"i":%d}`, i),
				monkey.KnownResource{Kind: "cidr", Value: fmt.Sprintf("10.0.%d.0/24", i%256)},
				monkey.KnownResource{Kind: "vpc", Value: "vpc-1"})
		}
		before := s.Statements()
		require.NoError(t, s.ApplyChanges(ctx, store.ChangeSet{AccountID: acct.ID, Technology: "securitygroup", New: items}))
		applied := s.Statements() - before
		t.Logf("%s: ApplyChanges of %d new items: %d statements", s.Engine(), n, applied)
		require.LessOrEqual(t, applied, int64(10))

		before = s.Statements()
		states, err := s.ItemStates(ctx, acct.ID, "securitygroup")
		require.NoError(t, err)
		require.Equal(t, int64(1), s.Statements()-before)
		require.Len(t, states, n)

		// 1,500 more: two batches; durable changes to all 1,000.
		more := make([]store.NewItem, 1500)
		for i := range more {
			more[i] = newItem("eu-west-1", fmt.Sprintf("sg-%05d", i), "", `{}`)
		}
		durable := make([]store.RevisionWrite, len(states))
		for i, st := range states {
			durable[i] = store.RevisionWrite{ItemID: st.ItemID, RevisionID: st.RevisionID, ARN: st.ARN,
				Config: []byte(`{"v":2}`), CompleteHash: "c2", DurableHash: "d2"}
		}
		require.NoError(t, s.ApplyChanges(ctx, store.ChangeSet{AccountID: acct.ID, Technology: "securitygroup",
			New: more, Durable: durable}))
		states, err = s.ItemStates(ctx, acct.ID, "securitygroup")
		require.NoError(t, err)
		require.Len(t, states, 2500)
		sum, err := s.ScanSummary(ctx, []int64{acct.ID}, nil)
		require.NoError(t, err)
		require.Equal(t, map[string]store.TechSummary{"securitygroup": {Items: 2500}}, sum)
		all, err := s.ItemsForAudit(ctx, acct.ID, "securitygroup", nil)
		require.NoError(t, err)
		require.Len(t, all, 2500)
		d, err := s.AuditData(ctx)
		require.NoError(t, err)
		require.Empty(t, d.Known, "durable writes without facts replace the facts")
	})
}

// requireOwnLatestRevisions checks that every item of the account is
// latest at its own single revision, holding its own config (the "name"
// field), in its latest_configs copy too.
func requireOwnLatestRevisions(t *testing.T, s *store.Store, account int64, tech string) []store.ItemState {
	t.Helper()
	ctx := context.Background()
	states, err := s.ItemStates(ctx, account, tech)
	require.NoError(t, err)
	for _, st := range states {
		revs, err := s.Revisions(ctx, st.ItemID)
		require.NoError(t, err)
		require.Len(t, revs, 1, st.Name)
		require.Equal(t, revs[0].ID, st.RevisionID, "%s: latest_revision_id is its revision", st.Name)
		require.Equal(t, st.ItemID, revs[0].ItemID, st.Name)
		require.JSONEq(t, fmt.Sprintf(`{"name":%q}`, st.Name), string(revs[0].Config), st.Name)
	}
	if len(states) > 0 {
		last := states[len(states)-1]
		rows, total, err := s.ListItems(ctx, store.ItemQuery{SearchConfig: fmt.Sprintf(`{"name":%q}`, last.Name)})
		require.NoError(t, err)
		require.Equal(t, 1, total, "latest config copy of %s", last.Name)
		require.Equal(t, last.ItemID, rows[0].ID)
	}
	return states
}

func namedItems(prefix string, n int) []store.NewItem {
	items := make([]store.NewItem, n)
	for i := range items {
		name := fmt.Sprintf("%s-%04d", prefix, i)
		items[i] = newItem("us-east-1", name, "arn:"+name, fmt.Sprintf(`{"name":%q}`, name),
			monkey.KnownResource{Kind: "vpc", Value: "vpc-" + name})
	}
	return items
}

func TestNewItemsLatestRevision(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		acct := newAccount(t, s, "prod", "111111111111")
		// Two write batches, after an item of another account.
		other := newAccount(t, s, "dev", "222222222222")
		require.NoError(t, s.ApplyChanges(ctx, store.ChangeSet{AccountID: other.ID, Technology: "securitygroup",
			New: namedItems("other", 1)}))
		require.NoError(t, s.ApplyChanges(ctx, store.ChangeSet{AccountID: acct.ID, Technology: "securitygroup",
			New: namedItems("sg", 1001)}))
		require.Len(t, requireOwnLatestRevisions(t, s, acct.ID, "securitygroup"), 1001)
		requireOwnLatestRevisions(t, s, other.ID, "securitygroup")
	})
}

// TestNewItemIDsAfterDeletes: new items written after items of other
// accounts were deleted (from the middle of the ids, then the largest ids,
// which SQLite gives again) get ids of their own and only their own
// revisions, facts and comments.
func TestNewItemIDsAfterDeletes(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		const tech = "securitygroup"
		acct := newAccount(t, s, "prod", "111111111111")
		mid := newAccount(t, s, "mid", "222222222222")
		last := newAccount(t, s, "last", "333333333333")
		for _, a := range []monkey.Account{acct, mid, last} {
			require.NoError(t, s.ApplyChanges(ctx, store.ChangeSet{AccountID: a.ID, Technology: tech,
				New: namedItems(a.Name+"-first", 3)}))
		}
		// The last account's items also hold the largest revision ids, and
		// comments on an item and a revision.
		lastStates := requireOwnLatestRevisions(t, s, last.ID, tech)
		durable := make([]store.RevisionWrite, len(lastStates))
		for i, st := range lastStates {
			durable[i] = store.RevisionWrite{ItemID: st.ItemID, RevisionID: st.RevisionID, Config: []byte(`{"v":2}`),
				CompleteHash: "c2", DurableHash: "d2"}
		}
		require.NoError(t, s.ApplyChanges(ctx, store.ChangeSet{AccountID: last.ID, Technology: tech, Durable: durable}))
		it, err := s.Item(ctx, lastStates[2].ItemID)
		require.NoError(t, err)
		_, err = s.AddItemComment(ctx, it.ID, 0, "on the last item")
		require.NoError(t, err)
		_, err = s.AddRevisionComment(ctx, it.RevisionID, 0, "on the last revision")
		require.NoError(t, err)

		require.NoError(t, s.DeleteAccount(ctx, mid.ID))
		require.NoError(t, s.ApplyChanges(ctx, store.ChangeSet{AccountID: acct.ID, Technology: tech,
			New: namedItems("prod-second", 3)}))
		require.NoError(t, s.DeleteAccount(ctx, last.ID))
		require.NoError(t, s.ApplyChanges(ctx, store.ChangeSet{AccountID: acct.ID, Technology: tech,
			New: namedItems("prod-third", 3)}))

		states := requireOwnLatestRevisions(t, s, acct.ID, tech)
		require.Len(t, states, 9)
		seen := map[int64]bool{}
		for _, st := range states {
			require.False(t, seen[st.ItemID], "item id %d given twice", st.ItemID)
			seen[st.ItemID] = true
			cs, err := s.ItemComments(ctx, st.ItemID)
			require.NoError(t, err)
			require.Empty(t, cs, st.Name)
			rcs, err := s.RevisionComments(ctx, st.RevisionID)
			require.NoError(t, err)
			require.Empty(t, rcs, st.Name)
		}
		d, err := s.AuditData(ctx)
		require.NoError(t, err)
		require.Len(t, d.Known, 9, "only the remaining items' facts")
		for _, k := range d.Known {
			require.Equal(t, "111111111111", k.Account)
		}
		sum, err := s.ScanSummary(ctx, nil, nil)
		require.NoError(t, err)
		require.Equal(t, map[string]store.TechSummary{tech: {Items: 9}}, sum)
	})
}

func strp(s string) *string { return &s }

func TestIssues(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		acct := newAccount(t, s, "prod", "111111111111")
		require.NoError(t, s.ApplyChanges(ctx, store.ChangeSet{AccountID: acct.ID, Technology: "s3", New: []store.NewItem{
			newItem("us-east-1", "b1", "", `{}`), newItem("us-east-1", "b2", "", `{}`), newItem("us-east-1", "b3", "", `{}`),
		}}))
		st := statesByName(t, s, acct.ID, "s3")
		b1, b2, b3 := st["us-east-1/b1"].ItemID, st["us-east-1/b2"].ItemID, st["us-east-1/b3"].ItemID

		before := s.Statements()
		require.NoError(t, s.SaveIssues(ctx, store.Fence{}, acct.ID, "s3", []store.IssueWrite{
			{ItemID: b1, Class: "S3Auditor", AuditHash: "h1", Create: []monkey.Issue{
				{Text: "Internet Accessible", Score: 10, Notes: strp("Entity: [principal:*]"), LinkedItemIDs: []int64{b2, b3}},
				{Text: "Unknown Access", Score: 10},
				{Text: "Internet Accessible", Score: 10, Notes: strp("Actions: s3:GetObject"), ActionInstructions: strp("fix it")},
			}},
			{ItemID: b2, Class: "S3Auditor", AuditHash: "h2", Create: []monkey.Issue{{Text: "Unknown Access", Score: 6}}},
		}))
		t.Logf("%s: SaveIssues creating 4 issues: %d statements", s.Engine(), s.Statements()-before)

		items, err := s.ItemsForAudit(ctx, acct.ID, "s3", nil)
		require.NoError(t, err)
		require.Len(t, items, 3)
		i1 := items[0]
		require.Equal(t, b1, i1.ID)
		require.Len(t, i1.Issues, 3)
		for _, is := range i1.Issues {
			require.Equal(t, "S3Auditor", is.AuditorClass)
			require.False(t, is.Fixed)
			require.False(t, is.Disabled)
			require.Equal(t, b1, is.ItemID)
		}
		require.Equal(t, "S3Auditor -- Internet Accessible -- Entity: [principal:*] -- 10 -- None", i1.Issues[0].Key())
		require.Equal(t, []int64{b2, b3}, i1.Issues[0].LinkedItemIDs)
		require.Nil(t, i1.Issues[1].Notes)
		require.Equal(t, "fix it", *i1.Issues[2].ActionInstructions)
		require.Empty(t, items[2].Issues)

		states := statesByName(t, s, acct.ID, "s3")
		require.Equal(t, "h1", states["us-east-1/b1"].AuditHash)
		require.Equal(t, "h2", states["us-east-1/b2"].AuditHash)

		sum, err := s.ScanSummary(ctx, nil, []string{"s3"})
		require.NoError(t, err)
		require.Equal(t, store.TechSummary{Items: 3, Issues: 4}, sum["s3"])

		top, err := s.TopIssues(ctx, 3)
		require.NoError(t, err)
		require.Len(t, top, 3)
		require.Equal(t, 10, top[0].Issue.Score)
		require.Equal(t, "b1", top[0].ItemName)
		require.Equal(t, "prod", top[0].Account)
		require.Equal(t, "s3", top[0].Technology)

		// Reconcile: fix one, relink another; reopen later.
		fixed := i1.Issues[1].ID
		require.NoError(t, s.SaveIssues(ctx, store.Fence{}, acct.ID, "s3", []store.IssueWrite{{ItemID: b1, Class: "S3Auditor", AuditHash: "h1b",
			Fix: []int64{fixed}, Links: map[int64][]int64{i1.Issues[0].ID: {b3}}}}))
		it, err := s.Item(ctx, b1)
		require.NoError(t, err)
		require.True(t, it.Issues[1].Fixed)
		require.Equal(t, []int64{b3}, it.Issues[0].LinkedItemIDs)
		sum, err = s.ScanSummary(ctx, []int64{acct.ID}, []string{"s3"})
		require.NoError(t, err)
		require.Equal(t, 3, sum["s3"].Issues)

		require.NoError(t, s.SaveIssues(ctx, store.Fence{}, acct.ID, "s3", []store.IssueWrite{{ItemID: b1, Class: "S3Auditor", Reopen: []int64{fixed}}}))
		it, err = s.Item(ctx, b1)
		require.NoError(t, err)
		require.False(t, it.Issues[1].Fixed)

		// Justify: unjustified score drops, score stays.
		u := monkey.User{Email: "j@example.com", Role: "Justify", Active: true}
		require.NoError(t, s.CreateUser(ctx, &u))
		s.SetClock(func() time.Time { return time.Date(2026, 5, 5, 0, 0, 0, 0, time.UTC) })
		require.NoError(t, s.JustifyIssue(ctx, it.Issues[0].ID, u.ID, "accepted risk"))
		it, err = s.Item(ctx, b1)
		require.NoError(t, err)
		require.True(t, it.Issues[0].Justified)
		require.Equal(t, "j@example.com", it.Issues[0].JustifiedUser)
		require.Equal(t, "accepted risk", it.Issues[0].Justification)
		require.Equal(t, time.Date(2026, 5, 5, 0, 0, 0, 0, time.UTC), *it.Issues[0].JustifiedDate)
		score, unjust, count := itemScores(t, s, acct.ID, b1)
		require.Equal(t, []int{30, 20, 3}, []int{score, unjust, count})
		top, err = s.TopIssues(ctx, 10)
		require.NoError(t, err)
		require.Len(t, top, 3, "justified issue left out")

		require.NoError(t, s.UnjustifyIssue(ctx, it.Issues[0].ID))
		score, unjust, count = itemScores(t, s, acct.ID, b1)
		require.Equal(t, []int{30, 30, 3}, []int{score, unjust, count})
		require.ErrorIs(t, s.JustifyIssue(ctx, 99999, u.ID, "x"), monkey.ErrNotFound)
		require.ErrorIs(t, s.UnjustifyIssue(ctx, 99999), monkey.ErrNotFound)

		// Auditor settings: two rows (one per text), counts, disabling.
		settings, err := s.ListAuditorSettings(ctx)
		require.NoError(t, err)
		require.Len(t, settings, 2)
		require.Equal(t, "Internet Accessible", settings[0].IssueText)
		require.Equal(t, 2, settings[0].Count)
		require.Equal(t, "Unknown Access", settings[1].IssueText)
		require.Equal(t, 2, settings[1].Count)
		require.Equal(t, "prod", settings[1].Account)
		require.Equal(t, "S3Auditor", settings[1].AuditorClass)
		require.NoError(t, s.SetAuditorSettingDisabled(ctx, settings[1].ID, true))
		score, _, count = itemScores(t, s, acct.ID, b1)
		require.Equal(t, []int{20, 2}, []int{score, count})
		score, _, count = itemScores(t, s, acct.ID, b2)
		require.Equal(t, []int{0, 0}, []int{score, count})
		it, err = s.Item(ctx, b2)
		require.NoError(t, err)
		require.True(t, it.Issues[0].Disabled)
		require.NoError(t, s.SetAuditorSettingDisabled(ctx, settings[1].ID, false))
		score, _, _ = itemScores(t, s, acct.ID, b2)
		require.Equal(t, 6, score)
		require.ErrorIs(t, s.SetAuditorSettingDisabled(ctx, 99999, true), monkey.ErrNotFound)

		// Audit hashes alone.
		require.NoError(t, s.SetAuditHashes(ctx, store.Fence{}, acct.ID, "s3", map[int64]string{b3: "h3"}))
		require.Equal(t, "h3", statesByName(t, s, acct.ID, "s3")["us-east-1/b3"].AuditHash)

		// Deleting an item's account removes everything.
		require.NoError(t, s.DeleteAccount(ctx, acct.ID))
		_, err = s.Item(ctx, b1)
		require.ErrorIs(t, err, monkey.ErrNotFound)
	})
}

// itemScores reads score, unjustified score and issue count of an item
// through the public API (ScanSummary and the issues).
func itemScores(t *testing.T, s *store.Store, account, id int64) (score, unjustified, count int) {
	t.Helper()
	it, err := s.Item(context.Background(), id)
	require.NoError(t, err)
	for _, is := range it.Issues {
		if is.Fixed || is.Disabled {
			continue
		}
		score += is.Score
		count++
		if !is.Justified {
			unjustified += is.Score
		}
	}
	// the stored counters must agree with the issues.
	stored, err := s.ItemScoresForTest(context.Background(), id)
	require.NoError(t, err)
	require.Equal(t, [3]int{score, unjustified, count}, stored, "stored scores of item %d", id)
	return score, unjustified, count
}

func TestSaveIssuesManyItems(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		acct := newAccount(t, s, "prod", "111111111111")
		items := make([]store.NewItem, 1200)
		for i := range items {
			items[i] = newItem("us-east-1", fmt.Sprintf("sg-%d", i), "", `{}`)
		}
		require.NoError(t, s.ApplyChanges(ctx, store.ChangeSet{AccountID: acct.ID, Technology: "securitygroup", New: items}))
		states, err := s.ItemStates(ctx, acct.ID, "securitygroup")
		require.NoError(t, err)
		writes := make([]store.IssueWrite, len(states))
		for i, st := range states {
			writes[i] = store.IssueWrite{ItemID: st.ItemID, Class: "SecurityGroupAuditor", AuditHash: "h",
				Create: []monkey.Issue{{Text: "Internet Accessible", Score: 10, Notes: strp(st.Name)}}}
		}
		before := s.Statements()
		require.NoError(t, s.SaveIssues(ctx, store.Fence{}, acct.ID, "securitygroup", writes))
		t.Logf("%s: SaveIssues creating 1,200 issues: %d statements", s.Engine(), s.Statements()-before)
		sum, err := s.ScanSummary(ctx, nil, nil)
		require.NoError(t, err)
		require.Equal(t, store.TechSummary{Items: 1200, Issues: 1200}, sum["securitygroup"])
		ids := make([]int64, 0, 1100)
		for _, st := range states[:1100] {
			ids = append(ids, st.ItemID)
		}
		got, err := s.ItemsForAudit(ctx, acct.ID, "securitygroup", ids)
		require.NoError(t, err)
		require.Len(t, got, 1100)
		for _, it := range got {
			require.Len(t, it.Issues, 1)
			require.Equal(t, it.Name, *it.Issues[0].Notes)
		}
	})
}

func TestSettings(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		sc := monkey.AuditScore{Technology: "s3", Method: "check_acl (S3Auditor)", Score: 3, Patterns: []monkey.AccountPatternScore{
			{AccountType: "AWS", AccountField: "name", AccountPattern: "zeta", Score: 1},
			{AccountType: "AWS", AccountField: "name", AccountPattern: "alpha", Score: 2},
		}}
		require.NoError(t, s.CreateAuditScore(ctx, &sc))
		require.NotZero(t, sc.ID)
		require.NotZero(t, sc.Patterns[1].ID)
		dup := monkey.AuditScore{Technology: "s3", Method: "check_acl (S3Auditor)"}
		require.Equal(t, monkey.ECONFLICT, code(s.CreateAuditScore(ctx, &dup)))
		other := monkey.AuditScore{Technology: "iamrole", Method: "check_x (IAMRoleAuditor)", Disabled: true}
		require.NoError(t, s.CreateAuditScore(ctx, &other))
		before := s.Statements()
		list, err := s.ListAuditScores(ctx)
		require.NoError(t, err)
		require.Equal(t, int64(1), s.Statements()-before, "ListAuditScores is one query")
		require.Len(t, list, 2)
		require.Equal(t, "iamrole", list[0].Technology)
		require.True(t, list[0].Disabled)
		require.Equal(t, sc, list[1])
		sc.Patterns = []monkey.AccountPatternScore{sc.Patterns[1], {AccountField: "identifier", AccountPattern: "1", Score: 9}}
		sc.Score = 4
		require.NoError(t, s.UpdateAuditScore(ctx, sc))
		list, err = s.ListAuditScores(ctx)
		require.NoError(t, err)
		require.Equal(t, 4, list[1].Score)
		require.Len(t, list[1].Patterns, 2)
		require.Equal(t, "alpha", list[1].Patterns[0].AccountPattern)
		require.Equal(t, "identifier", list[1].Patterns[1].AccountField)
		require.NoError(t, s.DeleteAuditScore(ctx, sc.ID))
		require.ErrorIs(t, s.DeleteAuditScore(ctx, sc.ID), monkey.ErrNotFound)
		list, err = s.ListAuditScores(ctx)
		require.NoError(t, err)
		require.Len(t, list, 1)

		w := monkey.NetworkWhitelist{Name: "office", CIDR: "10.0.0.0/8", Notes: "n"}
		require.NoError(t, s.CreateWhitelist(ctx, &w))
		require.Equal(t, monkey.EINVALID, code(s.CreateWhitelist(ctx, &monkey.NetworkWhitelist{Name: "x"})))
		w.CIDR = "10.1.0.0/16"
		require.NoError(t, s.UpdateWhitelist(ctx, w))
		wl, err := s.ListWhitelist(ctx)
		require.NoError(t, err)
		require.Equal(t, []monkey.NetworkWhitelist{w}, wl)
		require.NoError(t, s.DeleteWhitelist(ctx, w.ID))
		require.ErrorIs(t, s.DeleteWhitelist(ctx, w.ID), monkey.ErrNotFound)

		e1 := monkey.IgnoreEntry{Technology: "s3", Prefix: "logs-", Notes: "noise"}
		e2 := monkey.IgnoreEntry{Technology: "iamrole", Prefix: "aws-"}
		require.NoError(t, s.CreateIgnore(ctx, &e1))
		require.NoError(t, s.CreateIgnore(ctx, &e2))
		ig, err := s.ListIgnore(ctx, "s3")
		require.NoError(t, err)
		require.Equal(t, []monkey.IgnoreEntry{e1}, ig)
		ig, err = s.ListIgnore(ctx, "")
		require.NoError(t, err)
		require.Len(t, ig, 2)
		require.NoError(t, s.DeleteIgnore(ctx, e1.ID))
		ig, err = s.ListIgnore(ctx, "")
		require.NoError(t, err)
		require.Equal(t, []monkey.IgnoreEntry{e2}, ig)

		require.NoError(t, s.SetWatcherConfig(ctx, monkey.WatcherConfig{Index: "s3", Interval: 15, Active: true}))
		require.NoError(t, s.SetWatcherConfig(ctx, monkey.WatcherConfig{Index: "iamrole", Interval: 60, Active: true}))
		require.NoError(t, s.SetWatcherConfig(ctx, monkey.WatcherConfig{Index: "s3", Interval: 720, Active: false}))
		wc, err := s.ListWatcherConfigs(ctx)
		require.NoError(t, err)
		require.Len(t, wc, 2)
		require.Equal(t, "iamrole", wc[0].Index)
		require.Equal(t, monkey.WatcherConfig{ID: wc[1].ID, Index: "s3", Interval: 720, Active: false}, wc[1])
		require.Equal(t, monkey.EINVALID, code(s.SetWatcherConfig(ctx, monkey.WatcherConfig{})))
	})
}

func TestExceptions(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
		s.SetClock(func() time.Time { return t0 })
		require.NoError(t, s.LogException(ctx, monkey.Exception{Source: "watcher", Occurred: t0.Add(-48 * time.Hour),
			TTL: t0.Add(-time.Hour), Type: "AccessDenied", Message: "old", Technology: "s3", Account: "prod", Region: "us-east-1"}))
		require.NoError(t, s.LogException(ctx, monkey.Exception{Source: "auditor", Message: "new", ItemName: "b1"}))
		list, err := s.ListExceptions(ctx, 10)
		require.NoError(t, err)
		require.Len(t, list, 2)
		require.Equal(t, "new", list[0].Message)
		require.Equal(t, t0, list[0].Occurred)
		require.Equal(t, t0.Add(store.DefaultExceptionTTL), list[0].TTL)
		require.Equal(t, "AccessDenied", list[1].Type)
		n, err := s.PurgeExpiredExceptions(ctx, t0)
		require.NoError(t, err)
		require.Equal(t, 1, n)
		list, err = s.ListExceptions(ctx, 0)
		require.NoError(t, err)
		require.Len(t, list, 1)
		require.Equal(t, "new", list[0].Message)
	})
}

func TestUsersAndComments(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := monkey.User{Email: "a@example.com", Active: true, PasswordHash: "h"}
		require.NoError(t, s.CreateUser(ctx, &u))
		require.Equal(t, "View", u.Role)
		require.Equal(t, monkey.ECONFLICT, code(s.CreateUser(ctx, &monkey.User{Email: "a@example.com"})))
		require.Equal(t, monkey.EINVALID, code(s.CreateUser(ctx, &monkey.User{Email: "b@example.com", Role: "God"})))
		got, err := s.UserByEmail(ctx, "a@example.com")
		require.NoError(t, err)
		require.Equal(t, u, got)
		_, err = s.UserByEmail(ctx, "nobody@example.com")
		require.ErrorIs(t, err, monkey.ErrNotFound)
		u.Role, u.DailyAudit, u.ChangeReports = "Admin", true, "ALL"
		require.NoError(t, s.UpdateUser(ctx, u))
		b := monkey.User{Email: "0@example.com", Role: "Comment"}
		require.NoError(t, s.CreateUser(ctx, &b))
		users, err := s.ListUsers(ctx)
		require.NoError(t, err)
		require.Equal(t, []monkey.User{b, u}, users)
		require.NoError(t, s.RecordLogin(ctx, u.ID, "10.0.0.1"))

		acct := newAccount(t, s, "prod", "111111111111")
		require.NoError(t, s.SetUserAccounts(ctx, u.ID, []int64{acct.ID}))
		ids, err := s.UserAccounts(ctx, u.ID)
		require.NoError(t, err)
		require.Equal(t, []int64{acct.ID}, ids)

		require.NoError(t, s.ApplyChanges(ctx, store.ChangeSet{AccountID: acct.ID, Technology: "s3",
			New: []store.NewItem{newItem("us-east-1", "b1", "", `{}`)}}))
		it, err := s.ItemByName(ctx, acct.ID, "s3", "us-east-1", "b1")
		require.NoError(t, err)
		t0 := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
		s.SetClock(func() time.Time { return t0 })
		cid, err := s.AddItemComment(ctx, it.ID, u.ID, "looks fine")
		require.NoError(t, err)
		_, err = s.AddItemComment(ctx, it.ID, 0, "anonymous")
		require.NoError(t, err)
		cs, err := s.ItemComments(ctx, it.ID)
		require.NoError(t, err)
		require.Len(t, cs, 2)
		require.Equal(t, store.Comment{ID: cid, ItemID: it.ID, UserID: u.ID, User: "a@example.com", Text: "looks fine", CreatedAt: t0}, cs[0])
		require.Empty(t, cs[1].User)
		rid, err := s.AddRevisionComment(ctx, it.RevisionID, u.ID, "rev note")
		require.NoError(t, err)
		rc, err := s.RevisionComments(ctx, it.RevisionID)
		require.NoError(t, err)
		require.Equal(t, []store.Comment{{ID: rid, RevisionID: it.RevisionID, UserID: u.ID, User: "a@example.com", Text: "rev note", CreatedAt: t0}}, rc)
		require.NoError(t, s.DeleteItemComment(ctx, cid))
		require.NoError(t, s.DeleteRevisionComment(ctx, rid))
		cs, err = s.ItemComments(ctx, it.ID)
		require.NoError(t, err)
		require.Len(t, cs, 1)
		_, err = s.AddItemComment(ctx, 99999, u.ID, "x")
		require.Error(t, err)
		require.NoError(t, s.DeleteUser(ctx, b.ID))
	})
}

func TestLeases(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		_, _, err := s.Lease(ctx, "leader")
		require.ErrorIs(t, err, monkey.ErrNotFound)
		ok, err := s.AcquireLease(ctx, "leader", "a", time.Minute)
		require.NoError(t, err)
		require.True(t, ok)
		ok, err = s.AcquireLease(ctx, "leader", "b", time.Minute)
		require.NoError(t, err)
		require.False(t, ok, "held by a")
		holder, exp1, err := s.Lease(ctx, "leader")
		require.NoError(t, err)
		require.Equal(t, "a", holder)
		require.WithinDuration(t, time.Now().Add(time.Minute), exp1, 10*time.Second)
		ok, err = s.AcquireLease(ctx, "leader", "a", 2*time.Minute)
		require.NoError(t, err)
		require.True(t, ok, "extended by its holder")
		_, exp2, err := s.Lease(ctx, "leader")
		require.NoError(t, err)
		require.True(t, exp2.After(exp1))

		require.NoError(t, s.ReleaseLease(ctx, "leader", "b"), "releasing someone else's lease is a no-op")
		ok, err = s.AcquireLease(ctx, "leader", "b", time.Minute)
		require.NoError(t, err)
		require.False(t, ok)
		require.NoError(t, s.ReleaseLease(ctx, "leader", "a"))
		ok, err = s.AcquireLease(ctx, "leader", "b", 50*time.Millisecond)
		require.NoError(t, err)
		require.True(t, ok, "free after release")

		// expiry
		time.Sleep(120 * time.Millisecond)
		ok, err = s.AcquireLease(ctx, "leader", "a", time.Minute)
		require.NoError(t, err)
		require.True(t, ok, "taken over after expiry")
		holder, _, err = s.Lease(ctx, "leader")
		require.NoError(t, err)
		require.Equal(t, "a", holder)
	})
}

func TestLeaseRace(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			_, u := storetest.NewWithURL(t, engine)
			const n = 4
			results := make(chan bool, n)
			errs := make(chan error, n)
			for i := range n {
				go func() {
					s, err := store.Open(ctx, u, nil)
					if err != nil {
						errs <- err
						results <- false
						return
					}
					defer s.Close()
					ok, err := s.AcquireLease(ctx, "race", fmt.Sprintf("h%d", i), time.Minute)
					errs <- err
					results <- ok
				}()
			}
			won := 0
			for range n {
				require.NoError(t, <-errs)
				if <-results {
					won++
				}
			}
			require.Equal(t, 1, won)
		})
	}
}

func TestScansAndProcesses(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		acct := newAccount(t, s, "prod", "111111111111")
		t0 := time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC)
		require.NoError(t, s.ScanStarted(ctx, acct.ID, "s3", t0))
		scans, err := s.ListScans(ctx)
		require.NoError(t, err)
		require.Equal(t, []monkey.ScanStatus{{AccountID: acct.ID, Account: "prod", Technology: "s3", LastStart: &t0, Outcome: "running"}}, scans)
		t1 := t0.Add(time.Minute)
		require.NoError(t, s.ScanFinished(ctx, acct.ID, "s3", t1, "error", 12, "AccessDenied"))
		require.NoError(t, s.ScanFinished(ctx, acct.ID, "iamrole", t1, "ok", 3, ""))
		scans, err = s.ListScans(ctx)
		require.NoError(t, err)
		require.Len(t, scans, 2)
		require.Equal(t, "iamrole", scans[0].Technology)
		require.Nil(t, scans[0].LastStart)
		require.Equal(t, monkey.ScanStatus{AccountID: acct.ID, Account: "prod", Technology: "s3", LastStart: &t0, LastEnd: &t1,
			Outcome: "error", Items: 12, Error: "AccessDenied"}, scans[1])

		now := t0
		s.SetClock(func() time.Time { return now })
		p := monkey.Process{Kind: "worker", ID: "h:1:x", Host: "h", PID: 1, Info: `{"concurrency":4}`}
		require.NoError(t, s.Heartbeat(ctx, p))
		now = t0.Add(30 * time.Second)
		require.NoError(t, s.Heartbeat(ctx, p))
		require.NoError(t, s.Heartbeat(ctx, monkey.Process{Kind: "scheduler", ID: "h:2:y", Host: "h", PID: 2}))
		ps, err := s.ListProcesses(ctx, "worker", t0.Add(10*time.Second))
		require.NoError(t, err)
		require.Len(t, ps, 1)
		require.Equal(t, t0, ps[0].StartedAt)
		require.Equal(t, now, ps[0].SeenAt)
		require.Equal(t, `{"concurrency":4}`, ps[0].Info)
		ps, err = s.ListProcesses(ctx, "", t0)
		require.NoError(t, err)
		require.Len(t, ps, 2)
		ps, err = s.ListProcesses(ctx, "worker", now.Add(time.Second))
		require.NoError(t, err)
		require.Empty(t, ps)
		require.NoError(t, s.RemoveProcess(ctx, p.ID))
		ps, err = s.ListProcesses(ctx, "", t0)
		require.NoError(t, err)
		require.Len(t, ps, 1)
		require.Equal(t, monkey.EINVALID, code(s.Heartbeat(ctx, monkey.Process{})))
	})
}

func TestNoPasswordInErrors(t *testing.T) {
	t.Parallel()
	_, err := store.Open(context.Background(), "postgres://u:topsecret@256.0.0.1:5432/x?connect_timeout=1", nil)
	require.Error(t, err)
	require.False(t, strings.Contains(err.Error(), "topsecret"), err.Error())
}

// TestConcurrentOpenNewSQLite: processes starting together on a new
// database file (monkey all and a find-changes, two workers) all open it;
// the switch to write-ahead logging of one must not fail another with
// "database is locked".
func TestConcurrentOpenNewSQLite(t *testing.T) {
	t.Parallel()
	for round := range 10 {
		path := filepath.Join(t.TempDir(), fmt.Sprintf("new-%d.db", round))
		const n = 8
		errs := make(chan error, n)
		start := make(chan struct{})
		for range n {
			go func() {
				<-start
				s, err := store.Open(context.Background(), path, nil)
				if err == nil {
					err = s.Close()
				}
				errs <- err
			}()
		}
		close(start)
		for range n {
			require.NoError(t, <-errs, "round %d", round)
		}
	}
}
