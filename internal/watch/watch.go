// Package watch defines the watcher contract: how a technology's items are
// collected from a cloud account, and how partial failures are reported.
package watch

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/secmonkey/monkey/internal/monkey"
)

// Scope is what a watcher collects: one account, with cloud credentials
// already resolved for it.
type Scope struct {
	Account monkey.Account
	// AWS is an aws.Config whose credentials act inside Account (assumed
	// role) and whose Region is the default region (us-east-1).
	AWS aws.Config
	// Regions are the enabled regions of the account to scan for regional
	// technologies.
	Regions []string
	// Partition is "aws" or "aws-us-gov".
	Partition string
	// Ignore holds case-insensitive name prefixes to skip (ignore list).
	Ignore []string
	// Settings holds collector settings such as SECURITYGROUP_INSTANCE_DETAIL.
	Settings map[string]string
	// RegionConcurrency bounds concurrently scanned regions (default 8).
	RegionConcurrency int
	Logger            *slog.Logger
	// Sink, when set, receives every item as soon as the watcher has built
	// it, instead of Result.Items; it must be safe for concurrent use. The
	// pipeline uses it to fingerprint items while the collection runs, so
	// that 100,000 configs never sit in memory at once.
	Sink func(monkey.Item)
}

// Emit hands an item to the scope's Sink, or appends it to items when the
// scope has none.
func (s Scope) Emit(items *[]monkey.Item, it monkey.Item) {
	if s.Sink != nil {
		s.Sink(it)
		return
	}
	*items = append(*items, it)
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

// Result is the outcome of a collection: every item collected, and every
// location that failed.
type Result struct {
	Items    []monkey.Item
	Failures []Failure
	// Calls counts cloud API calls made, by "service.Operation".
	Calls map[string]int
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

// Registry maps technology index to watcher.
type Registry struct {
	watchers map[string]Watcher
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry { return &Registry{watchers: map[string]Watcher{}} }

// Register adds w; a second watcher for the same technology is an error.
func (r *Registry) Register(w Watcher) error {
	idx := w.Technology().Index
	if _, ok := r.watchers[idx]; ok {
		return fmt.Errorf("register watcher %q: already registered", idx)
	}
	r.watchers[idx] = w
	return nil
}

// Get returns the watcher of a technology.
func (r *Registry) Get(index string) (Watcher, bool) {
	w, ok := r.watchers[index]
	return w, ok
}

// Indexes returns the registered technology indexes, sorted.
func (r *Registry) Indexes() []string {
	out := make([]string, 0, len(r.watchers))
	for k := range r.watchers {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
