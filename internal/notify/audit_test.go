package notify_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/notify"
	"github.com/secmonkey/monkey/internal/store"
	"github.com/secmonkey/monkey/internal/store/storetest"
)

func sampleAuditReport() *notify.AuditReport {
	links := notify.Links{Base: "https://monkey.example.com"}
	return &notify.AuditReport{
		Account: monkey.Account{ID: 1, Name: "prod", Identifier: "123456789012"},
		Subject: notify.DailySubject("prod"), At: time.Date(2026, 12, 2, 8, 0, 0, 0, time.UTC),
		Items: []notify.AuditItem{
			{ID: 4, Technology: "S3 Bucket", Region: "us-east-1", Name: "logs", URL: links.Item(4), Total: 12, Unjustified: 10,
				Issues: []notify.IssueLine{{Score: 10, Text: "Internet Accessible", Notes: "Entity: [principal:*] Actions: [\"s3:GetObject\"]"},
					{Score: 2, Text: "Lifecycle not set", Justified: true, Justification: "logs are kept"}}},
			{ID: 9, Technology: "IAM Role", Region: "universal", Name: "deploy", URL: links.Item(9), Total: 5, Unjustified: 5,
				Issues: []notify.IssueLine{{Score: 5, Text: "Sensitive Permissions", Notes: "Actions: [\"iam:PassRole\"]"}}},
		},
		Issues: 3, Unjustified: 2, Justified: 1, Hidden: 4, IncludeJustified: true, URL: links.Issues("prod"),
	}
}

func TestRenderAuditReportGolden(t *testing.T) {
	t.Parallel()
	r, err := notify.NewRenderer(notify.Links{Base: "https://monkey.example.com"})
	require.NoError(t, err)
	m, err := r.Audit(sampleAuditReport())
	require.NoError(t, err)
	require.Equal(t, "Security Monkey Daily Audit Report - [prod]", m.Subject)
	golden(t, "audit.html", m.HTML)
	golden(t, "audit.txt", m.Text)
	require.Contains(t, m.HTML, "background: #ffcecb", "a score above 6 is red")
	require.Contains(t, m.HTML, "background: #ffe2b8", "a score of 4 to 6 is orange")
	require.Contains(t, m.HTML, "background: #fff8c5", "a score up to 3 is yellow")
	require.Equal(t, "Security Monkey IAM Role Auditor Report", notify.AuditorSubject("IAM Role"))
}

// TestAuditReports: the audit report lists open issues by score, with or
// without justified ones; the daily report goes once a day to the
// daily-audit followers and the team, even from two schedulers.
func TestAuditReports(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			b := setup(t, engine)
			ctx := context.Background()
			_, err := b.pipe.RunTask(ctx, "alpha", "securitygroup")
			require.NoError(t, err)
			issues, total, err := b.store.ListIssues(ctx, store.IssueQuery{ItemQuery: store.ItemQuery{Accounts: []string{"alpha"}, Count: 100}})
			require.NoError(t, err)
			require.Greater(t, total, 1)
			admin := monkey.User{Email: "admin@example.com", Active: true, Role: "Admin"}
			require.NoError(t, b.store.CreateUser(ctx, &admin))
			justified := issues[0].Issue
			require.NoError(t, b.store.JustifyIssue(ctx, justified.ID, admin.ID, "accepted risk"))

			with, err := notify.BuildAuditReport(ctx, b.store, b.techs, notify.Links{}, b.acct, nil, true, time.Now())
			require.NoError(t, err)
			without, err := notify.BuildAuditReport(ctx, b.store, b.techs, notify.Links{}, b.acct, nil, false, time.Now())
			require.NoError(t, err)
			require.Equal(t, total, with.Issues)
			require.Equal(t, 1, with.Justified)
			require.Equal(t, total-1, without.Issues)
			require.Zero(t, without.Justified)
			for i := 1; i < len(with.Items); i++ {
				require.GreaterOrEqual(t, with.Items[i-1].Unjustified, with.Items[i].Unjustified, "items by unjustified score")
			}

			// Before 08:00 UTC nothing; after, once per day, even from a
			// second service (another scheduler that took over).
			day := time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)
			b.clock.now = day.Add(7 * time.Hour)
			n, err := b.svc.DailyAudit(ctx, b.clock.Now())
			require.NoError(t, err)
			require.Zero(t, n)
			b.clock.Advance(90 * time.Minute)
			n, err = b.svc.DailyAudit(ctx, b.clock.Now())
			require.NoError(t, err)
			require.Equal(t, 2, n, "dana (daily, follows alpha) and the team; not bob (follows nothing)")
			other, err := newService(b.store, b.reg, b.mailer, b.clock)
			require.NoError(t, err)
			n, err = other.DailyAudit(ctx, b.clock.Now())
			require.NoError(t, err)
			require.Zero(t, n)
			d, err := b.svc.Deliver(ctx)
			require.NoError(t, err)
			require.Equal(t, 2, d.Sent)
			msgs := b.smtp.Messages()
			require.ElementsMatch(t, []string{"dana@example.com", "sec@example.com"}, recipients(msgs))
			require.Equal(t, "Security Monkey Daily Audit Report - [alpha]", msgs[0].Subject())
			require.Contains(t, msgs[0].Part("text/plain"), "accepted risk")

			b.clock.Advance(24 * time.Hour)
			n, err = other.DailyAudit(ctx, b.clock.Now())
			require.NoError(t, err)
			require.Equal(t, 2, n, "the next day's report")
		})
	}
}
