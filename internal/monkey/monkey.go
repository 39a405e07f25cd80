// Package monkey holds the domain types shared by every part of Security
// Monkey: accounts, technologies, items, revisions and issues. It imports
// nothing but the standard library.
package monkey

import (
	"encoding/json"
	"time"
)

// Config is an item configuration in its stored shape (technologies.md): a
// JSON object decoded into generic Go values (map[string]any, []any, string,
// json.Number or float64/int, bool, nil).
type Config = map[string]any

// Account custom field names (spec/config.md §1).
const (
	FieldRoleName    = "role_name"
	FieldExternalID  = "external_id"
	FieldS3Name      = "s3_name"
	FieldCanonicalID = "canonical_id"
)

// DefaultRoleName is the role assumed in watched AWS accounts when the account
// has no role_name custom field.
const DefaultRoleName = "SecurityMonkey"

// Account is a watched (or known third-party) cloud account.
type Account struct {
	ID         int64
	Type       string // "AWS", "GCP", "OpenStack", "GitHub"
	Identifier string // AWS: 12-digit account number
	Name       string
	Active     bool
	ThirdParty bool
	Notes      string
	Custom     map[string]string // role_name, external_id, s3_name, canonical_id, ...
}

// RoleName is the role to assume in the account.
func (a Account) RoleName() string {
	if r := a.Custom[FieldRoleName]; r != "" {
		return r
	}
	return DefaultRoleName
}

// Item is one resource as collected by a watcher, before it is stored.
type Item struct {
	Technology string
	Region     string // AWS region or "universal"
	Name       string
	ARN        string // optional
	Config     Config
}

// StoredItem is an item as kept in the database with its latest revision.
type StoredItem struct {
	ID           int64
	AccountID    int64
	AccountName  string
	Technology   string
	Region       string
	Name         string
	ARN          string
	Active       bool            // latest revision active
	RevisionID   int64           // latest revision
	Config       json.RawMessage // latest revision config (canonical JSON)
	CompleteHash string
	DurableHash  string
	Issues       []Issue // filled only where documented
}

// Revision is one stored version of an item's configuration.
type Revision struct {
	ID                      int64
	ItemID                  int64
	Active                  bool
	Config                  json.RawMessage
	CreatedAt               time.Time
	DateLastEphemeralChange *time.Time
}

// Issue is one audit finding on one item (auditors.md §1, §2.8).
type Issue struct {
	ID                 int64
	ItemID             int64
	AuditorClass       string // class of the auditor that produced it ("" = unknown)
	Score              int
	Text               string  // the issue text, e.g. "Internet Accessible"
	Notes              *string // nil = null
	ActionInstructions *string
	Fixed              bool
	Justified          bool
	JustifiedUser      string
	Justification      string
	JustifiedDate      *time.Time
	LinkedItemIDs      []int64 // supporting items (item_links)
	Disabled           bool    // the auditor-settings row of the issue is disabled
}

// Key is the stable identity of an issue (auditors.md §2.8).
func (i Issue) Key() string { return IssueKey(i.AuditorClass, i.Text, i.Notes, i.Score) }

// IssueKey builds "<class> -- <text> -- <notes|None> -- <score> -- None".
func IssueKey(class, text string, notes *string, score int) string {
	n := "None"
	if notes != nil {
		n = *notes
	}
	return class + " -- " + text + " -- " + n + " -- " + itoa(score) + " -- None"
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}

// Technology describes one watched resource type (technologies.md §0.8).
type Technology struct {
	Index    string // stable id stored in the database, e.g. "securitygroup"
	Singular string // "Security Group" (CloudWatch tech dimension, reports)
	Plural   string
	Cloud    string // account type: "AWS"
	// Global technologies are collected once per account and stored in
	// region "universal".
	Global bool
	// EphemeralPaths are $-separated globs whose changes are not durable.
	EphemeralPaths []string
	// ARNDeletion stores a deleted item's last revision as {"Arn": <arn>}
	// instead of {} (the reference's batched technologies, technologies.md
	// §0.2 and §0.7).
	ARNDeletion bool
}

// Account types (Account.Type, Technology.Cloud).
const (
	CloudAWS       = "AWS"
	CloudGCP       = "GCP"
	CloudOpenStack = "OpenStack"
	CloudGitHub    = "GitHub"
)

// AuditScore is a score override of one check (ItemAuditScore, auditors.md
// §2.7). Method is the override key "check_x (AuditorClass)".
type AuditScore struct {
	ID         int64
	Technology string
	Method     string
	Score      int
	Disabled   bool
	Patterns   []AccountPatternScore // in stored order
}

// AccountPatternScore overrides a score for accounts whose field matches.
type AccountPatternScore struct {
	ID             int64
	AccountType    string
	AccountField   string
	AccountPattern string
	Score          int
}

// NetworkWhitelist is a named trusted CIDR.
type NetworkWhitelist struct {
	ID    int64
	Name  string
	CIDR  string
	Notes string
}

// IgnoreEntry skips items whose name starts with Prefix (case-insensitive).
type IgnoreEntry struct {
	ID         int64
	Technology string
	Prefix     string
	Notes      string
}

// KnownResource is a fact about an account drawn from stored items, used by
// the auditors to classify entities (auditors.md §2.3). Kind is one of
// "s3_bucket", "userid", "vpc", "vpce", "cidr".
type KnownResource struct {
	Account string // account identifier
	Kind    string
	Value   string
}

// WatcherConfig is the schedule of one technology.
type WatcherConfig struct {
	ID       int64
	Index    string
	Interval int // minutes; 0 = not scheduled
	Active   bool
}

// Exception is one logged collection or audit failure (ExceptionLogs).
type Exception struct {
	ID         int64
	Source     string // "watcher", "auditor", "scheduler", ...
	Occurred   time.Time
	TTL        time.Time // expiry; purged afterwards
	Type       string    // error class, e.g. "AccessDenied"
	Message    string
	Stacktrace string
	Technology string
	Account    string // account name
	Region     string
	ItemName   string
}

// User is a person who can sign in.
type User struct {
	ID            int64
	Email         string
	Active        bool
	Role          string // View, Comment, Justify, Admin
	PasswordHash  string // "" = no local password (SSO, header auth)
	ChangeReports string // ALL, ISSUES, NONE
	DailyAudit    bool
	// Login tracking (Flask-Security's trackable fields), set by the store.
	ConfirmedAt    *time.Time
	LastLoginAt    *time.Time
	CurrentLoginAt *time.Time
	LoginCount     int
	LastLoginIP    string
	CurrentLoginIP string
}

// ScanStatus is the last scan of one (account, technology) pair.
type ScanStatus struct {
	AccountID  int64
	Account    string // name
	Technology string
	LastStart  *time.Time
	LastEnd    *time.Time
	Outcome    string // "ok", "error", "running"
	Items      int
	Error      string
}

// Process is a live scheduler, worker or api process (heartbeat row).
type Process struct {
	Kind      string // "scheduler", "worker", "api"
	ID        string // host:pid:random
	Host      string
	PID       int
	StartedAt time.Time
	SeenAt    time.Time
	Info      string // JSON with kind-specific details
}
