package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/store"
)

func TestSessions(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := monkey.User{Email: "a@example.com", Active: true, PasswordHash: "h1", Role: "Justify"}
		require.NoError(t, s.CreateUser(ctx, &u))
		t0 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
		se := store.Session{IDHash: "h-1", UserID: u.ID, CSRFToken: "csrf", Created: t0, LastSeen: t0,
			IdleExpires: t0.Add(time.Hour), AbsoluteExpires: t0.Add(12 * time.Hour), IP: "10.0.0.1", UserAgent: "curl"}
		require.NoError(t, s.CreateSession(ctx, se))
		got, gu, err := s.SessionUser(ctx, "h-1")
		require.NoError(t, err)
		require.Equal(t, se, got)
		require.Equal(t, u.Email, gu.Email)
		require.Equal(t, "Justify", gu.Role)
		_, _, err = s.SessionUser(ctx, "nope")
		require.ErrorIs(t, err, monkey.ErrNotFound)

		require.NoError(t, s.TouchSession(ctx, "h-1", t0.Add(time.Minute), t0.Add(61*time.Minute)))
		got, _, err = s.SessionUser(ctx, "h-1")
		require.NoError(t, err)
		require.Equal(t, t0.Add(61*time.Minute), got.IdleExpires)

		n, err := s.PurgeSessions(ctx, t0.Add(30*time.Minute))
		require.NoError(t, err)
		require.Zero(t, n)
		n, err = s.PurgeSessions(ctx, t0.Add(62*time.Minute))
		require.NoError(t, err)
		require.Equal(t, 1, n)

		// A new password or disabling the user ends its sessions; other
		// changes keep them.
		for i, change := range []func(u *monkey.User){
			func(u *monkey.User) { u.Role = "Admin" },
			func(u *monkey.User) { u.PasswordHash = "h2" },
			func(u *monkey.User) { u.Active = false },
		} {
			require.NoError(t, s.CreateSession(ctx, store.Session{IDHash: "s", UserID: u.ID, CSRFToken: "c", Created: t0,
				LastSeen: t0, IdleExpires: t0.Add(time.Hour), AbsoluteExpires: t0.Add(time.Hour)}))
			cur, err := s.User(ctx, u.ID)
			require.NoError(t, err)
			change(&cur)
			require.NoError(t, s.UpdateUser(ctx, cur))
			_, _, err = s.SessionUser(ctx, "s")
			if i == 0 {
				require.NoError(t, err, "a role change keeps the session (the new role applies at once)")
				require.NoError(t, s.DeleteSession(ctx, "s"))
				continue
			}
			require.ErrorIs(t, err, monkey.ErrNotFound, "change %d ends the sessions", i)
		}
		require.NoError(t, s.CreateSession(ctx, store.Session{IDHash: "z", UserID: u.ID, CSRFToken: "c", Created: t0,
			LastSeen: t0, IdleExpires: t0.Add(time.Hour), AbsoluteExpires: t0.Add(time.Hour)}))
		require.NoError(t, s.DeleteUserSessions(ctx, u.ID))
		_, _, err = s.SessionUser(ctx, "z")
		require.ErrorIs(t, err, monkey.ErrNotFound)
	})
}

func TestTokens(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a := monkey.User{Email: "a@example.com", Active: true}
		b := monkey.User{Email: "b@example.com", Active: true}
		require.NoError(t, s.CreateUser(ctx, &a))
		require.NoError(t, s.CreateUser(ctx, &b))
		t0 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
		exp := t0.Add(24 * time.Hour)
		tok := store.Token{UserID: a.ID, Name: "ci", Hash: "hash-a", Prefix: "smk_abc", Created: t0, Expires: &exp}
		require.NoError(t, s.CreateToken(ctx, &tok))
		require.NotZero(t, tok.ID)
		require.Error(t, s.CreateToken(ctx, &store.Token{UserID: a.ID, Hash: "hash-a", Created: t0}), "hash is unique")
		other := store.Token{UserID: b.ID, Hash: "hash-b", Created: t0}
		require.NoError(t, s.CreateToken(ctx, &other))

		got, u, err := s.TokenUser(ctx, "hash-a")
		require.NoError(t, err)
		require.Equal(t, a.Email, u.Email)
		require.Equal(t, "ci", got.Name)
		require.Equal(t, exp, *got.Expires)
		require.Nil(t, got.LastUsed)
		require.NoError(t, s.TouchToken(ctx, tok.ID, t0.Add(time.Minute)))
		got, err = s.Token(ctx, tok.ID)
		require.NoError(t, err)
		require.Equal(t, t0.Add(time.Minute), *got.LastUsed)

		mine, err := s.ListTokens(ctx, a.ID)
		require.NoError(t, err)
		require.Len(t, mine, 1)
		all, err := s.ListTokens(ctx, 0)
		require.NoError(t, err)
		require.Len(t, all, 2)
		require.Equal(t, "b@example.com", all[0].User, "newest first")

		require.ErrorIs(t, s.RevokeToken(ctx, other.ID, a.ID, t0), monkey.ErrNotFound, "not a's token")
		require.NoError(t, s.RevokeToken(ctx, tok.ID, a.ID, t0.Add(time.Hour)))
		require.NoError(t, s.RevokeToken(ctx, tok.ID, 0, t0.Add(2*time.Hour)), "revoking twice keeps the first time")
		got, err = s.Token(ctx, tok.ID)
		require.NoError(t, err)
		require.Equal(t, t0.Add(time.Hour), *got.Revoked)

		require.NoError(t, s.DeleteUser(ctx, b.ID))
		_, _, err = s.TokenUser(ctx, "hash-b")
		require.ErrorIs(t, err, monkey.ErrNotFound, "a deleted user's tokens go with it")
	})
}

func TestActionLog(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		t0 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
		before, after := `{"justified":false}`, `{"justified":true}`
		for i, a := range []store.Action{
			{At: t0, UserID: 1, User: "a@example.com", Source: "10.0.0.1", Action: "issue.justify", Target: "issue 1", Before: &before, After: &after},
			{At: t0.Add(time.Minute), User: "cli", Source: "cli", Action: "user.create", Target: "user b@example.com"},
			{At: t0.Add(2 * time.Minute), UserID: 1, User: "a@example.com", Action: "issue.unjustify", Target: "issue 1"},
		} {
			require.NoError(t, s.RecordAction(ctx, a), i)
		}
		require.Error(t, s.RecordAction(ctx, store.Action{User: "x"}), "an action is required")
		list, total, err := s.ListActions(ctx, store.ActionQuery{})
		require.NoError(t, err)
		require.Equal(t, 3, total)
		require.Equal(t, "issue.unjustify", list[0].Action, "newest first")
		require.Equal(t, "issue.justify", list[2].Action)
		require.Equal(t, after, *list[2].After)
		require.Equal(t, t0, list[2].At)
		require.Nil(t, list[1].Before)
		list, total, err = s.ListActions(ctx, store.ActionQuery{Users: []string{"a@example.com"}, Actions: []string{"issue.justify"}})
		require.NoError(t, err)
		require.Equal(t, 1, total)
		require.Equal(t, int64(1), list[0].UserID)
		list, total, err = s.ListActions(ctx, store.ActionQuery{Page: 2, Count: 2})
		require.NoError(t, err)
		require.Equal(t, 3, total)
		require.Len(t, list, 1)
	})
}

func TestLoginFailures(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		t0 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
		for i := 0; i < 3; i++ {
			require.NoError(t, s.RecordLoginFailure(ctx, "a@example.com", "10.0.0.1", t0.Add(time.Duration(i)*time.Minute)))
		}
		require.NoError(t, s.RecordLoginFailure(ctx, "b@example.com", "10.0.0.1", t0.Add(5*time.Minute)))
		f, err := s.CountLoginFailures(ctx, "a@example.com", "10.0.0.1", t0.Add(30*time.Second))
		require.NoError(t, err)
		require.Equal(t, store.LoginFailures{Email: 2, IP: 3, OldestEmail: t0.Add(time.Minute), OldestIP: t0.Add(time.Minute)}, f)
		require.NoError(t, s.ClearLoginFailures(ctx, "a@example.com"))
		f, err = s.CountLoginFailures(ctx, "a@example.com", "10.0.0.1", t0)
		require.NoError(t, err)
		require.Equal(t, store.LoginFailures{IP: 1, OldestIP: t0.Add(5 * time.Minute)}, f)
		require.NoError(t, s.PurgeLoginFailures(ctx, t0.Add(time.Hour)))
		f, err = s.CountLoginFailures(ctx, "b@example.com", "10.0.0.1", t0)
		require.NoError(t, err)
		require.Zero(t, f.Email)
	})
}

func TestAPIQueries(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		prod := newAccount(t, s, "prod", "111111111111")
		dev := newAccount(t, s, "dev", "222222222222")
		third := monkey.Account{Type: "AWS", Name: "vendor", Identifier: "333333333333", ThirdParty: true}
		require.NoError(t, s.CreateAccount(ctx, &third))
		t0 := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
		require.NoError(t, s.ApplyChanges(ctx, store.ChangeSet{AccountID: prod.ID, Technology: "s3", Now: t0, New: []store.NewItem{
			newItem("us-east-1", "logs_bucket", "arn:aws:s3:::logs", `{"Policy":"Pub%lic"}`),
			newItem("eu-west-1", "data", "arn:aws:s3:::data", `{"Policy":"private"}`),
		}}))
		require.NoError(t, s.ApplyChanges(ctx, store.ChangeSet{AccountID: dev.ID, Technology: "iamrole", Now: t0.Add(time.Hour),
			New: []store.NewItem{newItem("universal", "admin", "", `{}`)}}))
		logs, err := s.ItemByName(ctx, prod.ID, "s3", "us-east-1", "logs_bucket")
		require.NoError(t, err)
		require.NoError(t, s.ApplyChanges(ctx, store.ChangeSet{AccountID: prod.ID, Technology: "s3", Now: t0.Add(2 * time.Hour),
			Durable: []store.RevisionWrite{{ItemID: logs.ID, RevisionID: logs.RevisionID, ARN: logs.ARN, Config: []byte(`{"Policy":"Pub%lic","v":2}`)}}}))

		// LIKE wildcards in the search are literal.
		_, total, err := s.ListItems(ctx, store.ItemQuery{SearchConfig: "pub%l"})
		require.NoError(t, err)
		require.Equal(t, 1, total)
		_, total, err = s.ListItems(ctx, store.ItemQuery{SearchConfig: "p_b"})
		require.NoError(t, err)
		require.Zero(t, total)
		_, total, err = s.ListItems(ctx, store.ItemQuery{AccountTypes: []string{"AWS"}, Regions: []string{"eu-west-1", "universal"}})
		require.NoError(t, err)
		require.Equal(t, 2, total)
		rows, _, err := s.ListItems(ctx, store.ItemQuery{Summary: true})
		require.NoError(t, err)
		require.True(t, rows[0].FirstSeen.IsZero(), "summary leaves the first-seen date out")
		yes := true
		dev.Active = false
		require.NoError(t, s.UpdateAccount(ctx, dev))
		_, total, err = s.ListItems(ctx, store.ItemQuery{Active: &yes})
		require.NoError(t, err)
		require.Equal(t, 3, total)
		_, total, err = s.ListItems(ctx, store.ItemQuery{Active: &yes, ActiveAccounts: true})
		require.NoError(t, err)
		require.Equal(t, 2, total, "items of the inactive account are left out")

		// Revisions: every revision, newest first.
		revs, total, err := s.ListRevisions(ctx, store.RevisionQuery{})
		require.NoError(t, err)
		require.Equal(t, 4, total)
		require.Equal(t, logs.ID, revs[0].Revision.ItemID)
		require.Equal(t, "logs_bucket", revs[0].ItemName)
		require.Equal(t, "prod", revs[0].Account)
		_, total, err = s.ListRevisions(ctx, store.RevisionQuery{Technologies: []string{"s3"}, SearchConfig: `"v":2`})
		require.NoError(t, err)
		require.Equal(t, 1, total)
		hist, err := s.RevisionHistory(ctx, logs.ID)
		require.NoError(t, err)
		require.Len(t, hist, 2)
		require.Nil(t, hist[0].Config)
		require.Equal(t, t0.Add(2*time.Hour), hist[0].CreatedAt)
		sum, err := s.ItemSummary(ctx, logs.ID)
		require.NoError(t, err)
		require.Equal(t, t0, sum.FirstSeen)
		require.Equal(t, t0.Add(2*time.Hour), sum.LastSeen)
		require.Equal(t, "111111111111", sum.Identifier)
		_, err = s.ItemSummary(ctx, 9999)
		require.ErrorIs(t, err, monkey.ErrNotFound)

		// Distinct values.
		vals, total, err := s.Distinct(ctx, store.DistinctQuery{Key: "tech"})
		require.NoError(t, err)
		require.Equal(t, 2, total)
		require.Equal(t, "iamrole", vals[0].Value)
		vals, _, err = s.Distinct(ctx, store.DistinctQuery{Key: "region", Filter: store.ItemQuery{Technologies: []string{"s3"}}})
		require.NoError(t, err)
		require.Equal(t, []store.DistinctValue{{"eu-west-1", vals[0].ItemID}, {"us-east-1", logs.ID}}, vals)
		vals, total, err = s.Distinct(ctx, store.DistinctQuery{Key: "name", Select: true, Search: "LOGS"})
		require.NoError(t, err)
		require.Equal(t, 1, total)
		require.Equal(t, logs.ID, vals[0].ItemID)
		vals, _, err = s.Distinct(ctx, store.DistinctQuery{Key: "arn"})
		require.NoError(t, err)
		require.Len(t, vals, 2, "items without an ARN have no value")

		// Issues: search terms match text, notes, justification or item
		// name, any term.
		require.NoError(t, s.SaveIssues(ctx, store.Fence{}, prod.ID, "s3", []store.IssueWrite{{ItemID: logs.ID, Class: "S3Auditor",
			Create: []monkey.Issue{
				{Text: "Internet Accessible", Score: 10},
				{Text: "Unknown Access", Score: 5, Notes: strp("Entity: [account:123]")},
			}}}))
		for _, tc := range []struct {
			terms []string
			want  int
		}{
			{[]string{"internet"}, 1},
			{[]string{"account:123", "internet"}, 2},
			{[]string{"LOGS_B"}, 2},
			{[]string{"nothing"}, 0},
			{[]string{"accepted risk"}, 1},
		} {
			if tc.terms[0] == "accepted risk" {
				list, _, err := s.ListIssues(ctx, store.IssueQuery{})
				require.NoError(t, err)
				require.NoError(t, s.JustifyIssue(ctx, list[0].Issue.ID, 0, "Accepted risk"))
			}
			_, total, err := s.ListIssues(ctx, store.IssueQuery{SearchTerms: tc.terms})
			require.NoError(t, err)
			require.Equal(t, tc.want, total, "%v", tc.terms)
		}
		list, _, err := s.ListIssues(ctx, store.IssueQuery{})
		require.NoError(t, err)
		require.False(t, list[0].Issue.Justified, "unjustified first")
		require.True(t, list[1].Issue.Justified)
		list, total, err = s.ListIssues(ctx, store.IssueQuery{ItemQuery: store.ItemQuery{Accounts: []string{"dev"}}})
		require.NoError(t, err)
		require.Zero(t, total)
		require.Empty(t, list)

		// Comments.
		u := monkey.User{Email: "a@example.com", Active: true}
		require.NoError(t, s.CreateUser(ctx, &u))
		cid, err := s.AddItemComment(ctx, logs.ID, u.ID, "hello")
		require.NoError(t, err)
		c, err := s.ItemComment(ctx, cid)
		require.NoError(t, err)
		require.Equal(t, "a@example.com", c.User)
		_, err = s.ItemComment(ctx, 999)
		require.ErrorIs(t, err, monkey.ErrNotFound)
		counts, err := s.ItemCommentCounts(ctx, []int64{logs.ID, 999})
		require.NoError(t, err)
		require.Equal(t, map[int64]int{logs.ID: 1}, counts)
		rid, err := s.AddRevisionComment(ctx, hist[0].ID, u.ID, "rev")
		require.NoError(t, err)
		rc, err := s.RevisionComment(ctx, rid)
		require.NoError(t, err)
		require.Equal(t, hist[0].ID, rc.RevisionID)

		// Bulk activation is all or nothing.
		require.ErrorIs(t, s.SetAccountsActive(ctx, map[string]bool{"prod": false, "nope": true}), monkey.ErrNotFound)
		got, err := s.AccountByName(ctx, "prod")
		require.NoError(t, err)
		require.True(t, got.Active)
		require.NoError(t, s.SetAccountsActive(ctx, map[string]bool{"prod": false, "dev": true}))
		got, err = s.AccountByName(ctx, "prod")
		require.NoError(t, err)
		require.False(t, got.Active)
	})
}

func TestUserPagesAndPatterns(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		for _, e := range []string{"c@example.com", "a@example.com", "b@example.com"} {
			require.NoError(t, s.CreateUser(ctx, &monkey.User{Email: e, Active: true}))
		}
		users, total, err := s.ListUsersPage(ctx, store.UserQuery{OrderBy: "email", Desc: true, Count: 2})
		require.NoError(t, err)
		require.Equal(t, 3, total)
		require.Equal(t, "c@example.com", users[0].Email)
		require.Equal(t, "b@example.com", users[1].Email)
		users, _, err = s.ListUsersPage(ctx, store.UserQuery{Page: 2, Count: 2})
		require.NoError(t, err)
		require.Equal(t, "b@example.com", users[0].Email, "default order: id")
		_, _, err = s.ListUsersPage(ctx, store.UserQuery{OrderBy: "password_hash"})
		require.Equal(t, monkey.EINVALID, code(err))

		a := monkey.AuditScore{Technology: "s3", Method: "check_acl (S3Auditor)", Score: 3}
		require.NoError(t, s.UpsertAuditScore(ctx, &a))
		again := monkey.AuditScore{Technology: "s3", Method: "check_acl (S3Auditor)", Score: 7, Disabled: true}
		require.NoError(t, s.UpsertAuditScore(ctx, &again))
		require.Equal(t, a.ID, again.ID, "upsert on technology and method")
		p := monkey.AccountPatternScore{AccountType: "AWS", AccountField: "name", AccountPattern: "prod*", Score: 9}
		require.NoError(t, s.UpsertAccountPatternScore(ctx, a.ID, &p))
		p2 := monkey.AccountPatternScore{AccountType: "AWS", AccountField: "name", AccountPattern: "prod*", Score: 1}
		require.NoError(t, s.UpsertAccountPatternScore(ctx, a.ID, &p2))
		require.Equal(t, p.ID, p2.ID)
		require.ErrorIs(t, s.UpsertAccountPatternScore(ctx, 9999, &p2), monkey.ErrNotFound)
		got, err := s.AuditScore(ctx, a.ID)
		require.NoError(t, err)
		require.Equal(t, 7, got.Score)
		require.True(t, got.Disabled)
		require.Len(t, got.Patterns, 1)
		require.Equal(t, 1, got.Patterns[0].Score)
		gp, owner, err := s.AccountPatternScore(ctx, p.ID)
		require.NoError(t, err)
		require.Equal(t, a.ID, owner)
		gp.AccountPattern = "dev*"
		require.NoError(t, s.UpdateAccountPatternScore(ctx, gp))
		require.NoError(t, s.DeleteAccountPatternScore(ctx, gp.ID))
		require.ErrorIs(t, s.DeleteAccountPatternScore(ctx, gp.ID), monkey.ErrNotFound)

		w := monkey.NetworkWhitelist{Name: "office", CIDR: "10.0.0.0/8"}
		require.NoError(t, s.CreateWhitelist(ctx, &w))
		gw, err := s.Whitelist(ctx, w.ID)
		require.NoError(t, err)
		require.Equal(t, w, gw)
		_, err = s.Whitelist(ctx, 999)
		require.ErrorIs(t, err, monkey.ErrNotFound)
		e := monkey.IgnoreEntry{Technology: "s3", Prefix: "tmp-"}
		require.NoError(t, s.CreateIgnore(ctx, &e))
		ge, err := s.Ignore(ctx, e.ID)
		require.NoError(t, err)
		require.Equal(t, e, ge)
		require.NoError(t, s.SetWatcherConfig(ctx, monkey.WatcherConfig{Index: "s3", Interval: 15, Active: true}))
		wcs, err := s.ListWatcherConfigs(ctx)
		require.NoError(t, err)
		wc, err := s.WatcherConfigByID(ctx, wcs[0].ID)
		require.NoError(t, err)
		require.Equal(t, 15, wc.Interval)
	})
}
