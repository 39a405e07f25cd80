package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/store"
)

func owner(holder string) store.LockOwner {
	return store.LockOwner{Holder: holder, Owner: "test " + holder, Host: "h-" + holder, PID: 42}
}

// TestScanLocks: all-or-none acquisition, the holder's description for
// whoever waits, renewal, release and expiry.
func TestScanLocks(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		acct := newAccount(t, s, "prod", "111111111111")
		other := newAccount(t, s, "dev", "222222222222")

		ok, _, err := s.TryLockScans(ctx, acct.ID, []string{"iamrole"}, owner("a"), time.Minute)
		require.NoError(t, err)
		require.True(t, ok)
		ok, _, err = s.TryLockScans(ctx, acct.ID, []string{"iamrole", "iamrole"}, owner("a"), time.Minute)
		require.NoError(t, err)
		require.True(t, ok, "the holder takes its own lock again")

		// b wants policy and iamrole: iamrole is a's, so b gets neither.
		ok, held, err := s.TryLockScans(ctx, acct.ID, []string{"policy", "iamrole"}, owner("b"), time.Minute)
		require.NoError(t, err)
		require.False(t, ok)
		require.Equal(t, "iamrole", held.Technology)
		require.Equal(t, acct.ID, held.AccountID)
		require.Equal(t, owner("a"), held.LockOwner)
		require.Contains(t, held.String(), "test a on host h-a (pid 42) since ")
		locks, err := s.ScanLocks(ctx)
		require.NoError(t, err)
		require.Len(t, locks, 1, "all or none: policy was not kept")

		// Other pairs are independent.
		ok, _, err = s.TryLockScans(ctx, other.ID, []string{"iamrole"}, owner("b"), time.Minute)
		require.NoError(t, err)
		require.True(t, ok)
		n, err := s.RenewScanLocks(ctx, "b", time.Minute)
		require.NoError(t, err)
		require.Equal(t, 1, n)

		require.NoError(t, s.ReleaseScanLocks(ctx, "a"))
		ok, _, err = s.TryLockScans(ctx, acct.ID, []string{"policy", "iamrole"}, owner("b"), time.Minute)
		require.NoError(t, err)
		require.True(t, ok)
		n, err = s.RenewScanLocks(ctx, "b", time.Minute)
		require.NoError(t, err)
		require.Equal(t, 3, n)

		// A holder that stops renewing (killed) loses its locks at expiry.
		ok, _, err = s.TryLockScans(ctx, acct.ID, []string{"s3"}, owner("dead"), 200*time.Millisecond)
		require.NoError(t, err)
		require.True(t, ok)
		ok, _, err = s.TryLockScans(ctx, acct.ID, []string{"s3"}, owner("c"), time.Minute)
		require.NoError(t, err)
		require.False(t, ok)
		// A holder whose renewal comes late (its lock expired, nobody took
		// it) still holds it.
		ok, _, err = s.TryLockScans(ctx, acct.ID, []string{"iamuser"}, owner("slow"), 200*time.Millisecond)
		require.NoError(t, err)
		require.True(t, ok)
		time.Sleep(300 * time.Millisecond)
		ok, _, err = s.TryLockScans(ctx, acct.ID, []string{"s3"}, owner("c"), time.Minute)
		require.NoError(t, err)
		require.True(t, ok, "an expired lock is free")
		n, err = s.RenewScanLocks(ctx, "dead", time.Minute)
		require.NoError(t, err)
		require.Zero(t, n, "a lock taken over is not renewed")
		n, err = s.RenewScanLocks(ctx, "slow", time.Minute)
		require.NoError(t, err)
		require.Equal(t, 1, n, "an expired lock nobody took is renewed")
		ok, _, err = s.TryLockScans(ctx, acct.ID, []string{"iamuser"}, owner("c"), time.Minute)
		require.NoError(t, err)
		require.False(t, ok, "renewed: held again")

		_, _, err = s.TryLockScans(ctx, acct.ID, nil, owner("c"), time.Minute)
		require.Equal(t, monkey.EINVALID, code(err))
	})
}

// TestFencedWrites: a scan whose lock expired and was taken over can write
// nothing; the new holder can. Expired but not taken over, it still can.
func TestFencedWrites(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		acct := newAccount(t, s, "prod", "111111111111")
		ok, _, err := s.TryLockScans(ctx, acct.ID, []string{"s3"}, owner("old"), 200*time.Millisecond)
		require.NoError(t, err)
		require.True(t, ok)
		old := store.Fence{Holder: "old"}
		require.NoError(t, s.ApplyChanges(ctx, store.ChangeSet{AccountID: acct.ID, Technology: "s3", Fence: old,
			New: []store.NewItem{newItem("us-east-1", "b1", "", `{}`)}}))
		b1 := statesByName(t, s, acct.ID, "s3")["us-east-1/b1"]

		// The fence is per pair.
		err = s.ApplyChanges(ctx, store.ChangeSet{AccountID: acct.ID, Technology: "iamrole", Fence: old,
			New: []store.NewItem{newItem("universal", "r", "", `{}`)}})
		require.ErrorIs(t, err, store.ErrLockLost)

		time.Sleep(300 * time.Millisecond) // "old" paused past its lease
		// Expired but not taken over: nobody else wrote the pair, the
		// holder's write is still safe.
		require.NoError(t, s.ApplyChanges(ctx, store.ChangeSet{AccountID: acct.ID, Technology: "s3", Fence: old,
			New: []store.NewItem{newItem("us-east-1", "b0", "", `{}`)}}))
		ok, _, err = s.TryLockScans(ctx, acct.ID, []string{"s3"}, owner("new"), time.Minute)
		require.NoError(t, err)
		require.True(t, ok)

		err = s.ApplyChanges(ctx, store.ChangeSet{AccountID: acct.ID, Technology: "s3", Fence: old,
			New: []store.NewItem{newItem("us-east-1", "b2", "", `{}`)}})
		require.ErrorIs(t, err, store.ErrLockLost)
		err = s.SaveIssues(ctx, old, acct.ID, "s3", []store.IssueWrite{{ItemID: b1.ItemID, Class: "S3Auditor",
			Create: []monkey.Issue{{Text: "x", Score: 1}}}})
		require.ErrorIs(t, err, store.ErrLockLost)
		err = s.SetAuditHashes(ctx, old, acct.ID, "s3", map[int64]string{b1.ItemID: "h"})
		require.ErrorIs(t, err, store.ErrLockLost)
		require.Len(t, statesByName(t, s, acct.ID, "s3"), 2, "nothing of the refused writes is stored")
		it, err := s.Item(ctx, b1.ItemID)
		require.NoError(t, err)
		require.Empty(t, it.Issues)

		fresh := store.Fence{Holder: "new"}
		require.NoError(t, s.ApplyChanges(ctx, store.ChangeSet{AccountID: acct.ID, Technology: "s3", Fence: fresh,
			New: []store.NewItem{newItem("us-east-1", "b2", "", `{}`)}}))
		require.NoError(t, s.SaveIssues(ctx, fresh, acct.ID, "s3", []store.IssueWrite{{ItemID: b1.ItemID, Class: "S3Auditor",
			Create: []monkey.Issue{{Text: "x", Score: 1}}}}))
		require.NoError(t, s.ReleaseScanLocks(ctx, "new"))
		err = s.SetAuditHashes(ctx, fresh, acct.ID, "s3", map[int64]string{b1.ItemID: "h"})
		require.ErrorIs(t, err, store.ErrLockLost, "released: no more writes")
	})
}

// TestStaleRevisionWritesAreRefused: two writers that read the same state
// cannot both extend an item's history.
func TestStaleRevisionWritesAreRefused(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		acct := newAccount(t, s, "prod", "111111111111")
		require.NoError(t, s.ApplyChanges(ctx, store.ChangeSet{AccountID: acct.ID, Technology: "iamrole", New: []store.NewItem{
			newItem("universal", "a", "", `{"a":1}`), newItem("universal", "b", "", `{"b":1}`), newItem("universal", "c", "", `{"c":1}`),
		}}))
		st := statesByName(t, s, acct.ID, "iamrole")
		a, b, c := st["universal/a"], st["universal/b"], st["universal/c"]
		durable := func(x store.ItemState, cfg string) store.ChangeSet {
			return store.ChangeSet{AccountID: acct.ID, Technology: "iamrole", Durable: []store.RevisionWrite{{
				ItemID: x.ItemID, RevisionID: x.RevisionID, Config: []byte(cfg), CompleteHash: "c" + cfg, DurableHash: "d" + cfg}}}
		}
		require.NoError(t, s.ApplyChanges(ctx, durable(a, `{"a":2}`)))
		err := s.ApplyChanges(ctx, durable(a, `{"a":2}`))
		require.Equal(t, monkey.ECONFLICT, code(err), "the same change detected twice is stored once")
		err = s.ApplyChanges(ctx, durable(a, `{"a":3}`))
		require.Equal(t, monkey.ECONFLICT, code(err))
		revs, err := s.Revisions(ctx, a.ItemID)
		require.NoError(t, err)
		require.Len(t, revs, 2)

		// A stale deletion and a stale ephemeral rewrite are refused too.
		require.NoError(t, s.ApplyChanges(ctx, durable(b, `{"b":2}`)))
		err = s.ApplyChanges(ctx, store.ChangeSet{AccountID: acct.ID, Technology: "iamrole", Deleted: []store.RevisionWrite{{
			ItemID: b.ItemID, RevisionID: b.RevisionID, Config: []byte(`{}`)}}})
		require.Equal(t, monkey.ECONFLICT, code(err))
		require.NoError(t, s.ApplyChanges(ctx, durable(c, `{"c":2}`)))
		err = s.ApplyChanges(ctx, store.ChangeSet{AccountID: acct.ID, Technology: "iamrole", Ephemeral: []store.RevisionWrite{{
			ItemID: c.ItemID, RevisionID: c.RevisionID, Config: []byte(`{"c":1,"t":1}`), CompleteHash: "x", DurableHash: c.DurableHash}}})
		require.Equal(t, monkey.ECONFLICT, code(err))
		itc, err := s.Item(ctx, c.ItemID)
		require.NoError(t, err)
		require.JSONEq(t, `{"c":2}`, string(itc.Config), "the latest revision was not overwritten with stale content")

		// The schema itself refuses a second successor.
		err = s.ExecForTest(ctx, "INSERT INTO revisions (item_id, previous_id, config, active, created) VALUES (?, ?, '{}', TRUE, ?)",
			a.ItemID, a.RevisionID, time.Now().UTC())
		require.Error(t, err)
	})
}

// TestSaveIssuesIsIdempotent: reconciliations computed from the same read
// and saved twice (one after the other, or at once) leave one open issue
// per identity.
func TestSaveIssuesIsIdempotent(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		acct := newAccount(t, s, "prod", "111111111111")
		require.NoError(t, s.ApplyChanges(ctx, store.ChangeSet{AccountID: acct.ID, Technology: "s3", New: []store.NewItem{
			newItem("us-east-1", "b1", "", `{}`), newItem("us-east-1", "b2", "", `{}`),
		}}))
		st := statesByName(t, s, acct.ID, "s3")
		b1, b2 := st["us-east-1/b1"].ItemID, st["us-east-1/b2"].ItemID
		create := []store.IssueWrite{{ItemID: b1, Class: "S3Auditor", AuditHash: "h", Create: []monkey.Issue{
			{Text: "Internet Accessible", Score: 10, Notes: strp("Entity: [principal:*]"), LinkedItemIDs: []int64{b2}},
			{Text: "Unknown Access", Score: 10},
			{Text: "Unknown Access", Score: 10, Notes: strp("")},
		}}}
		require.NoError(t, s.SaveIssues(ctx, store.Fence{}, acct.ID, "s3", create))
		require.NoError(t, s.SaveIssues(ctx, store.Fence{}, acct.ID, "s3", create))
		it, err := s.Item(ctx, b1)
		require.NoError(t, err)
		require.Len(t, it.Issues, 3, "null and empty notes are two identities; nothing duplicated")
		require.Equal(t, []int64{b2}, it.Issues[0].LinkedItemIDs)
		score, _, count := itemScores(t, s, acct.ID, b1)
		require.Equal(t, 30, score)
		require.Equal(t, 3, count)

		// Fixed, then the same stale reconciliation "creates" it again: the
		// fixed issue is reopened (a regression), not duplicated.
		unknown := it.Issues[1].ID
		require.NoError(t, s.SaveIssues(ctx, store.Fence{}, acct.ID, "s3", []store.IssueWrite{{ItemID: b1, Class: "S3Auditor", Fix: []int64{unknown}}}))
		require.NoError(t, s.SaveIssues(ctx, store.Fence{}, acct.ID, "s3", create))
		it, err = s.Item(ctx, b1)
		require.NoError(t, err)
		require.Len(t, it.Issues, 3)
		require.False(t, it.Issues[1].Fixed)
		require.Equal(t, unknown, it.Issues[1].ID)

		// Two fixed issues of one identity (left by older versions): a
		// reopen of both reopens one.
		require.NoError(t, s.SaveIssues(ctx, store.Fence{}, acct.ID, "s3", []store.IssueWrite{{ItemID: b1, Class: "S3Auditor", Fix: []int64{unknown}}}))
		require.NoError(t, s.ExecForTest(ctx, `INSERT INTO issues (item_id, auditor_setting_id, score, issue_text, fixed)
			SELECT item_id, auditor_setting_id, score, issue_text, TRUE FROM issues WHERE id = ?`, unknown))
		fixedIDs, err := s.QueryIntsForTest(ctx, "SELECT id FROM issues WHERE item_id = ? AND issue_text = 'Unknown Access' AND notes IS NULL ORDER BY id", b1)
		require.NoError(t, err)
		require.Len(t, fixedIDs, 2)
		require.NoError(t, s.SaveIssues(ctx, store.Fence{}, acct.ID, "s3", []store.IssueWrite{{ItemID: b1, Class: "S3Auditor", Reopen: fixedIDs}}))
		open, err := s.QueryIntsForTest(ctx, "SELECT COUNT(*) FROM issues WHERE item_id = ? AND fixed = FALSE", b1)
		require.NoError(t, err)
		require.Equal(t, []int64{3}, open)

		// At once, from several writers (no scan lock): still one per identity.
		newIssues := []store.IssueWrite{{ItemID: b2, Class: "S3Auditor", Create: []monkey.Issue{
			{Text: "Internet Accessible", Score: 10}, {Text: "Versioning", Score: 1, Notes: strp("off")},
		}}}
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = s.SaveIssues(ctx, store.Fence{}, acct.ID, "s3", newIssues)
			}()
		}
		wg.Wait()
		for _, err := range errs {
			require.NoError(t, err)
		}
		it2, err := s.Item(ctx, b2)
		require.NoError(t, err)
		require.Len(t, it2.Issues, 2)

		// The schema refuses a second open issue of one identity.
		err = s.ExecForTest(ctx, `INSERT INTO issues (item_id, score, issue_text, notes) VALUES (?, 1, 'Versioning', 'off')`, b2)
		require.Error(t, err)
		require.NoError(t, s.ExecForTest(ctx, `INSERT INTO issues (item_id, score, issue_text, notes, fixed) VALUES (?, 1, 'Versioning', 'off', TRUE)`, b2),
			"fixed issues may repeat an identity")
	})
}

// TestMigrationCleansDuplicates: a database written by overlapping scans
// (duplicate open issues, duplicate revisions) and with account names that
// clash ignoring case migrates, deterministically.
func TestMigrationCleansDuplicates(t *testing.T) {
	t.Parallel()
	forEachOldStore(t, 1, func(t *testing.T, s *store.Store, exec func(q string, args ...any)) {
		ctx := context.Background()
		ints := func(q string, args ...any) []int64 {
			t.Helper()
			v, err := s.QueryIntsForTest(ctx, q, args...)
			require.NoError(t, err, q)
			return v
		}
		// Accounts as version 1 accepted them.
		exec(`INSERT INTO accounts (id, account_type_id, name, identifier, active) VALUES
			(1, 1, 'a1', '111111111111', TRUE), (2, 1, 'A1', '222222222222', TRUE), (3, 1, 'a1 ', '333333333333', TRUE),
			(4, 1, ' b2 ', '444444444444', TRUE), (5, 1, 'c3', '555555555555', TRUE)`)
		exec(`INSERT INTO items (id, account_id, technology, region, name) VALUES (10, 1, 'iamrole', 'universal', 'r'), (11, 1, 'iamrole', 'universal', 's')`)
		t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		// r: v1, v2, v2 (duplicate, with a comment), v2 (duplicate, latest), v1 (a real change back).
		for i, cfg := range []string{`{"v":1}`, `{"v":2}`, `{"v":2}`, `{"v":2}`, `{"v":1}`} {
			exec("INSERT INTO revisions (id, item_id, config, active, created) VALUES (?, 10, ?, TRUE, ?)", 100+i, cfg, t0.Add(time.Duration(i)*time.Minute))
		}
		exec("INSERT INTO revisions (id, item_id, config, active, created) VALUES (200, 11, '{}', TRUE, ?), (201, 11, '{}', TRUE, ?)", t0, t0)
		exec("UPDATE items SET latest_revision_id = 104 WHERE id = 10")
		exec("UPDATE items SET latest_revision_id = 201 WHERE id = 11")
		exec("INSERT INTO revision_comments (revision_id, text, created) VALUES (102, 'on a duplicate', ?)", t0)
		exec("INSERT INTO auditor_settings (id, technology, account_id, issue_text, auditor_class) VALUES (1, 'iamrole', 1, 'Admin', 'IAMRoleAuditor')")
		// Three open copies of one identity (the second justified, the third linked), one of another, one fixed copy.
		exec(`INSERT INTO issues (id, item_id, auditor_setting_id, score, issue_text, notes, fixed, justified, justification) VALUES
			(1000, 10, 1, 10, 'Admin', NULL, FALSE, FALSE, ''),
			(1001, 10, 1, 10, 'Admin', NULL, FALSE, TRUE, 'known'),
			(1002, 10, 1, 10, 'Admin', NULL, FALSE, FALSE, ''),
			(1003, 10, 1, 10, 'Admin', 'x', FALSE, FALSE, ''),
			(1004, 10, 1, 10, 'Admin', NULL, TRUE, FALSE, ''),
			(1005, 11, 1, 10, 'Admin', NULL, FALSE, FALSE, ''),
			(1006, 11, 1, 10, 'Admin', NULL, FALSE, FALSE, '')`)
		exec("INSERT INTO issue_links (issue_id, item_id) VALUES (1002, 11)")
		exec("UPDATE items SET score = 40, unjustified_score = 30, issue_count = 4 WHERE id = 10")

		n, err := s.Migrate(ctx)
		require.NoError(t, err)
		require.Positive(t, n)

		require.Equal(t, []int64{1001, 1003, 1004}, ints("SELECT id FROM issues WHERE item_id = 10 ORDER BY id"),
			"the justified copy is kept, the fixed one untouched")
		require.Equal(t, []int64{1005}, ints("SELECT id FROM issues WHERE item_id = 11 ORDER BY id"), "else the oldest")
		require.Equal(t, []int64{11}, ints("SELECT item_id FROM issue_links WHERE issue_id = 1001"), "links moved to the kept issue")
		scores, err := s.ItemScoresForTest(ctx, 10)
		require.NoError(t, err)
		require.Equal(t, [3]int{20, 10, 2}, scores)

		require.Equal(t, []int64{100, 101, 104}, ints("SELECT id FROM revisions WHERE item_id = 10 ORDER BY id"))
		require.Equal(t, []int64{0, 100, 101}, ints("SELECT COALESCE(previous_id, 0) FROM revisions WHERE item_id = 10 ORDER BY id"))
		require.Equal(t, []int64{104}, ints("SELECT latest_revision_id FROM items WHERE id = 10"))
		require.Equal(t, []int64{200}, ints("SELECT latest_revision_id FROM items WHERE id = 11"), "latest pointed at a removed duplicate")
		require.Equal(t, []int64{101}, ints("SELECT revision_id FROM revision_comments"), "comments moved to the kept revision")

		names := map[int64]string{}
		accts, err := s.ListAccounts(ctx)
		require.NoError(t, err)
		for _, a := range accts {
			names[a.ID] = a.Name
		}
		require.Equal(t, map[int64]string{1: "a1", 2: "A1-2", 3: "a1-3", 4: "b2", 5: "c3"}, names)

		// From now on the schema refuses duplicates.
		require.Error(t, s.ExecForTest(ctx, "INSERT INTO issues (item_id, score, issue_text) VALUES (10, 10, 'Admin')"))
		require.Error(t, s.ExecForTest(ctx, "INSERT INTO revisions (item_id, previous_id, config, active, created) VALUES (10, 101, '{}', TRUE, ?)", t0))
		err = s.CreateAccount(ctx, &monkey.Account{Type: "AWS", Name: "C3", Identifier: "666666666666"})
		require.Equal(t, monkey.ECONFLICT, code(err))
		require.Contains(t, err.Error(), "ignoring case")
	})
}

// TestAccountInputIsValidated: the store refuses what monkey.Account.Validate
// refuses, and names that differ only in case.
func TestAccountInputIsValidated(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a := newAccount(t, s, "prod", "111111111111")
		for _, bad := range []monkey.Account{
			{Name: "evil\x1b[31m", Identifier: "222222222222"},
			{Name: "two\nlines", Identifier: "222222222222"},
			{Name: "prod ", Identifier: "222222222222"},
			{Name: "ok", Identifier: "222222222222", Custom: map[string]string{monkey.FieldRoleName: "../../evil"}},
		} {
			err := s.CreateAccount(ctx, &bad)
			require.Equal(t, monkey.EINVALID, code(err), "%q", bad.Name)
		}
		err := s.CreateAccount(ctx, &monkey.Account{Name: "PROD", Identifier: "222222222222"})
		require.Equal(t, monkey.ECONFLICT, code(err))
		a.Name = "Prod"
		require.NoError(t, s.UpdateAccount(ctx, a), "an account may change the case of its own name")
		a.Name = fmt.Sprintf("%051d", 0)
		require.Equal(t, monkey.EINVALID, code(s.UpdateAccount(ctx, a)))
	})
}
