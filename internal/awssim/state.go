package awssim

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

// tech is a simulated resource kind; the string form is the technology index.
type tech int

const (
	techRole tech = iota
	techUser
	techGroup
	techPolicy
	techS3
	techSG
	numTech
)

func (t tech) String() string {
	switch t {
	case techRole:
		return "iamrole"
	case techUser:
		return "iamuser"
	case techGroup:
		return "iamgroup"
	case techPolicy:
		return "policy"
	case techS3:
		return "s3"
	case techSG:
		return "securitygroup"
	}
	return fmt.Sprintf("tech(%d)", int(t))
}

func parseTech(s string) (tech, error) {
	for t := range numTech {
		if t.String() == s {
			return t, nil
		}
	}
	return 0, fmt.Errorf("unknown technology %q (want iamrole, iamuser, iamgroup, policy, s3 or securitygroup)", s)
}

var errUnknownAccount = errors.New("unknown account")

// techState is the compact mutable state of one technology in one account.
// Resources are pure functions of (seed, account, technology, index,
// mutation generation); only deviations from the generated state are stored,
// so 100,000 items cost a few integers.
type techState struct {
	n       int              // indices [0, n) were generated (initial Items + created)
	deleted map[int]struct{} // deleted indices
	gen     map[int]int      // mutation generation of mutated indices
	cursor  int              // next index considered by Mutate
}

func (t *techState) exists(i int) bool {
	if i < 0 || i >= t.n {
		return false
	}
	_, del := t.deleted[i]
	return !del
}

func (t *techState) generation(i int) int { return t.gen[i] }

func (t *techState) live() int { return t.n - len(t.deleted) }

type account struct {
	idx   int
	id    string
	techs [numTech]techState
	trust [5]string // escaped trust policies of the five role kinds
	// credReport is when GenerateCredentialReport was last called (zero: never).
	credReport time.Time
}

func newAccount(idx int, id string, items int, per map[string]int) *account {
	a := &account{idx: idx, id: id}
	for t := range numTech {
		n := items
		if v, ok := per[t.String()]; ok {
			n = v
		}
		a.techs[t] = techState{n: n, deleted: map[int]struct{}{}, gen: map[int]int{}}
	}
	return a
}

func (s *Server) account(id string) (*account, error) {
	a := s.byID[id]
	if a == nil {
		return nil, fmt.Errorf("account %q: %w", id, errUnknownAccount)
	}
	return a, nil
}

// Mutate makes a durable change to count existing items of technology tc in
// account acct and returns their ARNs. Items are chosen in index order from a
// per-technology cursor that wraps around, so repeated calls walk through all
// items. The change per technology: iamrole → tag "sim:mutation" = generation;
// iamuser and iamgroup → one more inline policy statement; policy → a new
// default policy version; s3 → tag "sim:mutation" and versioning toggled;
// securitygroup → one more ingress rule.
func (s *Server) Mutate(acct, tc string, count int) ([]string, error) {
	return s.change(acct, tc, count, func(a *account, t tech, ts *techState, count int) []int {
		var picked []int
		for scanned := 0; len(picked) < count && scanned < ts.n; scanned++ {
			i := ts.cursor % ts.n
			ts.cursor = i + 1
			if ts.exists(i) {
				ts.gen[i]++
				picked = append(picked, i)
			}
		}
		return picked
	})
}

// Delete removes the count live items with the highest indices (the most
// recently created first) and returns their ARNs.
func (s *Server) Delete(acct, tc string, count int) ([]string, error) {
	return s.change(acct, tc, count, func(a *account, t tech, ts *techState, count int) []int {
		var picked []int
		for i := ts.n - 1; i >= 0 && len(picked) < count; i-- {
			if ts.exists(i) {
				picked = append(picked, i)
				ts.deleted[i] = struct{}{}
			}
		}
		return picked
	})
}

// Create adds count new items (new indices) and returns their ARNs.
func (s *Server) Create(acct, tc string, count int) ([]string, error) {
	return s.change(acct, tc, count, func(a *account, t tech, ts *techState, count int) []int {
		picked := make([]int, count)
		for k := range picked {
			picked[k] = ts.n + k
		}
		ts.n += count
		return picked
	})
}

func (s *Server) change(acct, tc string, count int, pick func(*account, tech, *techState, int) []int) ([]string, error) {
	a, err := s.account(acct)
	if err != nil {
		return nil, err
	}
	t, err := parseTech(tc)
	if err != nil {
		return nil, err
	}
	if count < 0 || count > 1_000_000 {
		return nil, fmt.Errorf("count %d: want 0..1000000", count)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ts := &a.techs[t]
	idx := pick(a, t, ts, count)
	arns := make([]string, len(idx))
	for k, i := range idx {
		arns[k] = s.itemARN(a, t, i)
	}
	return arns, nil
}

func (s *Server) itemARN(a *account, t tech, i int) string {
	switch t {
	case techRole:
		return s.roleARN(a, i)
	case techUser:
		return s.userARN(a, i)
	case techGroup:
		return s.groupARN(a, i)
	case techPolicy:
		return s.policyARN(a, i)
	case techS3:
		return "arn:aws:s3:::" + s.bucketName(a, i)
	case techSG:
		return fmt.Sprintf("arn:aws:ec2:%s:%s:security-group/%s", s.sgRegion(i), a.id, s.sgID(a.idx, i))
	}
	return ""
}

// ---- deterministic ids ----

// mix is splitmix64 over a sequence of values.
func mix(vals ...uint64) uint64 {
	h := uint64(0x9e3779b97f4a7c15)
	for _, v := range vals {
		h ^= v
		h += 0x9e3779b97f4a7c15
		z := h
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
		z = (z ^ (z >> 27)) * 0x94d049bb133111eb
		h = z ^ (z >> 31)
	}
	return h
}

func (s *Server) h(vals ...uint64) uint64 {
	return mix(append([]uint64{uint64(s.opts.Seed)}, vals...)...)
}

func (s *Server) accountID(i int) string {
	return fmt.Sprintf("%012d", 100_000_000_000+s.h(0xacc, uint64(i))%900_000_000_000)
}

const hexDigits = "0123456789abcdef"
const b32Digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

// idString renders n digits of alphabet from h (rehashing as needed).
func idString(h uint64, n int, alphabet string) string {
	b := make([]byte, n)
	base := uint64(len(alphabet))
	for k := range b {
		if k > 0 && k%12 == 0 {
			h = mix(h)
		}
		b[k] = alphabet[h%base]
		h /= base
	}
	return string(b)
}

// seedEpoch is the fixed creation epoch: a day in 2019 chosen by the seed.
func seedEpoch(seed int64) time.Time {
	d := mix(uint64(seed), 0xe90c) % 365
	return time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(d))
}

// Technologies returns the indexes of the technologies the simulator
// serves, sorted.
func Technologies() []string {
	out := make([]string, 0, int(numTech))
	for t := range numTech {
		out = append(out, t.String())
	}
	slices.Sort(out)
	return out
}
