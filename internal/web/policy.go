package web

import (
	"encoding/json"
	"sort"
	"strings"

	"github.com/secmonkey/monkey/internal/policy"
)

// maxExpanded bounds the actions listed for one wildcard action.
const maxExpanded = 300

// policyView is a policy document of an item's configuration, statement by
// statement.
type policyView struct {
	Path       string // where in the configuration
	Statements []statementView
}

type statementView struct {
	Effect     string
	Actions    []actionView
	NotActions []actionView
	Resources  []string
	Principals []string
	Conditions []string
}

// actionView is an action; a wildcard lists the actions it grants.
type actionView struct {
	Name     string
	Wildcard bool
	Grants   []string
	More     int // granted actions not listed
}

// policies finds the policy documents (objects with a Statement) in a
// configuration, in the order of their paths.
func (w *Web) policies(cfg []byte) []policyView {
	var v any
	if len(cfg) == 0 || json.Unmarshal(cfg, &v) != nil {
		return nil
	}
	var out []policyView
	var walk func(v any, path string)
	walk = func(v any, path string) {
		switch t := v.(type) {
		case map[string]any:
			if _, ok := t["Statement"]; ok {
				if d, ok := policy.FromValue(t); ok && len(d.Statements) > 0 {
					out = append(out, w.policyView(strings.TrimPrefix(path, "."), d))
					return
				}
			}
			keys := make([]string, 0, len(t))
			for k := range t {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				walk(t[k], path+"."+k)
			}
		case []any:
			for i, e := range t {
				walk(e, path+"."+itoaInt(i))
			}
		case string:
			// Policies kept as JSON text (some technologies store them so).
			if strings.Contains(t, `"Statement"`) {
				var inner any
				if json.Unmarshal([]byte(t), &inner) == nil {
					walk(inner, path)
				}
			}
		}
	}
	walk(v, "")
	return out
}

func (w *Web) policyView(path string, d policy.Document) policyView {
	pv := policyView{Path: path}
	if pv.Path == "" {
		pv.Path = "(the configuration)"
	}
	for _, s := range d.Statements {
		sv := statementView{Effect: s.Effect, Resources: s.Resources, Principals: s.Principals}
		if s.ResourceNull && len(s.Resources) == 0 {
			sv.Resources = nil
		}
		for _, a := range s.Actions {
			sv.Actions = append(sv.Actions, w.action(a))
		}
		for _, a := range s.NotActions {
			sv.NotActions = append(sv.NotActions, w.action(a))
		}
		for _, c := range s.Conditions {
			sv.Conditions = append(sv.Conditions, c.Category+": "+c.Value)
		}
		pv.Statements = append(pv.Statements, sv)
	}
	return pv
}

func (w *Web) action(a string) actionView {
	av := actionView{Name: a, Wildcard: strings.ContainsAny(a, "*?")}
	if av.Wildcard && w.d.Catalogue != nil {
		all := w.d.Catalogue.Expand(a)
		n := min(len(all), maxExpanded)
		av.Grants = all[:n]
		av.More = len(all) - n
	}
	return av
}

func itoaInt(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}
