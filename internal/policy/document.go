// Package policy analyses IAM and resource policies with the semantics of
// policyuniverse 1.3.2.1 (auditors.md §3). It is pure: no SDK, no I/O.
// Malformed documents never panic: wrong types are ignored field by field.
package policy

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// Document is a parsed policy document.
type Document struct {
	Statements []Statement
}

// Statement is one statement of a policy (auditors.md §3.1).
type Statement struct {
	// Effect is the raw Effect string ("" when missing or not a string).
	Effect string
	// Actions are the raw Action entries (original spelling), unique, sorted.
	Actions []string
	// NotActions are the raw NotAction entries, unique, sorted.
	NotActions []string
	// HasNotAction / HasNotResource / UsesNotPrincipal report key presence.
	HasNotAction     bool
	HasNotResource   bool
	UsesNotPrincipal bool
	// Resources are the string resources, unique, sorted; ResourceNull adds
	// a null element ({null} when Resource is missing).
	Resources    []string
	ResourceNull bool
	// Principals are the extracted principal strings (§3.3), unique, sorted.
	Principals []string
	// Conditions are the relevant condition entries (§3.4) in ascending
	// (category, value) order, unique.
	Conditions []Entry
}

// Entry is a (category, value) pair: a principal or a condition entry.
type Entry struct {
	Category string
	Value    string
}

// ErrNotPolicy is returned when a document is not a JSON object.
var ErrNotPolicy = errors.New("policy document is not a json object")

// Parse decodes a JSON policy document. Non-object input is an error;
// wrongly typed fields inside an object are ignored.
func Parse(data []byte) (Document, error) {
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return Document{}, fmt.Errorf("parse policy document: %w", err)
	}
	d, ok := FromValue(v)
	if !ok {
		return Document{}, ErrNotPolicy
	}
	return d, nil
}

// FromValue builds a document from a decoded JSON value; ok is false when v
// is not an object.
func FromValue(v any) (Document, bool) {
	m, ok := v.(map[string]any)
	if !ok {
		return Document{}, false
	}
	var d Document
	switch st := m["Statement"].(type) {
	case map[string]any:
		d.Statements = append(d.Statements, parseStatement(st))
	case []any:
		for _, s := range st {
			if sm, ok := s.(map[string]any); ok {
				d.Statements = append(d.Statements, parseStatement(sm))
			}
		}
	}
	return d, true
}

// Lookup returns the policies found in cfg at the policy key path ($
// separators, * matching every key of an object or element of an array;
// object keys visited in sorted order). An array value contributes each of
// its elements; null and empty values are skipped; non-objects are dropped.
func Lookup(cfg any, path string) []Document {
	var vals []any
	walk(cfg, strings.Split(path, "$"), &vals)
	var out []Document
	for _, v := range vals {
		if arr, ok := v.([]any); ok {
			for _, e := range arr {
				if d, ok := FromValue(e); ok && len(e.(map[string]any)) > 0 {
					out = append(out, d)
				}
			}
			continue
		}
		if m, ok := v.(map[string]any); ok && len(m) > 0 {
			d, _ := FromValue(m)
			out = append(out, d)
		}
	}
	return out
}

func walk(v any, parts []string, out *[]any) {
	if len(parts) == 0 {
		if v != nil {
			*out = append(*out, v)
		}
		return
	}
	p, rest := parts[0], parts[1:]
	switch t := v.(type) {
	case map[string]any:
		if p == "*" {
			keys := make([]string, 0, len(t))
			for k := range t {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				walk(t[k], rest, out)
			}
			return
		}
		if c, ok := t[p]; ok {
			walk(c, rest, out)
		}
	case []any:
		if p == "*" {
			for _, e := range t {
				walk(e, rest, out)
			}
		}
	}
}

// strList turns a string-or-list value into its strings; other types and
// non-string elements are ignored.
func strList(v any) []string {
	switch t := v.(type) {
	case string:
		return []string{t}
	case []any:
		out := make([]string, 0, len(t))
		for _, e := range t {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func uniqSorted(in []string) []string {
	if len(in) == 0 {
		return nil
	}
	sort.Strings(in)
	out := in[:1]
	for _, s := range in[1:] {
		if s != out[len(out)-1] {
			out = append(out, s)
		}
	}
	return out
}

func parseStatement(m map[string]any) Statement {
	var s Statement
	s.Effect, _ = m["Effect"].(string)
	s.Actions = uniqSorted(strList(m["Action"]))
	na, hasNA := m["NotAction"]
	s.HasNotAction = hasNA
	s.NotActions = uniqSorted(strList(na))
	_, s.UsesNotPrincipal = m["NotPrincipal"]
	if _, ok := m["NotResource"]; ok {
		s.HasNotResource = true
		s.Resources = []string{"*"}
	} else {
		switch r := m["Resource"].(type) {
		case nil:
			s.ResourceNull = true
		case string:
			s.Resources = []string{r}
		case []any:
			for _, e := range r {
				switch es := e.(type) {
				case string:
					s.Resources = append(s.Resources, es)
				case nil:
					s.ResourceNull = true
				}
			}
			s.Resources = uniqSorted(s.Resources)
		default:
			s.ResourceNull = true
		}
	}
	s.Principals = principals(m["Principal"])
	s.Conditions = conditions(m["Condition"])
	return s
}

func principals(v any) []string {
	var out []string
	switch t := v.(type) {
	case map[string]any:
		out = append(out, strList(t["AWS"])...)
		out = append(out, strList(t["Service"])...)
	case string:
		if t != "" {
			out = []string{t}
		}
	case []any:
		out = strList(t)
	}
	return uniqSorted(out)
}

var relevantOp = regexp.MustCompile(`(?i)^((ForAllValues|ForAnyValue):)?(ARN(Equals|Like)(IfExists)?|String(Equals|Like)(IgnoreCase)?(IfExists)?|IpAddress(IfExists)?)`)

// conditionCategory maps a (lower-cased) condition key to its entry
// category (§3.4); ok is false for keys that contribute nothing.
func conditionCategory(key string) (string, bool) {
	switch key {
	case "aws:sourcearn":
		return "arn", true
	case "aws:sourceowner", "aws:sourceaccount", "kms:calleraccount":
		return "account", true
	case "aws:principalorgid":
		return "org-id", true
	case "aws:userid":
		return "userid", true
	case "aws:sourceip":
		return "cidr", true
	case "aws:sourcevpc":
		return "vpc", true
	case "aws:sourcevpce":
		return "vpce", true
	}
	return "", false
}

func conditions(v any) []Entry {
	cm, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	seen := map[Entry]bool{}
	var out []Entry
	for op, body := range cm {
		if !relevantOp.MatchString(op) {
			continue
		}
		multi := strings.HasPrefix(strings.ToLower(op), "forallvalues:") || strings.HasPrefix(strings.ToLower(op), "foranyvalue:")
		bm, ok := body.(map[string]any)
		if !ok {
			continue
		}
		for key, val := range bm {
			cat, ok := conditionCategory(strings.ToLower(key))
			if !ok {
				continue
			}
			if _, isArr := val.([]any); multi && !isArr {
				continue
			}
			for _, s := range strList(val) {
				e := Entry{Category: cat, Value: s}
				if !seen[e] {
					seen[e] = true
					out = append(out, e)
				}
			}
		}
	}
	sortEntries(out)
	return out
}

func sortEntries(es []Entry) {
	sort.Slice(es, func(i, j int) bool {
		if es[i].Category != es[j].Category {
			return es[i].Category < es[j].Category
		}
		return es[i].Value < es[j].Value
	})
}

// IsAllow reports whether the effect is exactly "Allow".
func (s Statement) IsAllow() bool { return s.Effect == "Allow" }

// WhosAllowed is §3.5: principals and condition entries, unique, in
// ascending (category, value) order.
func (s Statement) WhosAllowed() []Entry {
	out := make([]Entry, 0, len(s.Principals)+len(s.Conditions))
	seen := map[Entry]bool{}
	for _, p := range s.Principals {
		e := Entry{Category: "principal", Value: p}
		seen[e] = true
		out = append(out, e)
	}
	for _, c := range s.Conditions {
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	sortEntries(out)
	return out
}

// conditionOpen is §3.6 rule 2.
func (s Statement) conditionOpen() bool {
	if len(s.Conditions) == 0 {
		return true
	}
	for _, c := range s.Conditions {
		if entryOpen(c) {
			return true
		}
	}
	return false
}

func entryOpen(c Entry) bool {
	switch c.Category {
	case "arn":
		return IsOpenARN(c.Value)
	case "userid":
		i := strings.IndexByte(c.Value, '*')
		return i >= 0 && (i != len(c.Value)-1 || strings.Count(c.Value, "*") > 1)
	case "cidr":
		return strings.HasSuffix(c.Value, "/0")
	case "account", "org-id", "vpc", "vpce":
		return strings.Contains(c.Value, "*")
	}
	return false
}

// InternetAccessible is §3.6 for one statement.
func (s Statement) InternetAccessible() bool {
	if !s.IsAllow() || !s.conditionOpen() {
		return false
	}
	if s.UsesNotPrincipal {
		return true
	}
	for _, p := range s.Principals {
		if IsOpenARN(p) {
			return true
		}
	}
	return false
}

// InternetAccessible reports whether any statement is internet accessible.
func (d Document) InternetAccessible() bool {
	for _, s := range d.Statements {
		if s.InternetAccessible() {
			return true
		}
	}
	return false
}

// InternetAccessibleActions is the union of the raw actions of the
// internet-accessible statements, sorted.
func (d Document) InternetAccessibleActions() []string {
	var out []string
	for _, s := range d.Statements {
		if s.InternetAccessible() {
			out = append(out, s.Actions...)
		}
	}
	return uniqSorted(out)
}

// ActionSet is the expanded actions of a statement (§3.7), all lower-case,
// represented lazily so that "*" does not materialise thousands of strings.
type ActionSet struct {
	cat      *Catalogue
	parts    [][]string // sorted lists
	notParts [][]string // expansion of NotAction (sorted lists)
	hasNot   bool       // NotAction expanded to a non-empty set
}

// Expanded returns the expanded actions of the statement (§3.7).
func (s Statement) Expanded(c *Catalogue) ActionSet {
	as := ActionSet{cat: c}
	as.parts = expandAll(c, s.Actions)
	if s.HasNotAction {
		as.notParts = expandAll(c, s.NotActions)
		as.hasNot = len(as.notParts) > 0
	}
	return as
}

func expandAll(c *Catalogue, actions []string) [][]string {
	var parts [][]string
	var lits []string
	for _, a := range actions {
		la := strings.ToLower(a)
		if strings.Contains(la, "*") {
			if m := c.Expand(la); len(m) > 0 {
				parts = append(parts, m)
				continue
			}
		}
		lits = append(lits, la)
	}
	if len(lits) > 0 {
		parts = append(parts, uniqSorted(lits))
	}
	return parts
}

func inParts(parts [][]string, action string) bool {
	for _, p := range parts {
		i := sort.SearchStrings(p, action)
		if i < len(p) && p[i] == action {
			return true
		}
	}
	return false
}

// Has reports whether the lower-case action is in the set.
func (as ActionSet) Has(action string) bool {
	if inParts(as.parts, action) {
		return true
	}
	return as.hasNot && as.cat != nil && as.cat.has(action) && !inParts(as.notParts, action)
}

// Summary is §3.8: service prefix -> set of categories (an action unknown
// to the catalogue contributes the null category, named ""). It is
// read-only and may share storage with the catalogue cache.
type Summary struct {
	cat *Catalogue
	d   *sumData
}

// Services returns the service prefixes, sorted (read-only slice).
func (s Summary) Services() []string {
	if s.d == nil {
		return nil
	}
	return s.d.services
}

// Has reports whether service svc has category ("" = null).
func (s Summary) Has(svc, category string) bool {
	if s.d == nil {
		return false
	}
	b := s.d.bits[svc]
	if category == "" {
		return b&nullCategory != 0
	}
	for i, n := range s.cat.cats {
		if n == category {
			return b&(1<<i) != 0
		}
	}
	return false
}

// Map returns the summary as service -> category set (for tests and
// display).
func (s Summary) Map() map[string]map[string]bool {
	out := map[string]map[string]bool{}
	if s.d == nil {
		return out
	}
	for svc, b := range s.d.bits {
		set := map[string]bool{}
		if b&nullCategory != 0 {
			set[""] = true
		}
		for i, n := range s.cat.cats {
			if b&(1<<i) != 0 {
				set[n] = true
			}
		}
		out[svc] = set
	}
	return out
}

// ActionSummary computes §3.8 for the statement.
func (s Statement) ActionSummary(c *Catalogue) Summary {
	var parts []*sumData
	for _, a := range s.Actions {
		parts = append(parts, c.patternSummary(strings.ToLower(a)))
	}
	if s.HasNotAction {
		parts = append(parts, c.notActionSummary(s.NotActions))
	}
	switch len(parts) {
	case 0:
		return Summary{cat: c}
	case 1:
		return Summary{cat: c, d: parts[0]}
	}
	bits := map[string]uint32{}
	for _, p := range parts {
		for svc, b := range p.bits {
			bits[svc] |= b
		}
	}
	return Summary{cat: c, d: newSumData(bits)}
}
