package notify

import (
	"context"

	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/store"
)

// AuditStore is what audit reports need from the database.
type AuditStore interface {
	ListAccounts(ctx context.Context) ([]monkey.Account, error)
	ListIssues(ctx context.Context, q store.IssueQuery) ([]store.IssueView, int, error)
}
