package audit

// Context is the account context ("object store", auditors.md §2.3).
// PLACEHOLDER: the audit implementation replaces this file.
type Context struct{}
