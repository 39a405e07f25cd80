package policy

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
)

//go:embed data/iam_actions.json
var catalogueJSON []byte

// maxCachedPatterns bounds the glob cache so hostile input cannot grow it
// without limit; patterns beyond it are expanded without caching.
const maxCachedPatterns = 16384

// maxCachedPatternLen keeps huge hostile patterns out of the cache.
const maxCachedPatternLen = 512

// Catalogue is the IAM action catalogue (spec/data/iam_actions.json): every
// "<prefix>:<action>" with its access-level category. It is immutable after
// construction except for an internal, mutex-protected expansion cache, so a
// single value may be shared by concurrent audits.
type Catalogue struct {
	actions  []string          // lower-cased "prefix:action", sorted
	category map[string]uint32 // lower-cased action -> category bit
	cats     []string          // category names by bit index
	maxLen   int               // longest action in runes

	mu      sync.Mutex
	globs   map[string][]string // pattern -> sorted matches
	summary map[string]*sumData
	notSum  map[string]*sumData
}

// sumData is an immutable summary: service -> category bits, and the
// services sorted.
type sumData struct {
	bits     map[string]uint32
	services []string
}

func newSumData(bits map[string]uint32) *sumData {
	d := &sumData{bits: bits, services: make([]string, 0, len(bits))}
	for k := range bits {
		d.services = append(d.services, k)
	}
	sort.Strings(d.services)
	return d
}

// LoadCatalogue parses the embedded default catalogue. Call it once and pass
// the result to the auditors.
func LoadCatalogue() (*Catalogue, error) { return NewCatalogue(catalogueJSON) }

// NewCatalogue parses a catalogue in the iam_actions.json format
// ({"prefix": {"Action": "Category"}}).
func NewCatalogue(data []byte) (*Catalogue, error) {
	var raw map[string]map[string]string
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("parse iam action catalogue: %w", err)
	}
	c := &Catalogue{
		category: make(map[string]uint32),
		globs:    make(map[string][]string),
		summary:  make(map[string]*sumData),
		notSum:   make(map[string]*sumData),
	}
	catIndex := map[string]int{}
	for prefix, actions := range raw {
		for name, cat := range actions {
			key := strings.ToLower(prefix) + ":" + strings.ToLower(name)
			idx, ok := catIndex[cat]
			if !ok {
				idx = len(c.cats)
				if idx >= 31 {
					return nil, fmt.Errorf("parse iam action catalogue: too many categories")
				}
				catIndex[cat] = idx
				c.cats = append(c.cats, cat)
			}
			if _, dup := c.category[key]; !dup {
				c.actions = append(c.actions, key)
			}
			c.category[key] = 1 << idx
		}
	}
	sort.Strings(c.actions)
	for _, a := range c.actions {
		c.maxLen = max(c.maxLen, len([]rune(a)))
	}
	return c, nil
}

// nullCategory is the summary bit of actions unknown to the catalogue.
const nullCategory uint32 = 1 << 31

// Len is the number of actions in the catalogue.
func (c *Catalogue) Len() int { return len(c.actions) }

// Category returns the access-level category of action (case-insensitive).
func (c *Catalogue) Category(action string) (string, bool) {
	bit, ok := c.category[strings.ToLower(action)]
	if !ok {
		return "", false
	}
	return c.catName(bit), true
}

func (c *Catalogue) catName(bit uint32) string {
	for i, n := range c.cats {
		if bit == 1<<i {
			return n
		}
	}
	return ""
}

// Has reports whether the lower-cased action is in the catalogue.
func (c *Catalogue) has(lower string) bool {
	_, ok := c.category[lower]
	return ok
}

// Expand returns the catalogue actions matching pattern (case-insensitive
// shell glob: *, ?, [...]), lower-cased and sorted. The returned slice is
// shared: callers must not modify it.
func (c *Catalogue) Expand(pattern string) []string {
	p := strings.ToLower(pattern)
	c.mu.Lock()
	m, ok := c.globs[p]
	c.mu.Unlock()
	if ok {
		return m
	}
	m = c.match(p)
	c.mu.Lock()
	if len(c.globs) < maxCachedPatterns && len(p) <= maxCachedPatternLen {
		c.globs[p] = m
	}
	c.mu.Unlock()
	return m
}

func (c *Catalogue) match(p string) []string {
	// Literal prefix before the first meta character narrows the range.
	lit := p
	if i := strings.IndexAny(p, "*?["); i >= 0 {
		lit = p[:i]
	}
	if minMatchLen(p) > c.maxLen {
		return nil // cannot match any action; also bounds the glob cost
	}
	start := sort.SearchStrings(c.actions, lit)
	var out []string
	for _, a := range c.actions[start:] {
		if !strings.HasPrefix(a, lit) {
			break
		}
		if Glob(p, a) {
			out = append(out, a)
		}
	}
	return out
}

// patternSummary is the service -> category bits of the expansion of one
// (lower-cased) action entry (§3.7 rule 1), cached.
func (c *Catalogue) patternSummary(p string) *sumData {
	c.mu.Lock()
	d, ok := c.summary[p]
	c.mu.Unlock()
	if ok {
		return d
	}
	s := map[string]uint32{}
	if strings.Contains(p, "*") {
		m := c.Expand(p)
		if len(m) == 0 {
			s[service(p)] |= nullCategory
		}
		for _, a := range m {
			s[service(a)] |= c.category[a]
		}
	} else {
		bit, ok := c.category[p]
		if !ok {
			bit = nullCategory
		}
		s[service(p)] |= bit
	}
	d = newSumData(s)
	c.mu.Lock()
	if len(c.summary) < maxCachedPatterns {
		c.summary[p] = d
	}
	c.mu.Unlock()
	return d
}

func service(action string) string {
	if i := strings.IndexByte(action, ':'); i >= 0 {
		return action[:i]
	}
	return action
}

// Glob reports whether name matches the shell pattern (Python fnmatch
// semantics, case-sensitive; lower-case both sides for case-insensitive
// matching): '*' any run, '?' one character, '[seq]' / '[!seq]' a character
// class with ranges; an unterminated '[' matches itself. It runs in
// O(len(pattern)·len(name)) time.
func Glob(pattern, name string) bool {
	p := []rune(pattern)
	n := []rune(name)
	pi, ni := 0, 0
	starP, starN := -1, 0
	for ni < len(n) {
		if pi < len(p) {
			switch p[pi] {
			case '*':
				starP, starN = pi, ni
				pi++
				continue
			case '?':
				pi++
				ni++
				continue
			case '[':
				if ok, next, valid := classMatch(p, pi, n[ni]); valid {
					if ok {
						pi = next
						ni++
						continue
					}
				} else if n[ni] == '[' {
					pi++
					ni++
					continue
				}
			default:
				if p[pi] == n[ni] {
					pi++
					ni++
					continue
				}
			}
		}
		if starP >= 0 {
			pi = starP + 1
			starN++
			ni = starN
			continue
		}
		return false
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

// classMatch evaluates the class starting at p[i] == '['. valid is false
// when the class is unterminated (then '[' is a literal).
func classMatch(p []rune, i int, r rune) (ok bool, next int, valid bool) {
	j := i + 1
	neg := false
	if j < len(p) && p[j] == '!' {
		neg = true
		j++
	}
	if j < len(p) && p[j] == ']' {
		j++ // a leading ']' is literal
	}
	for j < len(p) && p[j] != ']' {
		j++
	}
	if j >= len(p) {
		return false, 0, false
	}
	body := p[i+1 : j]
	if neg {
		body = body[1:]
	}
	match := false
	for k := 0; k < len(body); k++ {
		if k+2 < len(body) && body[k+1] == '-' {
			if body[k] <= r && r <= body[k+2] {
				match = true
			}
			k += 2
			continue
		}
		if body[k] == r {
			match = true
		}
	}
	return match != neg, j + 1, true
}

// notActionSummary is the summary of every catalogue action not in the
// expansion of notActions (§3.7 rule 2), cached per NotAction list.
func (c *Catalogue) notActionSummary(notActions []string) *sumData {
	lower := make([]string, len(notActions))
	for i, a := range notActions {
		lower[i] = strings.ToLower(a)
	}
	key := strings.Join(lower, "\x00")
	c.mu.Lock()
	d, ok := c.notSum[key]
	c.mu.Unlock()
	if ok {
		return d
	}
	s := map[string]uint32{}
	parts := expandAll(c, notActions)
	if len(parts) > 0 {
		for _, a := range c.actions {
			if !inParts(parts, a) {
				s[service(a)] |= c.category[a]
			}
		}
	}
	d = newSumData(s)
	c.mu.Lock()
	if len(c.notSum) < maxCachedPatterns {
		c.notSum[key] = d
	}
	c.mu.Unlock()
	return d
}

// minMatchLen is the minimum number of characters a name must have to match
// the pattern: every element but '*' consumes one character.
func minMatchLen(pattern string) int {
	p := []rune(pattern)
	n := 0
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case '*':
			continue
		case '[':
			if _, next, valid := classMatch(p, i, 0); valid {
				i = next - 1
			}
		}
		n++
	}
	return n
}
