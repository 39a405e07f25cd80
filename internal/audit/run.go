package audit

import (
	"sort"
	"strings"

	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/policy"
)

// MaxNotes is the notes length limit in characters (Unicode code points, as
// the reference's Python str slicing counts them, not bytes).
const MaxNotes = 1024

// maxLinkedScore caps the scores of linked issues (§2.13).
const maxLinkedScore = 999999

// Check is one check of an auditor: Method is the reference method name
// ("check_x"), Run adds issues through the Run.
type Check struct {
	Method string
	Run    func(r *Run)
}

// Checker implements Auditor over a list of checks. Tech auditors embed it.
type Checker struct {
	tech, class   string
	support       []string
	supportFields map[string][]string // ReadsSupport
	timeDep       bool
	checks        []Check
	infos         []CheckInfo
}

// NewChecker builds an auditor of technology tech with reference class
// class from its checks.
func NewChecker(tech, class string, support []string, timeDependent bool, checks ...Check) *Checker {
	c := &Checker{tech: tech, class: class, support: support, timeDep: timeDependent, checks: checks}
	for _, ch := range checks {
		c.infos = append(c.infos, CheckInfo{
			ID:     tech + "." + strings.TrimPrefix(ch.Method, "check_"),
			Method: ch.Method,
			Class:  class,
		})
	}
	return c
}

// Technology implements Auditor.
func (c *Checker) Technology() string { return c.tech }

// Class implements Auditor.
func (c *Checker) Class() string { return c.class }

// Checks implements Auditor (a copy, in declaration order).
func (c *Checker) Checks() []CheckInfo { return append([]CheckInfo(nil), c.infos...) }

// Support implements Auditor.
func (c *Checker) Support() []string { return c.support }

// ReadsSupport declares that the checks read only the given top-level
// config fields of the support items of tech (none: only their identity and
// issues), and returns c. The pipeline then keeps just those fields of the
// support configs it holds while dependents are audited (decision 125);
// without it an auditor is given every field.
func (c *Checker) ReadsSupport(tech string, fields ...string) *Checker {
	if c.supportFields == nil {
		c.supportFields = map[string][]string{}
	}
	c.supportFields[tech] = append([]string{}, fields...)
	return c
}

// SupportFields implements SupportReader.
func (c *Checker) SupportFields(tech string) ([]string, bool) {
	f, ok := c.supportFields[tech]
	return f, ok
}

// TimeDependent implements Auditor.
func (c *Checker) TimeDependent() bool { return c.timeDep }

// Audit implements Auditor: runs every enabled check (Env.Only permitting)
// and returns the de-duplicated findings in creation order.
func (c *Checker) Audit(item Item, env *Env) []Finding {
	if env == nil {
		env = &Env{}
	}
	ctx := env.Context
	if ctx == nil {
		ctx, _ = ContextFromData(nil, nil, nil, timeZero)
	}
	r := &Run{Item: item, Env: env, Ctx: ctx, tech: c.tech}
	for i, ch := range c.checks {
		info := c.infos[i]
		if env.Only != nil && !env.Only[info.ID] {
			continue
		}
		ov := findOverride(env.Scores, c.tech, info.OverrideKey())
		if ov != nil && ov.Disabled {
			continue
		}
		r.check, r.override = info, ov
		ch.Run(r)
	}
	return r.findings
}

func findOverride(scores []monkey.AuditScore, tech, key string) *monkey.AuditScore {
	for i := range scores {
		if scores[i].Technology == tech && scores[i].Method == key {
			return &scores[i]
		}
	}
	return nil
}

// Run is the state of one auditor on one item: the findings so far and the
// check currently running (whose override applies to every issue added).
type Run struct {
	Item Item
	Env  *Env
	Ctx  *Context

	tech     string
	check    CheckInfo
	override *monkey.AuditScore
	findings []Finding
	index    map[findingKey]int
	docs     map[string][]policy.Document // parsed policies per policy key
}

type findingKey struct {
	text  string
	score int
	null  bool
	notes string
}

// Check is the check currently running.
func (r *Run) Check() CheckInfo { return r.check }

// Findings returns the findings so far.
func (r *Run) Findings() []Finding { return r.findings }

// overrideScore applies §2.7 to score.
func (r *Run) overrideScore(score int) int {
	ov := r.override
	if ov == nil {
		return score
	}
	for _, p := range ov.Patterns {
		if v, ok := accountField(r.Item.Account, p.AccountField); ok && v == p.AccountPattern {
			return p.Score
		}
	}
	return ov.Score
}

// accountField resolves an account attribute (when it exists and is
// truthy) or else the custom field of that name.
func accountField(a monkey.Account, field string) (string, bool) {
	switch field {
	case "name":
		if a.Name != "" {
			return a.Name, true
		}
	case "identifier":
		if a.Identifier != "" {
			return a.Identifier, true
		}
	case "notes":
		if a.Notes != "" {
			return a.Notes, true
		}
	case "type", "account_type":
		if a.Type != "" {
			return a.Type, true
		}
	case "active":
		if a.Active {
			return "", false // a Python True never equals a string pattern
		}
	case "third_party":
		if a.ThirdParty {
			return "", false
		}
	}
	v, ok := a.Custom[field]
	return v, ok
}

// AddIssue is add_issue (§2.2): truncate notes, apply the override of the
// running check, de-duplicate. It returns the index of the finding.
func (r *Run) AddIssue(score int, text string, notes, actionInstructions *string) int {
	if notes != nil && len(*notes) > MaxNotes {
		t := truncate(*notes, MaxNotes)
		notes = &t
	}
	score = r.overrideScore(score)
	k := findingKey{text: text, score: score, null: notes == nil}
	if notes != nil {
		k.notes = *notes
	}
	if r.index == nil {
		// Few findings: a linear scan is cheaper than a map.
		for i, f := range r.findings {
			if f.Text == text && f.Score == score && (f.Notes == nil) == k.null && (k.null || *f.Notes == k.notes) {
				return i
			}
		}
	} else if i, ok := r.index[k]; ok {
		return i
	}
	r.findings = append(r.findings, Finding{Score: score, Text: text, Notes: notes, ActionInstructions: actionInstructions})
	switch n := len(r.findings); {
	case r.index != nil:
		r.index[k] = n - 1
	case n > 16:
		r.index = make(map[findingKey]int, 2*n)
		for i := len(r.findings) - 1; i >= 0; i-- {
			r.index[keyOf(r.findings[i])] = i
		}
	}
	return len(r.findings) - 1
}

func keyOf(f Finding) findingKey {
	k := findingKey{text: f.Text, score: f.Score, null: f.Notes == nil}
	if f.Notes != nil {
		k.notes = *f.Notes
	}
	return k
}

// rekey updates the de-duplication index after a finding's score changed
// (linking with an existing issue, §2.13).
func (r *Run) rekey(idx, oldScore int) {
	if r.index == nil {
		return
	}
	k := keyOf(r.findings[idx])
	k.score = oldScore
	if i, ok := r.index[k]; ok && i == idx {
		delete(r.index, k)
	}
	k.score = r.findings[idx].Score
	if _, ok := r.index[k]; !ok {
		r.index[k] = idx
	}
}

// Str returns a pointer to s (for notes).
func Str(s string) *string { return &s }

// Recorders (§2.6). notes is the full notes string built by the caller.

// RecordInternetAccess records Internet Accessible with the
// resource-policy action instructions for singular (e.g. "S3 Bucket").
func (r *Run) RecordInternetAccess(score int, notes, singular string) int {
	ai := "An " + singular + " with { 'Principal': { 'AWS': '*' } } must also have a strong condition block or it is Internet Accessible. "
	return r.AddIssue(score, "Internet Accessible", &notes, &ai)
}

// RecordFriendly records Friendly Cross Account (score 0).
func (r *Run) RecordFriendly(notes string) int {
	return r.AddIssue(0, "Friendly Cross Account", &notes, nil)
}

// RecordThirdParty records Thirdparty Cross Account (score 0).
func (r *Run) RecordThirdParty(notes string) int {
	return r.AddIssue(0, "Thirdparty Cross Account", &notes, nil)
}

// RecordUnknown records Unknown Access (score 10).
func (r *Run) RecordUnknown(notes string) int {
	return r.AddIssue(10, "Unknown Access", &notes, nil)
}

// RecordCrossAccountRoot records Cross-Account Root IAM (score 6).
func (r *Run) RecordCrossAccountRoot(notes string) int {
	return r.AddIssue(6, "Cross-Account Root IAM", &notes, nil)
}

// PolicyNotes is the resource-policy notes template.
func PolicyNotes(e Entity, actions []string) string {
	return e.String() + " Actions: " + PyList(actions)
}

// AccessNotes is the security-group notes template.
func AccessNotes(e Entity, access string) string {
	return e.String() + " Access: [" + access + "]"
}

func (r *Run) link(idx int, sub int64) {
	f := &r.findings[idx]
	for _, id := range f.LinkedItemIDs {
		if id == sub {
			return
		}
	}
	f.LinkedItemIDs = append(f.LinkedItemIDs, sub)
}

// LinkSupportItemIssues is link_to_support_item_issues (§2.13). subText and
// text may be empty (null); issue is the index of an existing finding or -1;
// it returns the index of the finding linked (or -1).
func (r *Run) LinkSupportItemIssues(sub Item, subText, text string, issue, score int) int {
	for _, m := range sub.Issues {
		if m.Fixed || (subText != "" && m.Text != subText) {
			continue
		}
		if issue < 0 {
			s := m.Score
			if score != 0 {
				s = score
			}
			t := text
			if t == "" {
				t = subText
			}
			if t == "" {
				t = "UNDEFINED"
			}
			issue = r.AddIssue(min(s, maxLinkedScore), t, nil, nil)
		} else {
			f := &r.findings[issue]
			old := f.Score
			if score != 0 {
				f.Score = score
			} else {
				f.Score += m.Score
			}
			f.Score = min(f.Score, maxLinkedScore)
			r.rekey(issue, old)
		}
		r.link(issue, sub.ID)
	}
	return issue
}

// LinkSupportItem is link_to_support_item (§2.13).
func (r *Run) LinkSupportItem(score int, text string, sub Item, issue int) int {
	if issue < 0 {
		issue = r.AddIssue(score, text, nil, nil)
	}
	r.link(issue, sub.ID)
	return issue
}

// SortFindings orders findings deterministically: text, notes (null
// first), score.
func SortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Text != b.Text {
			return a.Text < b.Text
		}
		an, bn := a.Notes != nil, b.Notes != nil
		if an != bn {
			return !an
		}
		if an && *a.Notes != *b.Notes {
			return *a.Notes < *b.Notes
		}
		return a.Score < b.Score
	})
}
