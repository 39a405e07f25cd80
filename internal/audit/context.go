package audit

import (
	"errors"
	"fmt"
	"net/netip"
	"sort"
	"strings"
	"time"

	"github.com/secmonkey/monkey/internal/monkey"
)

// WhitelistAccount is the pseudo-account the network whitelist CIDRs are
// attributed to; it always classifies SAME (auditors.md §2.4).
const WhitelistAccount = "000000000000"

// Known-resource kinds (monkey.KnownResource.Kind).
const (
	KindS3Bucket = "s3_bucket"
	KindUserID   = "userid"
	KindVPC      = "vpc"
	KindVPCE     = "vpce"
	KindCIDR     = "cidr"
)

// AccountInfo is one DESCRIPTIONS entry of the context.
type AccountInfo struct {
	Identifier  string
	Name        string
	ThirdParty  bool
	S3Name      *string // custom field s3_name (nil when absent)
	CanonicalID *string // custom field canonical_id
}

type netEntry struct {
	net      netip.Prefix
	accounts []string
}

// Context is the audit context ("object store", auditors.md §2.3). It is
// independent of the audited account (that comes from Item.Account), so one
// Context serves a whole audit run across accounts. It is immutable after
// construction and safe for concurrent use.
type Context struct {
	friendly map[string]bool
	third    map[string]bool
	accounts []AccountInfo // stored order
	desc     map[string]int
	s3       map[string][]string
	userid   map[string][]string
	vpc      map[string][]string
	vpce     map[string][]string
	cidrs    []netEntry
	// whitelist are the network-whitelist CIDRs as entered, unmerged.
	whitelist []netip.Prefix
	now       time.Time
}

// ContextFromData builds a Context from stored data: every account (friendly
// and third party, active or not), the network whitelist, the known
// resources of stored items of all accounts (Facts output with Account
// filled) and the audit clock. Settings are not part of the context: the
// auditors receive theirs when they are built (internal/tech).
func ContextFromData(accounts []monkey.Account, whitelist []monkey.NetworkWhitelist, known []monkey.KnownResource, now time.Time) (*Context, error) {
	c := &Context{
		friendly: map[string]bool{},
		third:    map[string]bool{},
		desc:     map[string]int{},
		s3:       map[string][]string{},
		userid:   map[string][]string{},
		vpc:      map[string][]string{},
		vpce:     map[string][]string{},
		now:      now,
	}
	for _, a := range accounts {
		info := AccountInfo{Identifier: a.Identifier, Name: a.Name, ThirdParty: a.ThirdParty}
		if v, ok := a.Custom[monkey.FieldS3Name]; ok {
			info.S3Name = &v
		}
		if v, ok := a.Custom[monkey.FieldCanonicalID]; ok {
			info.CanonicalID = &v
		}
		c.addAccount(info)
	}
	cidrs := map[string][]netip.Prefix{}
	var errs []error
	for _, w := range whitelist {
		p, ok := parseNet(w.CIDR)
		if !ok {
			errs = append(errs, fmt.Errorf("network whitelist %q: invalid cidr %q", w.Name, w.CIDR))
			continue
		}
		cidrs[WhitelistAccount] = append(cidrs[WhitelistAccount], p)
		c.whitelist = append(c.whitelist, p)
	}
	for _, k := range known {
		if k.Value == "" {
			continue
		}
		switch k.Kind {
		case KindS3Bucket:
			c.s3[k.Value] = addUniq(c.s3[k.Value], k.Account)
		case KindUserID:
			c.userid[k.Value] = addUniq(c.userid[k.Value], k.Account)
		case KindVPC:
			c.vpc[k.Value] = addUniq(c.vpc[k.Value], k.Account)
		case KindVPCE:
			c.vpce[k.Value] = addUniq(c.vpce[k.Value], k.Account)
		case KindCIDR:
			if p, ok := parseNet(k.Value); ok { // garbage in item configs is skipped
				cidrs[k.Account] = append(cidrs[k.Account], p)
			}
		}
	}
	c.cidrs = buildCIDRTable(cidrs)
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return c, nil
}

// NewContext builds a Context from its portable form (audit-file --context).
// The audited account (AccountNumber) is added as a friendly account. AWS
// owned accounts are not added here (see RunFile and AWSAccounts).
func NewContext(in ContextInput) (*Context, error) {
	var accounts []monkey.Account
	if in.AccountNumber != "" {
		accounts = append(accounts, monkey.Account{Type: "AWS", Identifier: in.AccountNumber, Name: in.AccountName})
	}
	add := func(refs []AccountRef, third bool) {
		for _, r := range refs {
			a := monkey.Account{Type: "AWS", Identifier: r.ID, Name: r.Name, ThirdParty: third, Custom: map[string]string{}}
			if r.S3Name != "" {
				a.Custom[monkey.FieldS3Name] = r.S3Name
			}
			if r.CanonicalID != "" {
				a.Custom[monkey.FieldCanonicalID] = r.CanonicalID
			}
			accounts = append(accounts, a)
		}
	}
	add(in.FriendlyAccounts, false)
	add(in.ThirdPartyAccounts, true)
	wl := make([]monkey.NetworkWhitelist, 0, len(in.NetworkWhitelist))
	for _, w := range in.NetworkWhitelist {
		wl = append(wl, monkey.NetworkWhitelist{Name: w.Name, CIDR: w.CIDR})
	}
	for _, k := range in.KnownResources {
		switch k.Kind {
		case KindS3Bucket, KindUserID, KindVPC, KindVPCE, KindCIDR:
		default:
			return nil, fmt.Errorf("known resource %q: unknown kind %q (want s3_bucket|userid|vpc|vpce|cidr)", k.Value, k.Kind)
		}
	}
	now := time.Now().UTC()
	if in.Now != nil {
		now = *in.Now
	}
	return ContextFromData(accounts, wl, in.KnownResources, now)
}

func (c *Context) addAccount(info AccountInfo) {
	if info.ThirdParty {
		c.third[info.Identifier] = true
	} else {
		c.friendly[info.Identifier] = true
	}
	if i, ok := c.desc[info.Identifier]; ok {
		c.accounts[i] = info
		return
	}
	c.desc[info.Identifier] = len(c.accounts)
	c.accounts = append(c.accounts, info)
}

// Whitelisted reports whether the network cidr (an address is a /32 or
// /128; host bits ignored) lies inside one network-whitelist entry. An
// invalid cidr is inside none. The checks that read the whitelist directly
// (RDSSecurityGroupAuditor, auditors.md §5.9) use it instead of the merged
// CIDR table of §2.3.
func (c *Context) Whitelisted(cidr string) bool {
	p, ok := parseNet(cidr)
	if !ok {
		return false
	}
	for _, w := range c.whitelist {
		if containsNet(w, p) {
			return true
		}
	}
	return false
}

// Now is the audit clock.
func (c *Context) Now() time.Time { return c.now }

// Accounts returns the DESCRIPTIONS entries in stored order (read-only).
func (c *Context) Accounts() []AccountInfo { return c.accounts }

// Account returns the description of an account identifier.
func (c *Context) Account(id string) (AccountInfo, bool) {
	i, ok := c.desc[id]
	if !ok {
		return AccountInfo{}, false
	}
	return c.accounts[i], true
}

func addUniq(list []string, s string) []string {
	for _, e := range list {
		if e == s {
			return list
		}
	}
	return append(list, s)
}

// parseNet parses a CIDR or bare address (a /32 or /128), ignoring host bits.
func parseNet(s string) (netip.Prefix, bool) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, false
		}
		return p.Masked(), true
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, false
	}
	a = a.WithZone("")
	return netip.PrefixFrom(a, a.BitLen()), true
}

// MergeCIDRs reduces networks to the minimal covering list (netaddr
// cidr_merge): overlapping and adjacent networks coalesce. IPv4 sorts first.
func MergeCIDRs(in []netip.Prefix) []netip.Prefix {
	ps := make([]netip.Prefix, 0, len(in))
	for _, p := range in {
		if p.IsValid() {
			ps = append(ps, p.Masked())
		}
	}
	for {
		sortPrefixes(ps)
		// drop networks contained in the previous kept one
		var out []netip.Prefix
		for _, p := range ps {
			if len(out) > 0 {
				last := out[len(out)-1]
				if last.Addr().BitLen() == p.Addr().BitLen() && last.Bits() <= p.Bits() && last.Contains(p.Addr()) {
					continue
				}
			}
			out = append(out, p)
		}
		// join sibling pairs
		changed := false
		var joined []netip.Prefix
		for i := 0; i < len(out); i++ {
			if i+1 < len(out) && out[i].Bits() == out[i+1].Bits() && out[i].Bits() > 0 &&
				out[i].Addr().BitLen() == out[i+1].Addr().BitLen() {
				parent, _ := out[i].Addr().Prefix(out[i].Bits() - 1)
				if parent.Addr() == out[i].Addr() {
					if p2, _ := out[i+1].Addr().Prefix(out[i].Bits() - 1); p2 == parent {
						joined = append(joined, parent)
						i++
						changed = true
						continue
					}
				}
			}
			joined = append(joined, out[i])
		}
		ps = joined
		if !changed {
			return ps
		}
	}
}

func sortPrefixes(ps []netip.Prefix) {
	sort.Slice(ps, func(i, j int) bool {
		a, b := ps[i], ps[j]
		if a.Addr().BitLen() != b.Addr().BitLen() {
			return a.Addr().BitLen() < b.Addr().BitLen()
		}
		if c := a.Addr().Compare(b.Addr()); c != 0 {
			return c < 0
		}
		return a.Bits() < b.Bits()
	})
}

func buildCIDRTable(per map[string][]netip.Prefix) []netEntry {
	idx := map[netip.Prefix]int{}
	var out []netEntry
	accts := make([]string, 0, len(per))
	for a := range per {
		accts = append(accts, a)
	}
	sort.Strings(accts)
	for _, a := range accts {
		for _, p := range MergeCIDRs(per[a]) {
			i, ok := idx[p]
			if !ok {
				i = len(out)
				idx[p] = i
				out = append(out, netEntry{net: p})
			}
			out[i].accounts = addUniq(out[i].accounts, a)
		}
	}
	return out
}
