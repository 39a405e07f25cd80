package pipeline

import (
	"cmp"
	"slices"
	"sync"
	"time"

	"github.com/secmonkey/monkey/internal/monkey"
)

// Change kinds of an ItemChange.
const (
	ChangeNew     = "new"
	ChangeChanged = "changed"
	ChangeDeleted = "deleted"
)

// ItemChange is one item a scan created, changed durably or deleted, with
// the issues the audit of the same scan opened (created or reopened) and
// fixed on it.
type ItemChange struct {
	Technology string
	Region     string
	Name       string
	// ItemID is 0 for a new item of a technology without auditors (the
	// consumer finds it by location).
	ItemID      int64
	Kind        string // ChangeNew, ChangeChanged, ChangeDeleted
	NewIssues   []monkey.Issue
	FixedIssues []monkey.Issue
}

// ChangeCount counts the changed items of one technology.
type ChangeCount struct {
	New, Changed, Deleted int
}

// Changes is what one scan changed in one account: the input of change
// reports. Items holds at most Options.ChangeDetail items (the first ones
// in technology, kind, region, name order of detection); Counts are exact.
type Changes struct {
	Account   monkey.Account
	ScannedAt time.Time
	Items     []ItemChange
	Counts    map[string]ChangeCount // by technology
}

// Total returns the number of changed items.
func (c *Changes) Total() int {
	n := 0
	for _, k := range c.Counts {
		n += k.New + k.Changed + k.Deleted
	}
	return n
}

// changeLog records the changes of a scan, per account, as detection and
// audit find them. It is safe for concurrent use; a nil *changeLog records
// nothing.
type changeLog struct {
	mu     sync.Mutex
	limit  int
	now    time.Time
	byAcct map[int64]*Changes
	index  map[changeKey]int // position in its account's Items
}

type changeKey struct {
	account          int64
	tech, region, nm string
}

func newChangeLog(limit int, now time.Time) *changeLog {
	return &changeLog{limit: limit, now: now, byAcct: map[int64]*Changes{}, index: map[changeKey]int{}}
}

func (l *changeLog) changesOf(account monkey.Account) *Changes {
	c := l.byAcct[account.ID]
	if c == nil {
		c = &Changes{Account: account, ScannedAt: l.now, Counts: map[string]ChangeCount{}}
		l.byAcct[account.ID] = c
	}
	return c
}

// item records one changed item.
func (l *changeLog) item(account monkey.Account, tech, kind, region, name string, itemID int64) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	c := l.changesOf(account)
	n := c.Counts[tech]
	switch kind {
	case ChangeNew:
		n.New++
	case ChangeChanged:
		n.Changed++
	case ChangeDeleted:
		n.Deleted++
	}
	c.Counts[tech] = n
	if len(c.Items) >= l.limit {
		return
	}
	l.index[changeKey{account.ID, tech, region, name}] = len(c.Items)
	c.Items = append(c.Items, ItemChange{Technology: tech, Region: region, Name: name, ItemID: itemID, Kind: kind})
}

// issues records the issue changes the audit made on a recorded item
// (others are ignored: a change report shows the changed items only).
func (l *changeLog) issues(account monkey.Account, tech string, it monkey.StoredItem, opened, fixed []monkey.Issue) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	i, ok := l.index[changeKey{account.ID, tech, it.Region, it.Name}]
	if !ok {
		return
	}
	ch := &l.byAcct[account.ID].Items[i]
	ch.ItemID = it.ID
	ch.NewIssues = append(ch.NewIssues, opened...)
	ch.FixedIssues = append(ch.FixedIssues, fixed...)
}

// of returns the changes of one account (nil when nothing changed).
func (l *changeLog) of(accountID int64) *Changes {
	if l == nil {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	c := l.byAcct[accountID]
	if c == nil {
		return nil
	}
	sortChanges(c)
	return c
}

// all returns the changes of every account that changed, by account id.
func (l *changeLog) all() []*Changes {
	if l == nil {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]*Changes, 0, len(l.byAcct))
	for _, c := range l.byAcct {
		sortChanges(c)
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b *Changes) int { return cmp.Compare(a.Account.ID, b.Account.ID) })
	return out
}

var kindOrder = map[string]int{ChangeNew: 0, ChangeChanged: 1, ChangeDeleted: 2}

func sortChanges(c *Changes) {
	slices.SortFunc(c.Items, func(a, b ItemChange) int {
		return cmp.Or(cmp.Compare(a.Technology, b.Technology), cmp.Compare(kindOrder[a.Kind], kindOrder[b.Kind]),
			cmp.Compare(a.Region, b.Region), cmp.Compare(a.Name, b.Name))
	})
}

// issueChanges returns the issues a reconciliation opens and fixes on an
// item with stored issues stored.
func issueChanges(itemID int64, class string, stored []monkey.Issue, create []monkey.Issue, fix, reopen []int64) (opened, fixed []monkey.Issue) {
	opened = append(opened, create...)
	for _, s := range stored {
		if slices.Contains(reopen, s.ID) {
			s.Fixed = false
			opened = append(opened, s)
		}
		if slices.Contains(fix, s.ID) {
			s.Fixed = true
			fixed = append(fixed, s)
		}
	}
	for i := range opened {
		opened[i].ItemID = itemID
		if opened[i].AuditorClass == "" {
			opened[i].AuditorClass = class
		}
	}
	return opened, fixed
}
