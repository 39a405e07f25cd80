// Package watch defines the watcher contract: how a technology's items are
// collected from a cloud account, and how partial failures are reported. It
// is cloud-neutral: the cloud access of a scope is a Session defined by the
// cloud's own package (internal/awsclient for AWS), so that watchers of one
// cloud never depend on another cloud's SDK.
package watch

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/secmonkey/monkey/internal/monkey"
)

// Session is the cloud access of one account, resolved before a watcher
// runs (AWS: assumed-role credentials, partition, enabled regions).
type Session interface {
	// Cloud is the account type the session acts in (monkey.CloudAWS…).
	Cloud() string
}

// SessionAs returns the scope's session as the concrete type of a cloud, or
// an error naming what was expected.
func SessionAs[S Session](scope Scope) (S, error) {
	s, ok := scope.Session.(S)
	if !ok {
		var zero S
		return zero, fmt.Errorf("account %s: no %T session (got %T)", scope.Account.Name, zero, scope.Session)
	}
	return s, nil
}

// Scope is what a watcher collects: one account, with its cloud session.
type Scope struct {
	Account monkey.Account
	Session Session
	// Ignore holds case-insensitive name prefixes to skip (ignore list).
	Ignore []string
	// RegionConcurrency bounds concurrently scanned regions (default 8).
	RegionConcurrency int
	Logger            *slog.Logger
	// Sink, when set, receives every item as soon as the watcher has built
	// it, instead of Result.Items; it must be safe for concurrent use. The
	// pipeline uses it to fingerprint items while the collection runs, so
	// that 100,000 configs never sit in memory at once.
	Sink func(monkey.Item)
}

// Ignored reports whether name matches an ignore-list prefix.
func (s Scope) Ignored(name string) bool {
	ln := strings.ToLower(name)
	for _, p := range s.Ignore {
		if p != "" && strings.HasPrefix(ln, strings.ToLower(p)) {
			return true
		}
	}
	return false
}

// Failure is a location whose collection failed. Region "" and Name "" means
// the whole technology in the account; Name "" means one region; otherwise one
// item. Items at a failed location are never reported deleted.
type Failure struct {
	Region string
	Name   string
	Err    error
}

func (f Failure) Error() string {
	loc := "account"
	if f.Region != "" {
		loc = "region " + f.Region
	}
	if f.Name != "" {
		loc += " item " + f.Name
	}
	return fmt.Sprintf("%s: %v", loc, f.Err)
}

func (f Failure) Unwrap() error { return f.Err }

// Covers reports whether the failure covers an item at region/name.
func (f Failure) Covers(region, name string) bool {
	if f.Region == "" && f.Name == "" {
		return true
	}
	if f.Region != "" && f.Region != region {
		return false
	}
	return f.Name == "" || f.Name == name
}

// Whole reports whether the failure covers the whole technology in the
// account.
func (f Failure) Whole() bool { return f.Region == "" && f.Name == "" }

// Result is the outcome of a collection: every item collected (when the
// scope has no Sink), and every location that failed.
type Result struct {
	Items    []monkey.Item
	Failures []Failure
}

// Err joins the failures into one error (nil when none).
func (r Result) Err() error {
	errs := make([]error, len(r.Failures))
	for i, f := range r.Failures {
		errs[i] = f
	}
	return errors.Join(errs...)
}

// Watcher collects the items of one technology.
type Watcher interface {
	Technology() monkey.Technology
	// Collect returns what it could collect and the failed locations. It
	// returns a non-nil error only when nothing at all could be attempted
	// (the caller then treats the whole account as failed).
	Collect(ctx context.Context, scope Scope) (Result, error)
}

// Universal is the region of items of global technologies.
const Universal = "universal"
