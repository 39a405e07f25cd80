// Package all lists every implemented technology, alphabetically. It is
// the only place that knows them all.
package all

import (
	"errors"
	"fmt"

	"github.com/secmonkey/monkey/internal/audit"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/policy"
	"github.com/secmonkey/monkey/internal/tech/iamgroup"
	"github.com/secmonkey/monkey/internal/tech/iamrole"
	"github.com/secmonkey/monkey/internal/tech/iamuser"
	iampolicy "github.com/secmonkey/monkey/internal/tech/policy"
	"github.com/secmonkey/monkey/internal/tech/s3"
	"github.com/secmonkey/monkey/internal/tech/securitygroup"
	"github.com/secmonkey/monkey/internal/watch"
)

// Technologies returns the metadata of every implemented technology.
func Technologies() []monkey.Technology {
	return []monkey.Technology{
		iamgroup.Technology,
		iamrole.Technology,
		iamuser.Technology,
		iampolicy.Technology,
		s3.Technology,
		securitygroup.Technology,
	}
}

// RegisterWatchers adds every watcher to r.
func RegisterWatchers(r *watch.Registry) error {
	var errs []error
	for _, w := range []watch.Watcher{
		iamgroup.NewWatcher(),
		iamrole.NewWatcher(),
		iamuser.NewWatcher(),
		iampolicy.NewWatcher(),
		s3.NewWatcher(),
		securitygroup.NewWatcher(),
	} {
		errs = append(errs, r.Register(w))
	}
	return errors.Join(errs...)
}

// RegisterAuditors adds every auditor to r.
func RegisterAuditors(r *audit.Registry, cat *policy.Catalogue) error {
	var errs []error
	for _, a := range []audit.Auditor{
		iamgroup.NewAuditor(cat),
		iamrole.NewAuditor(cat),
		iamuser.NewAuditor(cat),
		iampolicy.NewAuditor(cat),
		s3.NewAuditor(),
		securitygroup.NewAuditor(),
	} {
		errs = append(errs, r.Register(a))
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	if err := r.Validate(); err != nil {
		return fmt.Errorf("auditor registry: %w", err)
	}
	return nil
}
