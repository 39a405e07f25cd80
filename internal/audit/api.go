// Package audit runs security checks over stored item configurations. It is
// pure: no cloud SDK, no database. The pipeline loads items and context from
// the store, calls the auditors, then reconciles findings with stored issues.
package audit

import (
	"sync"
	"time"

	"github.com/secmonkey/monkey/internal/monkey"
)

// Item is what a check sees: one stored item with its account.
type Item struct {
	ID         int64
	Account    monkey.Account // owning account (Identifier = account number)
	Technology string
	Region     string
	Name       string
	ARN        string
	Config     monkey.Config
	// Issues are the stored issues of the item; set on support items
	// (auditors.md §2.11), which link to them.
	Issues []monkey.Issue
}

// Finding is an issue produced by one audit run on one item, after notes
// truncation, score override and de-duplication (auditors.md §2.2).
type Finding struct {
	Score              int
	Text               string
	Notes              *string
	ActionInstructions *string
	LinkedItemIDs      []int64
}

// Key is the issue identity of a finding of auditor class (auditors.md §2.8).
func (f Finding) Key(class string) string {
	return monkey.IssueKey(class, f.Text, f.Notes, f.Score)
}

// CheckInfo describes one check of an auditor.
type CheckInfo struct {
	ID     string // "<tech>.<method without check_>", e.g. "s3.acl_unknown"
	Method string // "check_acl_unknown"
	Class  string // auditor class, e.g. "S3Auditor"
}

// OverrideKey is "check_x (AuditorClass)", as stored in AuditScore.Method.
func (c CheckInfo) OverrideKey() string { return c.Method + " (" + c.Class + ")" }

// ContextInput is the account context in its portable form; it is also the
// JSON accepted by `monkey audit-file --context` (every field optional).
type ContextInput struct {
	AccountNumber      string                 `json:"account_number"`
	AccountName        string                 `json:"account_name"`
	FriendlyAccounts   []AccountRef           `json:"friendly_accounts"`
	ThirdPartyAccounts []AccountRef           `json:"thirdparty_accounts"`
	NetworkWhitelist   []WhitelistRef         `json:"network_whitelist"`
	KnownResources     []monkey.KnownResource `json:"known_resources"`
	Settings           map[string]string      `json:"settings"`
	Now                *time.Time             `json:"now"`
	// SupportItems are supporting items of the audited account by
	// technology index, with their stored issues: what the listener-linked
	// checks read (auditors.md §2.11), e.g. {"securitygroup": […]}.
	SupportItems map[string][]SupportItemInput `json:"support_items"`
}

// SupportItemInput is one supporting item of the context: an audited item
// of a support technology with its stored (open) issues.
type SupportItemInput struct {
	Name   string        `json:"name"`
	Region string        `json:"region"`
	ARN    string        `json:"arn"`
	Config monkey.Config `json:"config"`
	Issues []IssueInput  `json:"issues"`
}

// IssueInput is a stored issue of a supporting item.
type IssueInput struct {
	Issue string  `json:"issue"`
	Score int     `json:"score"`
	Notes *string `json:"notes"`
}

// AccountRef names an account of the context.
type AccountRef struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	S3Name      string `json:"s3_name,omitempty"`
	CanonicalID string `json:"canonical_id,omitempty"`
}

// WhitelistRef is one network-whitelist entry of the context.
type WhitelistRef struct {
	Name string `json:"name"`
	CIDR string `json:"cidr"`
}

// Env is everything an audit of one technology in one account needs besides
// the items themselves.
type Env struct {
	Context *Context
	// Scores are the score overrides and disabled checks (auditors.md §2.7).
	Scores []monkey.AuditScore
	// Support holds, per support technology, the active items of the same
	// account with their stored issues.
	Support map[string][]Item
	// Only restricts the checks run to these ids (nil: all checks).
	Only map[string]bool

	mu      sync.Mutex
	byField map[[2]string]map[string][]int
}

// SupportByField returns the positions in Support[tech] of the items whose
// top-level config field is each string value, built once per Env: an
// auditor that looks support items up by id (a load balancer's security
// groups among 20,000) reads a map, not every item per audited item.
func (e *Env) SupportByField(tech, field string) map[string][]int {
	e.mu.Lock()
	defer e.mu.Unlock()
	k := [2]string{tech, field}
	if idx, ok := e.byField[k]; ok {
		return idx
	}
	idx := map[string][]int{}
	for i, it := range e.Support[tech] {
		if v := GetStr(map[string]any(it.Config), field); v != "" {
			idx[v] = append(idx[v], i)
		}
	}
	if e.byField == nil {
		e.byField = map[[2]string]map[string][]int{}
	}
	e.byField[k] = idx
	return idx
}

// Auditor is the set of checks of one technology.
type Auditor interface {
	Technology() string
	// Class is the reference auditor class name, e.g. "S3Auditor"; it is
	// part of issue identity and override keys.
	Class() string
	Checks() []CheckInfo
	// Support lists the technologies whose audited items (with their stored
	// issues) this auditor reads (auditors.md §2.1); nil when none.
	Support() []string
	// TimeDependent reports whether results depend on Env.Context's clock
	// (key age, certificate expiry): such items are re-audited on every run
	// even when nothing else changed.
	TimeDependent() bool
	// Audit runs every enabled check on item and returns its findings.
	Audit(item Item, env *Env) []Finding
}

// SupportReader is implemented by auditors that declare which top-level
// config fields of their support items they read (Checker.ReadsSupport):
// declared is false when the auditor may read any field.
type SupportReader interface {
	SupportFields(tech string) (fields []string, declared bool)
}

// Reconciliation is what must change in the store so that an item's stored
// issues of one auditor class match the findings of a run (auditors.md §2.8).
type Reconciliation struct {
	Create []Finding // new keys
	Fix    []int64   // stored issue ids to mark fixed
	Reopen []int64   // stored issue ids to mark unfixed (regressions)
	// Links sets the linked items of stored issues that are kept or reopened,
	// when they differ from what is stored.
	Links map[int64][]int64
}

// Empty reports whether nothing needs to be written.
func (r Reconciliation) Empty() bool {
	return len(r.Create) == 0 && len(r.Fix) == 0 && len(r.Reopen) == 0 && len(r.Links) == 0
}
