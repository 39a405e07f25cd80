package notify

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/pipeline"
)

// ChangeReport is the content of one change report: what one scan
// changed in one account.
type ChangeReport struct {
	Account      monkey.Account
	ScannedAt    time.Time
	Technologies []TechChanges
	New          int
	Changed      int
	Deleted      int
	Shown        int // items detailed
	NewIssues    int
	FixedIssues  int
	// Issue flags of the subject (over the detailed items).
	HasNewIssue    bool
	HasIssues      bool
	HasUnjustified bool
	URL            string // the account's items in the UI
}

// TechChanges is the part of a report about one technology.
type TechChanges struct {
	Index    string
	Singular string
	Plural   string
	New      []ReportItem
	Changed  []ReportItem
	Deleted  []ReportItem
	// Counts are exact; the lists may be shorter (Config.MaxItems).
	NewCount, ChangedCount, DeletedCount int
	URL                                  string // the technology's items of the account in the UI
}

// Hidden returns how many changed items of the technology the report
// does not detail.
func (t TechChanges) Hidden() int {
	return t.NewCount + t.ChangedCount + t.DeletedCount - len(t.New) - len(t.Changed) - len(t.Deleted)
}

// ReportItem is one changed item of a report.
type ReportItem struct {
	ID       int64
	Change   string // new, changed, deleted
	Region   string
	Name     string
	ARN      string
	URL      string
	New      []IssueLine // opened by the scan
	Fixed    []IssueLine // fixed by the scan
	Existing []IssueLine // open before the scan and still open
	Diff     []DiffLine
}

// IssueLine is one issue of a report.
type IssueLine struct {
	Score         int
	Text          string
	Notes         string
	Justified     bool
	Justification string
}

// ReportStore is what reports need from the database.
type ReportStore interface {
	Item(ctx context.Context, id int64) (monkey.StoredItem, error)
	ItemByName(ctx context.Context, accountID int64, technology, region, name string) (monkey.StoredItem, error)
	LatestRevisions(ctx context.Context, itemID int64, n int) ([]monkey.Revision, error)
	AccountFollowers(ctx context.Context, accountID int64) ([]monkey.User, error)
}

// BuildChangeReport loads what a report shows about the changes of one
// scan: every changed item's current issues and configuration diff, for the
// first maxItems items.
func BuildChangeReport(ctx context.Context, st ReportStore, techs map[string]monkey.Technology, links Links,
	ch *pipeline.Changes, maxItems int) (*ChangeReport, error) {
	r := &ChangeReport{Account: ch.Account, ScannedAt: ch.ScannedAt, URL: links.Items(ch.Account.Name, "")}
	byTech := map[string]*TechChanges{}
	for idx, n := range ch.Counts {
		t := techs[idx]
		if t.Index == "" {
			t = monkey.Technology{Index: idx, Singular: idx, Plural: idx}
		}
		byTech[idx] = &TechChanges{Index: idx, Singular: t.Singular, Plural: t.Plural,
			NewCount: n.New, ChangedCount: n.Changed, DeletedCount: n.Deleted, URL: links.Items(ch.Account.Name, idx)}
		r.New += n.New
		r.Changed += n.Changed
		r.Deleted += n.Deleted
	}
	for _, c := range ch.Items {
		if r.Shown >= maxItems {
			break
		}
		it, err := reportItem(ctx, st, ch.Account, c, links)
		if err != nil {
			return nil, err
		}
		r.Shown++
		r.NewIssues += len(it.New)
		r.FixedIssues += len(it.Fixed)
		r.HasNewIssue = r.HasNewIssue || len(it.New) > 0
		for _, is := range append(slices.Clone(it.New), it.Existing...) {
			r.HasIssues = true
			r.HasUnjustified = r.HasUnjustified || !is.Justified
		}
		tc := byTech[c.Technology]
		if tc == nil { // a detailed item always has a count; be safe
			tc = &TechChanges{Index: c.Technology, Singular: c.Technology, Plural: c.Technology}
			byTech[c.Technology] = tc
		}
		switch c.Kind {
		case pipeline.ChangeNew:
			tc.New = append(tc.New, it)
		case pipeline.ChangeChanged:
			tc.Changed = append(tc.Changed, it)
		default:
			tc.Deleted = append(tc.Deleted, it)
		}
	}
	for _, tc := range byTech {
		r.Technologies = append(r.Technologies, *tc)
	}
	slices.SortFunc(r.Technologies, func(a, b TechChanges) int { return cmp.Compare(a.Plural, b.Plural) })
	return r, nil
}

func reportItem(ctx context.Context, st ReportStore, account monkey.Account, c pipeline.ItemChange, links Links) (ReportItem, error) {
	var it monkey.StoredItem
	var err error
	if c.ItemID != 0 {
		it, err = st.Item(ctx, c.ItemID)
	} else {
		it, err = st.ItemByName(ctx, account.ID, c.Technology, c.Region, c.Name)
	}
	if err != nil {
		return ReportItem{}, fmt.Errorf("change report %s: item %s/%s/%s: %w", account.Name, c.Technology, c.Region, c.Name, err)
	}
	ri := ReportItem{ID: it.ID, Change: c.Kind, Region: c.Region, Name: c.Name, ARN: it.ARN, URL: links.Item(it.ID)}
	opened := map[string]bool{}
	for _, is := range c.NewIssues {
		opened[is.Key()] = true
		ri.New = append(ri.New, issueLine(is))
	}
	for _, is := range c.FixedIssues {
		ri.Fixed = append(ri.Fixed, issueLine(is))
	}
	for _, is := range it.Issues {
		if is.Fixed || is.Disabled || opened[is.Key()] {
			continue
		}
		ri.Existing = append(ri.Existing, issueLine(is))
	}
	for _, l := range [][]IssueLine{ri.New, ri.Fixed, ri.Existing} {
		slices.SortStableFunc(l, func(a, b IssueLine) int { return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.Text, b.Text)) })
	}
	revs, err := st.LatestRevisions(ctx, it.ID, 2)
	if err != nil {
		return ReportItem{}, fmt.Errorf("change report %s: %w", account.Name, err)
	}
	var before, after []byte
	switch {
	case c.Kind == pipeline.ChangeNew && len(revs) > 0:
		after = revs[0].Config
	case c.Kind == pipeline.ChangeDeleted && len(revs) > 1:
		before = revs[1].Config
	case len(revs) > 1:
		before, after = revs[1].Config, revs[0].Config
	case len(revs) == 1:
		after = revs[0].Config
	}
	ri.Diff = ConfigDiff(before, after)
	return ri, nil
}

func issueLine(is monkey.Issue) IssueLine {
	l := IssueLine{Score: is.Score, Text: is.Text, Justified: is.Justified, Justification: is.Justification}
	if is.Notes != nil {
		l.Notes = *is.Notes
	}
	return l
}

// Subject returns the reference's subject of a change report.
func (r *ChangeReport) Subject() string {
	techs := make([]string, len(r.Technologies))
	for i, t := range r.Technologies {
		techs[i] = t.Plural
	}
	what := strings.Join(techs, ", ")
	switch {
	case r.HasNewIssue:
		return fmt.Sprintf("NEW ISSUE - [%s] Changes in %s", r.Account.Name, what)
	case r.HasIssues && r.HasUnjustified:
		return fmt.Sprintf("[%s] Changes w/existing issues in %s", r.Account.Name, what)
	case r.HasIssues:
		return fmt.Sprintf("[%s] Changes w/justified issues in %s", r.Account.Name, what)
	default:
		return fmt.Sprintf("[%s] Changes in %s", r.Account.Name, what)
	}
}

// Total returns the number of changed items.
func (r *ChangeReport) Total() int { return r.New + r.Changed + r.Deleted }

// Hidden returns the number of changed items the report does not detail.
func (r *ChangeReport) Hidden() int { return r.Total() - r.Shown }

// Summary returns the structured digest of the report.
func (r *ChangeReport) Summary(top int) Summary {
	s := Summary{Kind: KindChange, Account: r.Account.Name, Identifier: r.Account.Identifier, New: r.New,
		Changed: r.Changed, Deleted: r.Deleted, NewIssues: r.NewIssues, FixedIssues: r.FixedIssues, URL: r.URL,
		At: r.ScannedAt, TopIssues: []TopIssue{}}
	for _, t := range r.Technologies {
		s.Technologies = append(s.Technologies, t.Plural)
		for _, l := range [][]ReportItem{t.New, t.Changed, t.Deleted} {
			for _, it := range l {
				s.Items = append(s.Items, ItemBrief{Change: it.Change, Technology: t.Singular, Region: it.Region, Name: it.Name, URL: it.URL})
				for _, is := range append(slices.Clone(it.New), it.Existing...) {
					s.OpenIssues++
					s.TopIssues = append(s.TopIssues, TopIssue{Score: is.Score, Issue: is.Text, Technology: t.Singular,
						Item: it.Name, Region: it.Region, URL: it.URL})
				}
			}
		}
	}
	slices.SortStableFunc(s.TopIssues, func(a, b TopIssue) int { return cmp.Compare(b.Score, a.Score) })
	if len(s.TopIssues) > top {
		s.TopIssues = s.TopIssues[:top]
	}
	return s
}

// Fingerprint identifies the content of a report (the changed items and
// the issue changes): two deliveries of one scan result have the same.
func (r *ChangeReport) Fingerprint() string {
	h := sha256.New()
	fmt.Fprintf(h, "%s|%d|%d|%d", r.Account.Name, r.New, r.Changed, r.Deleted)
	for _, t := range r.Technologies {
		for _, l := range [][]ReportItem{t.New, t.Changed, t.Deleted} {
			for _, it := range l {
				fmt.Fprintf(h, "|%s:%d:%s:%d:%d", t.Index, it.ID, it.Change, len(it.New), len(it.Fixed))
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// Recipients returns the e-mail recipients of a change report: the
// account's followers whose change_reports is ALL, or ISSUES when a changed
// item has issues, and the security team; in order, without duplicates.
func ChangeRecipients(followers []monkey.User, team []string, hasIssues bool) []string {
	var out []string
	seen := map[string]bool{}
	add := func(a string) {
		a = strings.TrimSpace(a)
		if a == "" || seen[strings.ToLower(a)] {
			return
		}
		seen[strings.ToLower(a)] = true
		out = append(out, a)
	}
	for _, u := range followers {
		if !u.Active {
			continue
		}
		if u.ChangeReports == "ALL" || (u.ChangeReports == "ISSUES" && hasIssues) {
			add(u.Email)
		}
	}
	for _, a := range team {
		add(a)
	}
	return out
}
