package notify

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/store"
)

// AuditStore is what audit reports need from the database.
type AuditStore interface {
	ListAccounts(ctx context.Context) ([]monkey.Account, error)
	ListIssues(ctx context.Context, q store.IssueQuery) ([]store.IssueView, int, error)
}

// auditIssueLimit bounds the issues an audit report reads per account.
const auditIssueLimit = 2000

// AuditReport lists the open issues of one account, items sorted by score.
type AuditReport struct {
	Account monkey.Account
	Subject string
	At      time.Time
	// Technologies limits the report ("" = every technology).
	Technologies []string
	Items        []AuditItem
	Issues       int // issues listed
	Unjustified  int
	Justified    int
	Hidden       int // issues beyond the report's limit
	// IncludeJustified is EMAIL_AUDIT_REPORTS_INCLUDE_JUSTIFIED.
	IncludeJustified bool
	URL              string
}

// AuditItem is one item of an audit report with its issues.
type AuditItem struct {
	ID          int64
	Technology  string // singular name
	Region      string
	Name        string
	URL         string
	Total       int // score of its open issues
	Unjustified int // score of its unjustified open issues
	Issues      []IssueLine
}

// BuildAuditReport lists the open issues of account on enabled auditor
// settings (of the given technologies; all when none), justified ones only
// with includeJustified; items by unjustified then total score.
func BuildAuditReport(ctx context.Context, st AuditStore, techs map[string]monkey.Technology, links Links,
	account monkey.Account, technologies []string, includeJustified bool, at time.Time) (*AuditReport, error) {
	q := store.IssueQuery{ItemQuery: store.ItemQuery{Accounts: []string{account.Name}, Technologies: technologies,
		Count: auditIssueLimit}, EnabledOnly: true}
	active := true
	q.Active = &active
	views, total, err := st.ListIssues(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("audit report %s: %w", account.Name, err)
	}
	r := &AuditReport{Account: account, At: at, Technologies: technologies, IncludeJustified: includeJustified,
		URL: links.Issues(account.Name), Hidden: max(0, total-len(views))}
	byItem := map[int64]*AuditItem{}
	for _, v := range views {
		it := byItem[v.Issue.ItemID]
		if it == nil {
			name := techs[v.Technology].Singular
			if name == "" {
				name = v.Technology
			}
			it = &AuditItem{ID: v.Issue.ItemID, Technology: name, Region: v.Region, Name: v.ItemName, URL: links.Item(v.Issue.ItemID)}
			byItem[v.Issue.ItemID] = it
		}
		it.Total += v.Issue.Score
		if !v.Issue.Justified {
			it.Unjustified += v.Issue.Score
		}
		if v.Issue.Justified && !includeJustified {
			continue
		}
		it.Issues = append(it.Issues, issueLine(v.Issue))
		r.Issues++
		if v.Issue.Justified {
			r.Justified++
		} else {
			r.Unjustified++
		}
	}
	for _, it := range byItem {
		if len(it.Issues) == 0 {
			continue
		}
		slices.SortStableFunc(it.Issues, func(a, b IssueLine) int {
			return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.Text, b.Text), cmp.Compare(a.Notes, b.Notes))
		})
		r.Items = append(r.Items, *it)
	}
	slices.SortFunc(r.Items, func(a, b AuditItem) int {
		return cmp.Or(cmp.Compare(b.Unjustified, a.Unjustified), cmp.Compare(b.Total, a.Total),
			cmp.Compare(a.Technology, b.Technology), cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
	return r, nil
}

// Summary returns the structured digest of an audit report.
func (r *AuditReport) Summary(top int) Summary {
	s := Summary{Kind: KindAudit, Account: r.Account.Name, Identifier: r.Account.Identifier, OpenIssues: r.Issues,
		URL: r.URL, At: r.At, Technologies: []string{}, TopIssues: []TopIssue{}}
	seen := map[string]bool{}
	for _, it := range r.Items {
		if !seen[it.Technology] {
			seen[it.Technology] = true
			s.Technologies = append(s.Technologies, it.Technology)
		}
		for _, is := range it.Issues {
			s.TopIssues = append(s.TopIssues, TopIssue{Score: is.Score, Issue: is.Text, Technology: it.Technology,
				Item: it.Name, Region: it.Region, URL: it.URL})
		}
	}
	slices.Sort(s.Technologies)
	slices.SortStableFunc(s.TopIssues, func(a, b TopIssue) int { return cmp.Compare(b.Score, a.Score) })
	if len(s.TopIssues) > top {
		s.TopIssues = s.TopIssues[:top]
	}
	return s
}

// AuditRecipients returns the recipients of an audit report: followers of
// the account with daily_audit_email, then the security team, without
// duplicates.
func AuditRecipients(followers []monkey.User, team []string) []string {
	var daily []monkey.User
	for _, u := range followers {
		if u.Active && u.DailyAudit {
			u.ChangeReports = "ALL" // reuse the de-duplication of ChangeRecipients
			daily = append(daily, u)
		}
	}
	return ChangeRecipients(daily, team, false)
}

// DailySubject is the subject of the daily audit report of an account.
func DailySubject(account string) string {
	return fmt.Sprintf("Security Monkey Daily Audit Report - [%s]", account)
}

// AuditorSubject is the reference's subject of an audit report of one
// technology (monkey audit-changes --report).
func AuditorSubject(singular string) string {
	return fmt.Sprintf("Security Monkey %s Auditor Report", singular)
}

// ReportAudit renders an audit report and stores it in the outbox for the
// account's daily-audit followers and the security team, under key. An
// empty report is not sent.
func (s *Service) ReportAudit(ctx context.Context, key string, rep *AuditReport) (int, error) {
	if len(rep.Items) == 0 {
		return 0, nil
	}
	msg, err := s.render.Audit(rep)
	if err != nil {
		return 0, err
	}
	followers, err := s.st.AccountFollowers(ctx, rep.Account.ID)
	if err != nil {
		return 0, fmt.Errorf("audit report %s: %w", rep.Account.Name, err)
	}
	return s.enqueue(ctx, key, msg, AuditRecipients(followers, s.cfg.Team))
}

// AuditReport builds the audit report of one account.
func (s *Service) AuditReport(ctx context.Context, account monkey.Account, technologies []string, subject string) (*AuditReport, error) {
	r, err := BuildAuditReport(ctx, s.st, s.techs, s.links, account, technologies, s.cfg.IncludeJustified, s.cfg.Now().UTC())
	if err != nil {
		return nil, err
	}
	r.Subject = subject
	return r, nil
}

// DailyAudit sends the daily audit reports when they are due: at or after
// the configured time of day in its time zone, once per account and day
// (the day is part of the idempotency key, so schedulers that overlap, or
// one that restarts, never send a day's report twice). It returns the
// notifications stored.
func (s *Service) DailyAudit(ctx context.Context, now time.Time) (int, error) {
	if !s.cfg.Daily.Enabled {
		return 0, nil
	}
	local := now.In(s.cfg.Daily.Location)
	due := time.Date(local.Year(), local.Month(), local.Day(), s.cfg.Daily.Hour, s.cfg.Daily.Minute, 0, 0, s.cfg.Daily.Location)
	if local.Before(due) {
		return 0, nil
	}
	day := local.Format("2006-01-02")
	s.dailyMu.Lock()
	defer s.dailyMu.Unlock()
	if s.dailyDone == day {
		return 0, nil
	}
	accounts, err := s.st.ListAccounts(ctx)
	if err != nil {
		return 0, fmt.Errorf("daily audit report: %w", err)
	}
	stored := 0
	for _, a := range accounts {
		if !a.Active || a.ThirdParty {
			continue
		}
		rep, err := s.AuditReport(ctx, a, nil, DailySubject(a.Name))
		if err != nil {
			return stored, err
		}
		n, err := s.ReportAudit(ctx, fmt.Sprintf("%s/daily/%s/%s", KindAudit, a.Name, day), rep)
		if err != nil {
			return stored, err
		}
		stored += n
	}
	s.dailyDone = day
	if stored > 0 {
		s.log.Info("daily audit reports queued", "day", day, "notifications", stored)
	}
	return stored, nil
}
