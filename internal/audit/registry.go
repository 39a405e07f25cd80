package audit

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Registry holds the auditors by technology. Build it once in app; it is
// read-only afterwards.
type Registry struct {
	byTech  map[string][]Auditor
	classes map[string]string // class -> tech
	order   []string          // technologies in registration order
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{byTech: map[string][]Auditor{}, classes: map[string]string{}}
}

// Register adds an auditor. It fails on an empty technology or class, on a
// class already registered, and when the support graph gets a cycle.
func (g *Registry) Register(a Auditor) error {
	tech, class := a.Technology(), a.Class()
	if tech == "" || class == "" {
		return fmt.Errorf("register auditor %q/%q: empty technology or class", tech, class)
	}
	if t, ok := g.classes[class]; ok {
		if t == tech {
			return fmt.Errorf("register auditor %s: technology %s already has this class", class, tech)
		}
		return fmt.Errorf("register auditor %s for %s: class already registered for %s", class, tech, t)
	}
	if _, ok := g.byTech[tech]; !ok {
		g.order = append(g.order, tech)
	}
	g.byTech[tech] = append(g.byTech[tech], a)
	g.classes[class] = tech
	if err := g.Validate(); err != nil {
		g.byTech[tech] = g.byTech[tech][:len(g.byTech[tech])-1]
		if len(g.byTech[tech]) == 0 {
			delete(g.byTech, tech)
			g.order = g.order[:len(g.order)-1]
		}
		delete(g.classes, class)
		return fmt.Errorf("register auditor %s: %w", class, err)
	}
	return nil
}

// For returns the auditors of a technology (nil when none).
func (g *Registry) For(tech string) []Auditor { return g.byTech[tech] }

// Get returns the first auditor of tech.
func (g *Registry) Get(tech string) (Auditor, bool) {
	l := g.byTech[tech]
	if len(l) == 0 {
		return nil, false
	}
	return l[0], true
}

// Technologies lists the technologies with auditors, sorted.
func (g *Registry) Technologies() []string {
	out := append([]string(nil), g.order...)
	sort.Strings(out)
	return out
}

// Checks lists every check of every auditor, sorted by ID.
func (g *Registry) Checks() []CheckInfo {
	var out []CheckInfo
	for _, l := range g.byTech {
		for _, a := range l {
			out = append(out, a.Checks()...)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].ID != out[j].ID {
			return out[i].ID < out[j].ID
		}
		return out[i].Class < out[j].Class
	})
	return out
}

// SupportFields returns the top-level config fields that the auditors
// reading tech as support read of its items, sorted (auditors that declare
// them: SupportReader); all is true when one of them may read any field.
func (g *Registry) SupportFields(tech string) (fields []string, all bool) {
	for _, t := range g.order {
		for _, a := range g.byTech[t] {
			if !hasExact(a.Support(), tech) {
				continue
			}
			r, ok := a.(SupportReader)
			if !ok {
				return nil, true
			}
			f, declared := r.SupportFields(tech)
			if !declared {
				return nil, true
			}
			fields = append(fields, f...)
		}
	}
	sort.Strings(fields)
	return slices.Compact(fields), false
}

// dependents returns the technologies whose auditors list tech as support.
func (g *Registry) directDependents(tech string) []string {
	var out []string
	for _, t := range g.order {
		for _, a := range g.byTech[t] {
			if hasExact(a.Support(), tech) {
				out = append(out, t)
				break
			}
		}
	}
	sort.Strings(out)
	return out
}

// Dependents returns the technologies to re-audit after tech, transitively,
// in dependency order (every technology after all of its supports that are
// in the list; ties alphabetical). tech itself is not included.
func (g *Registry) Dependents(tech string) []string {
	seen := map[string]bool{tech: true}
	queue := []string{tech}
	var set []string
	for len(queue) > 0 {
		t := queue[0]
		queue = queue[1:]
		for _, d := range g.directDependents(t) {
			if !seen[d] {
				seen[d] = true
				set = append(set, d)
				queue = append(queue, d)
			}
		}
	}
	// Topological order within set (Kahn, alphabetical ties).
	in := map[string]bool{}
	for _, s := range set {
		in[s] = true
	}
	done := map[string]bool{tech: true}
	var out []string
	for len(out) < len(set) {
		var ready []string
		for _, s := range set {
			if done[s] {
				continue
			}
			ok := true
			for _, a := range g.byTech[s] {
				for _, sup := range a.Support() {
					if in[sup] && !done[sup] {
						ok = false
					}
				}
			}
			if ok {
				ready = append(ready, s)
			}
		}
		if len(ready) == 0 { // cycle; Validate prevents it
			break
		}
		sort.Strings(ready)
		done[ready[0]] = true
		out = append(out, ready[0])
	}
	return out
}

// Validate reports a dependency cycle among the registered auditors.
func (g *Registry) Validate() error {
	const (
		white = iota
		grey
		black
	)
	color := map[string]int{}
	var path []string
	var visit func(t string) error
	visit = func(t string) error {
		switch color[t] {
		case grey:
			return fmt.Errorf("auditor dependency cycle: %s -> %s", strings.Join(path, " -> "), t)
		case black:
			return nil
		}
		color[t] = grey
		path = append(path, t)
		for _, a := range g.byTech[t] {
			for _, s := range a.Support() {
				if err := visit(s); err != nil {
					return err
				}
			}
		}
		path = path[:len(path)-1]
		color[t] = black
		return nil
	}
	for _, t := range g.Technologies() {
		if err := visit(t); err != nil {
			return err
		}
	}
	return nil
}
