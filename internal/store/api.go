package store

import (
	"time"

	"github.com/secmonkey/monkey/internal/monkey"
)

// ItemState is the latest state of a stored item, without its config: what
// change detection compares a fresh collection with.
type ItemState struct {
	ItemID       int64
	RevisionID   int64
	Region       string
	Name         string
	ARN          string
	Active       bool
	CompleteHash string
	DurableHash  string
	// AuditHash is the fingerprint of the inputs of the item's last audit
	// (durable hash + audit environment); "" when never audited.
	AuditHash string
}

// ChangeSet is the outcome of change detection for one (account, technology),
// written in batches.
type ChangeSet struct {
	AccountID  int64
	Technology string
	Now        time.Time
	Fence      Fence           // the scan lock every batch transaction checks
	New        []NewItem       // new item + first revision
	Durable    []RevisionWrite // new active revision on an existing item
	Ephemeral  []RevisionWrite // latest revision rewritten in place; date_last_ephemeral_change = Now; a non-empty ARN is (re)taken
	Deleted    []RevisionWrite // new inactive revision (Config "{}" or {"Arn": …})
}

// NewItem is an item seen for the first time.
type NewItem struct {
	Region       string
	Name         string
	ARN          string
	Config       []byte // canonical JSON
	CompleteHash string
	DurableHash  string
	Facts        []monkey.KnownResource // known resources (Account is filled by the store)
}

// RevisionWrite changes an existing item.
type RevisionWrite struct {
	ItemID int64
	// RevisionID is the item's latest revision when its state was read:
	// the revision a durable change or deletion follows, the one an
	// ephemeral change rewrites. The write is refused when it is no longer
	// the latest.
	RevisionID   int64
	ARN          string
	Config       []byte
	CompleteHash string
	DurableHash  string
	// Facts replace the item's facts for Durable and Ephemeral writes;
	// Deleted writes keep the stored facts (deleted items still feed the
	// audit context).
	Facts []monkey.KnownResource
}

// IssueWrite is the reconciliation of one item's issues for one auditor.
type IssueWrite struct {
	ItemID    int64
	Class     string         // auditor class
	Create    []monkey.Issue // Text, Score, Notes, ActionInstructions, LinkedItemIDs
	Fix       []int64
	Reopen    []int64
	Links     map[int64][]int64
	AuditHash string // stored on the item
}

// AuditData is what the audit context is built from (auditors.md §2.3).
type AuditData struct {
	Accounts  []monkey.Account
	Whitelist []monkey.NetworkWhitelist
	Known     []monkey.KnownResource
}

// TechSummary counts the active items of one technology and their open
// issues (unfixed, enabled settings row).
type TechSummary struct {
	Items  int
	Issues int
}

// IssueView is an issue with the identity of its item.
type IssueView struct {
	Issue             monkey.Issue
	Technology        string
	Account           string // account name
	Region            string
	ItemName          string
	AccountType       string
	AccountIdentifier string
	ARN               string // item ARN ("" when none)
}

// Comment is a comment on an item or on a revision.
type Comment struct {
	ID         int64
	ItemID     int64 // item comments
	RevisionID int64 // revision comments
	UserID     int64
	User       string // author e-mail ("" when the user is gone)
	Text       string
	CreatedAt  time.Time
}

// AuditorSetting is one issue category of an account and technology
// (auditors.md §2.9).
type AuditorSetting struct {
	ID           int64
	Technology   string
	AccountID    int64
	Account      string // account name
	IssueText    string
	AuditorClass string
	Disabled     bool
	Count        int // number of issues attached
}
