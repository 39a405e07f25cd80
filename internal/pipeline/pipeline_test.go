package pipeline_test

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/awssim"
	"github.com/secmonkey/monkey/internal/awssim/awssimtest"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/pipeline"
	"github.com/secmonkey/monkey/internal/policy"
	"github.com/secmonkey/monkey/internal/store"
	"github.com/secmonkey/monkey/internal/store/storetest"
	"github.com/secmonkey/monkey/internal/tech"
	"github.com/secmonkey/monkey/internal/tech/all"
)

type bundle struct {
	store *store.Store
	sim   *awssim.Server
	pipe  *pipeline.Pipeline
	acct  monkey.Account
}

func setup(t *testing.T, engine string, items, maxAttempts int, opts ...func(*pipeline.Options)) bundle {
	t.Helper()
	return setupOn(t, storetest.New(t, engine), items, maxAttempts, opts...)
}

// setupOn is setup on the store s.
func setupOn(t *testing.T, s *store.Store, items, maxAttempts int, opts ...func(*pipeline.Options)) bundle {
	t.Helper()
	ctx := context.Background()
	endpoint, sim := awssimtest.Start(t, awssim.Options{Accounts: 1, Seed: 3, Items: items})
	base := awssimtest.Config(t, endpoint)
	cloud, err := awsclient.New(ctx, awsclient.Options{Base: &base, MaxAttempts: maxAttempts, MaxBackoff: 50 * time.Millisecond})
	require.NoError(t, err)
	cat, err := policy.LoadCatalogue()
	require.NoError(t, err)
	techs, err := tech.NewRegistry(all.Plugins(), tech.Deps{Catalogue: cat})
	require.NoError(t, err)
	acct := monkey.Account{Type: "AWS", Name: "alpha", Identifier: sim.AccountIDs()[0], Active: true}
	require.NoError(t, s.CreateAccount(ctx, &acct))
	o := pipeline.Options{Store: s, Technologies: techs,
		Sessions: map[string]pipeline.OpenSession{monkey.CloudAWS: cloud.Open}, Logger: slog.New(slog.DiscardHandler)}
	for _, f := range opts {
		f(&o)
	}
	p, err := pipeline.New(o)
	require.NoError(t, err)
	return bundle{store: s, sim: sim, pipe: p, acct: acct}
}

// TestUnchangedRescanStatementBudget: an unchanged rescan of 1,000 items
// costs at most 10 SQL statements and writes nothing.
func TestUnchangedRescanStatementBudget(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			b := setup(t, engine, 1000, 3)
			ctx := context.Background()
			first, err := b.pipe.RunTask(ctx, "alpha", "securitygroup")
			require.NoError(t, err)
			require.GreaterOrEqual(t, first.New, 1000)
			require.Equal(t, first.New, first.Items)
			require.Positive(t, first.Issues)

			before := b.store.Statements()
			second, err := b.pipe.RunTask(ctx, "alpha", "securitygroup")
			require.NoError(t, err)
			spent := b.store.Statements() - before
			require.Equal(t, pipeline.TaskResult{Items: first.Items, Issues: first.Issues, Collected: first.Items}, second)
			perThousand := float64(spent) * 1000 / float64(second.Items)
			t.Logf("unchanged rescan of %d items: %d SQL statements", second.Items, spent)
			require.LessOrEqual(t, perThousand, 10.0, "statements for an unchanged rescan of %d items: %d", second.Items, spent)
		})
	}
}

// TestMutationsAndDeletions checks the outcome counts after the simulated
// account changes.
func TestMutationsAndDeletions(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			b := setup(t, engine, 5, 3)
			ctx := context.Background()
			for _, tech := range b.pipe.Technologies() {
				r, err := b.pipe.RunTask(ctx, "alpha", tech)
				require.NoError(t, err, tech)
				require.Positive(t, r.New, tech)
				mutated, err := b.sim.Mutate(b.acct.Identifier, tech, 1)
				require.NoError(t, err, tech)
				require.Len(t, mutated, 1)
				r, err = b.pipe.RunTask(ctx, "alpha", tech)
				require.NoError(t, err, tech)
				require.Equal(t, 1, r.Changed, "%s: %+v", tech, r)
				require.Zero(t, r.New+r.Deleted+r.Errors, tech)
				deleted, err := b.sim.Delete(b.acct.Identifier, tech, 1)
				require.NoError(t, err, tech)
				require.Len(t, deleted, 1)
				r2, err := b.pipe.RunTask(ctx, "alpha", tech)
				require.NoError(t, err, tech)
				require.Equal(t, 1, r2.Deleted, "%s: %+v", tech, r2)
				require.Equal(t, r.Items-1, r2.Items, tech)
			}
		})
	}
}

// TestThrottlingStormLosesNothing: with 30% of calls throttled, the scan
// (with the default 10 attempts per call) still sees every item and deletes
// nothing.
func TestThrottlingStormLosesNothing(t *testing.T) {
	t.Parallel()
	b := setup(t, "sqlite", 5, 10)
	ctx := context.Background()
	want := map[string]int{}
	for _, tech := range b.pipe.Technologies() {
		r, err := b.pipe.RunTask(ctx, "alpha", tech)
		require.NoError(t, err)
		want[tech] = r.Items
	}
	require.NoError(t, b.sim.SetFaults(awssim.Faults{ThrottleRate: 0.3}))
	for _, tech := range b.pipe.Technologies() {
		r, err := b.pipe.RunTask(ctx, "alpha", tech)
		require.NoError(t, err, tech)
		require.Zero(t, r.Deleted, "%s: %+v", tech, r)
		require.Equal(t, want[tech], r.Items, tech)
	}
}

// TestFailingServiceNeverDeletes: an AccessDenied service is an error
// location, not an empty account.
func TestFailingServiceNeverDeletes(t *testing.T) {
	t.Parallel()
	b := setup(t, "sqlite", 5, 3)
	ctx := context.Background()
	for _, tech := range b.pipe.Technologies() {
		_, err := b.pipe.RunTask(ctx, "alpha", tech)
		require.NoError(t, err)
	}
	require.NoError(t, b.sim.SetFaults(awssim.Faults{FailServices: []string{"*"}}))
	for _, tech := range b.pipe.Technologies() {
		r, _ := b.pipe.RunTask(ctx, "alpha", tech)
		require.Zero(t, r.Deleted, tech)
		require.Positive(t, r.Errors, tech)
	}
	ex, err := b.store.ListExceptions(ctx, 100)
	require.NoError(t, err)
	require.NotEmpty(t, ex)
}

// openIssues returns the open issues of the active items of tech by item
// name: "text score [linked item names]".
func openIssues(t *testing.T, b bundle, tech string) map[string][]string {
	t.Helper()
	ctx := context.Background()
	items, err := b.store.ItemsForAudit(ctx, b.acct.ID, tech, nil)
	require.NoError(t, err)
	groups, err := b.store.ItemsForAudit(ctx, b.acct.ID, "securitygroup", nil)
	require.NoError(t, err)
	names := map[int64]string{}
	for _, g := range groups {
		names[g.ID] = g.Name
	}
	return openIssueLines(items, names, func(it monkey.StoredItem) string { return it.Name }, false)
}

// openIssueLines returns the open issues of items by key(item): "text
// score [linked item names]", the items named by names; withNotes puts the
// quoted notes before the links.
func openIssueLines(items []monkey.StoredItem, names map[int64]string, key func(monkey.StoredItem) string,
	withNotes bool) map[string][]string {
	out := map[string][]string{}
	for _, it := range items {
		for _, i := range it.Issues {
			if i.Fixed {
				continue
			}
			var linked []string
			for _, id := range i.LinkedItemIDs {
				linked = append(linked, names[id])
			}
			line := fmt.Sprintf("%s %d %v", i.Text, i.Score, linked)
			if withNotes {
				notes := ""
				if i.Notes != nil {
					notes = *i.Notes
				}
				line = fmt.Sprintf("%s %d %q %v", i.Text, i.Score, notes, linked)
			}
			k := key(it)
			out[k] = append(out[k], line)
		}
	}
	return out
}

// TestListenerLinkedReaudit: the listener-linked checks read the audited
// security groups of the account, and a change to a group re-audits the
// databases and load balancers that use it (auditors.md §2.1, §2.11).
func TestListenerLinkedReaudit(t *testing.T) {
	t.Parallel()
	b := setup(t, "sqlite", 6, 3)
	ctx := context.Background()
	// Database first: its security groups are not known yet.
	_, err := b.pipe.RunTask(ctx, "alpha", "rdsdbinstance")
	require.NoError(t, err)
	require.Empty(t, openIssues(t, b, "rdsdbinstance"))

	// The groups' task audits them, then the databases that use them: the
	// public MySQL behind the group admitting 3306 from unknown networks
	// takes on its Unknown Access.
	r, err := b.pipe.RunTask(ctx, "alpha", "securitygroup")
	require.NoError(t, err)
	require.Positive(t, r.New)
	sg2 := "db-private-2 (sg-"
	db := openIssues(t, b, "rdsdbinstance")
	require.Len(t, db, 1, "%v", db)
	require.Len(t, db["sim-db-public-mysql-2"], 1)
	require.Regexp(t, `^Unknown Access 10 \[`+regexp.QuoteMeta(sg2), db["sim-db-public-mysql-2"][0])

	// An unchanged rescan of the groups audits nothing else.
	r, err = b.pipe.RunTask(ctx, "alpha", "securitygroup")
	require.NoError(t, err)
	require.Zero(t, r.Audited, "%+v", r)

	// The internet-facing ALB behind the group open on its listener ports
	// (443 and 80) takes on the group's Internet Accessible…
	_, err = b.pipe.RunTask(ctx, "alpha", "alb")
	require.NoError(t, err)
	sg1 := "web-ipv6-1 (sg-"
	lbs := openIssues(t, b, "alb")
	require.Regexp(t, `^Internet Accessible 10 \[`+regexp.QuoteMeta(sg1), linkedOf(lbs["sim-alb-web-1"], "Internet Accessible"))

	// …and loses it when the group's rules open to the internet are closed:
	// the group's scan re-audits the load balancers that use it.
	closed, err := b.sim.Mutate(b.acct.Identifier, "securitygroup", 2) // groups 0 and 1
	require.NoError(t, err)
	require.Len(t, closed, 2)
	r, err = b.pipe.RunTask(ctx, "alpha", "securitygroup")
	require.NoError(t, err)
	require.Equal(t, 2, r.Changed)
	require.Empty(t, linkedOf(openIssues(t, b, "alb")["sim-alb-web-1"], "Internet Accessible"))
	require.Len(t, openIssues(t, b, "rdsdbinstance")["sim-db-public-mysql-2"], 1, "group 2 unchanged: the database keeps its link")
}

// linkedOf returns the first issue of text among issues with linked items.
func linkedOf(issues []string, text string) string {
	for _, i := range issues {
		if strings.HasPrefix(i, text+" ") && !strings.HasSuffix(i, " []") {
			return i
		}
	}
	return ""
}
