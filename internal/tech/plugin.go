// Package tech is the technology plugin contract: everything the rest of
// the program knows about one technology (a resource type such as
// "securitygroup") comes from its Plugin value, exported by the package
// internal/tech/<index> and listed once in internal/tech/all. Nothing outside
// a technology's package switches on its index.
package tech

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/secmonkey/monkey/internal/audit"
	"github.com/secmonkey/monkey/internal/config"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/policy"
	"github.com/secmonkey/monkey/internal/watch"
)

// Plugin is one technology.
type Plugin struct {
	// Technology is the stable metadata: index, names, cloud, scope,
	// ephemeral paths, deletion shape.
	Technology monkey.Technology
	// NewWatcher builds the collector.
	NewWatcher func(Deps) (watch.Watcher, error)
	// NewAuditor builds the auditor; nil when the technology has none, and
	// then NoAuditor must say why (auditors.md §5.27: watcher-only
	// technologies that feed other auditors or only record changes).
	NewAuditor func(Deps) (audit.Auditor, error)
	NoAuditor  string
	// Facts returns the known resources an item contributes to the audit
	// context (technologies.md Part E, auditors.md §2.3), Account left
	// empty. Optional.
	Facts func(name string, cfg monkey.Config) []monkey.KnownResource
	// Settings are the settings the watcher or auditor read, by the
	// Security Monkey name users know. Several plugins may list the same
	// *Setting.
	Settings []*Setting
	// Shape checks that a config has the stored shape of the technology
	// before it is audited from a file (`monkey audit-file`): it names the
	// first field that does not fit. Optional (nil accepts any object).
	Shape func(cfg monkey.Config) error
}

// Deps are the dependencies every constructor receives.
type Deps struct {
	Catalogue *policy.Catalogue
	Settings  Settings
}

// Setting is one technology setting (read by internal/config from the
// environment and the settings file).
type Setting = config.Setting

// Settings are validated setting values by name. A setting that was not
// given is absent, which some checks tell apart from any value
// (auditors.md §2.12).
type Settings map[string]string

// Get returns the value of a setting and whether it was given.
func (s Settings) Get(name string) (string, bool) {
	v, ok := s[name]
	return v, ok
}

// Validate checks the plugin for completeness.
func (p Plugin) Validate() error {
	t := p.Technology
	var errs []error
	if t.Index == "" || t.Singular == "" || t.Plural == "" || t.Cloud == "" {
		errs = append(errs, errors.New("technology index, names and cloud are required"))
	}
	if t.EphemeralPaths == nil {
		errs = append(errs, errors.New("ephemeral paths must be a list (empty when none)"))
	}
	if p.NewWatcher == nil {
		errs = append(errs, errors.New("no watcher"))
	}
	if (p.NewAuditor == nil) == (p.NoAuditor == "") {
		errs = append(errs, errors.New("exactly one of an auditor or a NoAuditor reason is required"))
	}
	for _, s := range p.Settings {
		if s == nil || s.Name == "" || s.Parse == nil || len(s.Env) == 0 {
			errs = append(errs, errors.New("a setting needs a name, environment variables and a parser"))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("technology plugin %q: %w", t.Index, err)
	}
	return nil
}

// AllSettings returns the distinct settings of plugins, sorted by name. Two
// different settings with one name are an error.
func AllSettings(plugins []Plugin) ([]*Setting, error) {
	byName := map[string]*Setting{}
	for _, p := range plugins {
		for _, s := range p.Settings {
			if prev, ok := byName[s.Name]; ok && prev != s {
				return nil, fmt.Errorf("setting %s is declared twice (technology %s)", s.Name, p.Technology.Index)
			}
			byName[s.Name] = s
		}
	}
	out := make([]*Setting, 0, len(byName))
	for _, s := range byName {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Registry holds the built technologies of a process: metadata, watchers,
// auditors and facts, by index. It is read-only after NewRegistry.
type Registry struct {
	plugins  map[string]Plugin
	watchers map[string]watch.Watcher
	auditors *audit.Registry
	order    []string
}

// NewRegistry validates plugins and builds their watchers and auditors
// with deps.
func NewRegistry(plugins []Plugin, deps Deps) (*Registry, error) {
	r := &Registry{plugins: map[string]Plugin{}, watchers: map[string]watch.Watcher{}, auditors: audit.NewRegistry()}
	var errs []error
	for _, p := range plugins {
		if err := p.Validate(); err != nil {
			errs = append(errs, err)
			continue
		}
		idx := p.Technology.Index
		if _, dup := r.plugins[idx]; dup {
			errs = append(errs, fmt.Errorf("technology plugin %q: listed twice", idx))
			continue
		}
		w, err := p.NewWatcher(deps)
		if err != nil {
			errs = append(errs, fmt.Errorf("technology %s: watcher: %w", idx, err))
			continue
		}
		if w.Technology().Index != idx {
			errs = append(errs, fmt.Errorf("technology %s: watcher reports technology %q", idx, w.Technology().Index))
			continue
		}
		if p.NewAuditor != nil {
			a, err := p.NewAuditor(deps)
			if err != nil {
				errs = append(errs, fmt.Errorf("technology %s: auditor: %w", idx, err))
				continue
			}
			if err := r.auditors.Register(a); err != nil {
				errs = append(errs, err)
				continue
			}
		}
		r.plugins[idx] = p
		r.watchers[idx] = w
		r.order = append(r.order, idx)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	for _, t := range r.auditors.Technologies() {
		for _, a := range r.auditors.For(t) {
			for _, s := range a.Support() {
				if _, ok := r.plugins[s]; !ok {
					errs = append(errs, fmt.Errorf("auditor %s: support technology %q is not implemented", a.Class(), s))
				}
			}
		}
	}
	if err := r.auditors.Validate(); err != nil {
		errs = append(errs, err)
	}
	sort.Strings(r.order)
	return r, errors.Join(errs...)
}

// Technology returns the metadata of a technology.
func (r *Registry) Technology(index string) (monkey.Technology, bool) {
	p, ok := r.plugins[index]
	return p.Technology, ok
}

// Technologies returns the metadata of every technology, sorted by index.
func (r *Registry) Technologies() []monkey.Technology {
	out := make([]monkey.Technology, len(r.order))
	for i, idx := range r.order {
		out[i] = r.plugins[idx].Technology
	}
	return out
}

// Indexes returns the technology indexes, sorted.
func (r *Registry) Indexes() []string { return slices.Clone(r.order) }

// Watcher returns the watcher of a technology.
func (r *Registry) Watcher(index string) (watch.Watcher, bool) {
	w, ok := r.watchers[index]
	return w, ok
}

// Auditors returns the auditor registry.
func (r *Registry) Auditors() *audit.Registry { return r.auditors }

// Facts returns the known resources an item contributes to the audit
// context (none for technologies without facts).
func (r *Registry) Facts(index, name string, cfg monkey.Config) []monkey.KnownResource {
	p := r.plugins[index]
	if p.Facts == nil {
		return nil
	}
	return p.Facts(name, cfg)
}

// Shape checks a config against the stored shape of a technology.
func (r *Registry) Shape(index string, cfg monkey.Config) error {
	p, ok := r.plugins[index]
	if !ok {
		return monkey.Errorf(monkey.EINVALID, "unknown technology %q", index)
	}
	if p.Shape == nil {
		return nil
	}
	return p.Shape(cfg)
}

// Resolve turns a list of technology indexes (case-insensitive, duplicates
// dropped) into known indexes; an empty or unknown name is an EINVALID
// error that lists the known ones.
func (r *Registry) Resolve(names []string) ([]string, error) {
	var out []string
	for _, n := range names {
		n = strings.ToLower(strings.TrimSpace(n))
		if n == "" {
			return nil, monkey.Errorf(monkey.EINVALID, "empty technology name in %q", strings.Join(names, ","))
		}
		if slices.Contains(out, n) {
			continue
		}
		if _, ok := r.plugins[n]; !ok {
			return nil, monkey.Errorf(monkey.EINVALID, "unknown technology %q (implemented: %s)", n, strings.Join(r.order, ", "))
		}
		out = append(out, n)
	}
	return out, nil
}
