package notify_test

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/awssim"
	"github.com/secmonkey/monkey/internal/awssim/awssimtest"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/notify"
	"github.com/secmonkey/monkey/internal/notify/email"
	"github.com/secmonkey/monkey/internal/notify/smtptest"
	"github.com/secmonkey/monkey/internal/pipeline"
	"github.com/secmonkey/monkey/internal/policy"
	"github.com/secmonkey/monkey/internal/store"
	"github.com/secmonkey/monkey/internal/store/storetest"
	"github.com/secmonkey/monkey/internal/tech"
	"github.com/secmonkey/monkey/internal/tech/all"
)

type bundle struct {
	store  *store.Store
	sim    *awssim.Server
	pipe   *pipeline.Pipeline
	acct   monkey.Account
	smtp   *smtptest.Server
	svc    *notify.Service
	techs  map[string]monkey.Technology
	clock  *clock
	reg    *tech.Registry
	mailer notify.Notifier
}

// clock is a test clock that only moves when told.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// setup: one simulated account "alpha" followed by alice (ALL), ivan
// (ISSUES), nora (NONE) and dana (NONE, daily audit e-mail); bob (ALL,
// daily audit e-mail) follows nothing; the security team is
// sec@example.com; e-mail goes to a real SMTP server.
func setup(t *testing.T, engine string) bundle {
	t.Helper()
	ctx := context.Background()
	s := storetest.New(t, engine)
	endpoint, sim := awssimtest.Start(t, awssim.Options{Accounts: 1, Seed: 5, Items: 3})
	base := awssimtest.Config(t, endpoint)
	cloud, err := awsclient.New(ctx, awsclient.Options{Base: &base, MaxAttempts: 3, MaxBackoff: 50 * time.Millisecond})
	require.NoError(t, err)
	cat, err := policy.LoadCatalogue()
	require.NoError(t, err)
	reg, err := tech.NewRegistry(all.Plugins(), tech.Deps{Catalogue: cat})
	require.NoError(t, err)
	acct := monkey.Account{Type: "AWS", Name: "alpha", Identifier: sim.AccountIDs()[0], Active: true}
	require.NoError(t, s.CreateAccount(ctx, &acct))
	p, err := pipeline.New(pipeline.Options{Store: s, Technologies: reg,
		Sessions: map[string]pipeline.OpenSession{monkey.CloudAWS: cloud.Open}, Logger: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	for _, u := range []struct {
		email, reports string
		follow, daily  bool
	}{{"alice@example.com", "ALL", true, false}, {"ivan@example.com", "ISSUES", true, false}, {"nora@example.com", "NONE", true, false},
		{"bob@example.com", "ALL", false, true}, {"dana@example.com", "NONE", true, true}} {
		user := monkey.User{Email: u.email, Active: true, ChangeReports: u.reports, DailyAudit: u.daily}
		require.NoError(t, s.CreateUser(ctx, &user))
		if u.follow {
			require.NoError(t, s.SetUserAccounts(ctx, user.ID, []int64{acct.ID}))
		}
	}
	srv := smtptest.Start(t, smtptest.Options{})
	mailer, err := email.New(email.Config{Host: srv.Host, Port: srv.Port, From: "monkey@example.com"})
	require.NoError(t, err)
	clk := &clock{now: time.Now().UTC()}
	svc, err := newService(s, reg, mailer, clk)
	require.NoError(t, err)
	return bundle{store: s, sim: sim, pipe: p, acct: acct, smtp: srv, svc: svc, techs: techsOf(reg), clock: clk, reg: reg, mailer: mailer}
}

func techsOf(reg *tech.Registry) map[string]monkey.Technology {
	techs := map[string]monkey.Technology{}
	for _, tt := range reg.Technologies() {
		techs[tt.Index] = tt
	}
	return techs
}

// newService is a notification service on st sending e-mail through
// mailer, with daily audit reports at 08:00 UTC.
func newService(st *store.Store, reg *tech.Registry, mailer notify.Notifier, clk *clock) (*notify.Service, error) {
	return notify.New(notify.Config{Team: []string{"sec@example.com"}, MaxAttempts: 3, Now: clk.Now,
		Daily: notify.Daily{Enabled: true, Hour: 8}, IncludeJustified: true, Backoff: func(int) time.Duration { return time.Minute }},
		st, techsOf(reg), notify.Links{Base: "https://monkey.example.com"}, map[string]notify.Notifier{notify.ChannelEmail: mailer},
		slog.New(slog.DiscardHandler), nil)
}

func recipients(msgs []smtptest.Message) []string {
	var out []string
	for _, m := range msgs {
		out = append(out, m.To...)
	}
	return out
}

// TestChangeReportsOverSMTP: a scan after a simulated mutation delivers
// exactly one change report to each recipient, with the subject, the
// recipients and the items of the reference; reporting the same result
// again sends nothing; an SMTP outage delays the report, which is then
// delivered.
func TestChangeReportsOverSMTP(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			b := setup(t, engine)
			ctx := context.Background()
			sg := b.techs["securitygroup"]

			// First scan: every item is new.
			first, err := b.pipe.RunTask(ctx, "alpha", "securitygroup")
			require.NoError(t, err)
			require.NotNil(t, first.Changes)
			require.Equal(t, first.New, first.Changes.Counts["securitygroup"].New)
			n, err := b.svc.ReportChanges(ctx, "alpha/securitygroup/slot-1", first.Changes)
			require.NoError(t, err)
			d, err := b.svc.Deliver(ctx)
			require.NoError(t, err)
			require.Equal(t, n, d.Sent)
			msgs := b.smtp.Messages()
			require.Len(t, msgs, n)
			subject := msgs[0].Subject()
			withIssues := first.Issues > 0
			want := []string{"alice@example.com", "sec@example.com"}
			if withIssues {
				want = []string{"alice@example.com", "ivan@example.com", "sec@example.com"}
				require.True(t, strings.HasPrefix(subject, "NEW ISSUE - [alpha] Changes in "+sg.Plural), subject)
			} else {
				require.Equal(t, "[alpha] Changes in "+sg.Plural, subject)
			}
			require.ElementsMatch(t, want, recipients(msgs), "one message per recipient, NONE and non-followers never")
			for _, m := range msgs {
				require.Len(t, m.To, 1)
				require.Equal(t, subject, m.Subject())
				require.Contains(t, m.Header().Get("Content-Type"), "multipart/alternative")
				require.Contains(t, m.Part("text/html"), "<h2")
			}

			// The same result reported again (a retried task): nothing new.
			n, err = b.svc.ReportChanges(ctx, "alpha/securitygroup/slot-1", first.Changes)
			require.NoError(t, err)
			require.Zero(t, n)
			d, err = b.svc.Deliver(ctx)
			require.NoError(t, err)
			require.Zero(t, d.Sent)

			// An unchanged rescan reports nothing.
			again, err := b.pipe.RunTask(ctx, "alpha", "securitygroup")
			require.NoError(t, err)
			require.Nil(t, again.Changes)
			n, err = b.svc.ReportChanges(ctx, "alpha/securitygroup/slot-2", again.Changes)
			require.NoError(t, err)
			require.Zero(t, n)

			// A mutation, during an SMTP outage: delayed, then delivered.
			mutated, err := b.sim.Mutate(b.acct.Identifier, "securitygroup", 1)
			require.NoError(t, err)
			require.Len(t, mutated, 1)
			third, err := b.pipe.RunTask(ctx, "alpha", "securitygroup")
			require.NoError(t, err)
			require.Equal(t, 1, third.Changed)
			require.Len(t, third.Changes.Items, 1)
			item := third.Changes.Items[0]
			require.Equal(t, pipeline.ChangeChanged, item.Kind)
			b.smtp.Refuse(451)
			n, err = b.svc.ReportChanges(ctx, "alpha/securitygroup/slot-3", third.Changes)
			require.NoError(t, err)
			require.Positive(t, n)
			d, err = b.svc.Deliver(ctx)
			require.NoError(t, err)
			require.Equal(t, notify.Delivery{Retried: n}, d)
			require.Len(t, b.smtp.Messages(), len(msgs), "nothing delivered during the outage")
			exc, err := b.store.ListExceptions(ctx, 10)
			require.NoError(t, err)
			require.NotEmpty(t, exc)
			require.Equal(t, "NotificationRetry", exc[0].Type)
			pending, err := b.store.ListNotifications(ctx, store.NotificationQuery{Status: store.NotificationPending})
			require.NoError(t, err)
			require.Len(t, pending, n)
			require.Contains(t, pending[0].LastError, "attempt 1 of 3")

			b.smtp.Refuse(0)
			d, err = b.svc.Deliver(ctx)
			require.NoError(t, err)
			require.Zero(t, d, "not due before its backoff")
			b.clock.Advance(2 * time.Minute)
			d, err = b.svc.Deliver(ctx)
			require.NoError(t, err)
			require.Equal(t, notify.Delivery{Sent: n}, d)
			all := b.smtp.Messages()
			require.Len(t, all, len(msgs)+n)
			last := all[len(all)-1]
			body := last.Part("text/plain")
			require.Contains(t, last.Subject(), "[alpha] Changes")
			require.Contains(t, body, item.Name)
			require.Contains(t, body, "CHANGED "+sg.Singular)
			require.Contains(t, body, "https://monkey.example.com/items/")
			counts, err := b.store.NotificationCounts(ctx)
			require.NoError(t, err)
			require.Equal(t, map[string]int{"pending": 0, "sent": len(all), "failed": 0}, counts)
		})
	}
}

// TestPermanentFailure: a refused recipient fails for good after one
// attempt and is recorded.
func TestPermanentFailure(t *testing.T) {
	t.Parallel()
	b := setup(t, "sqlite")
	ctx := context.Background()
	res, err := b.pipe.RunTask(ctx, "alpha", "securitygroup")
	require.NoError(t, err)
	b.smtp.Refuse(550)
	n, err := b.svc.ReportChanges(ctx, "slot", res.Changes)
	require.NoError(t, err)
	d, err := b.svc.Deliver(ctx)
	require.NoError(t, err)
	require.Equal(t, notify.Delivery{Failed: n}, d)
	failed, err := b.store.ListNotifications(ctx, store.NotificationQuery{Status: store.NotificationFailed})
	require.NoError(t, err)
	require.Len(t, failed, n)
	d, err = b.svc.Deliver(ctx)
	require.NoError(t, err)
	require.Zero(t, d)
}

// TestSizeCap: a report details the first MaxItems changed items and
// counts the others, linking to the full lists.
func TestSizeCap(t *testing.T) {
	t.Parallel()
	b := setup(t, "sqlite")
	ctx := context.Background()
	res, err := b.pipe.RunTask(ctx, "alpha", "securitygroup")
	require.NoError(t, err)
	require.Greater(t, res.New, 2)
	links := notify.Links{Base: "https://monkey.example.com"}
	rep, err := notify.BuildChangeReport(ctx, b.store, b.techs, links, res.Changes, 2)
	require.NoError(t, err)
	require.Equal(t, 2, rep.Shown)
	require.Equal(t, res.New, rep.Total())
	require.Equal(t, res.New-2, rep.Hidden())
	r, err := notify.NewRenderer(links)
	require.NoError(t, err)
	m, err := r.Change(rep)
	require.NoError(t, err)
	require.Contains(t, m.Text, fmt.Sprintf("This report details the first 2 of %d changed items; %d more are counted below.", res.New, res.New-2))
	require.Contains(t, m.HTML, fmt.Sprintf("%d more not detailed", res.New-2))
	require.Contains(t, m.HTML, "technologies=securitygroup", "a link to the full list")
	require.Equal(t, 2, strings.Count(m.Text, "== NEW "))
}
