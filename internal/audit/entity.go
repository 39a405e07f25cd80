package audit

import (
	"net/netip"
	"strings"

	"github.com/secmonkey/monkey/internal/policy"
)

// Labels is a set of account classifications (auditors.md §2.4).
type Labels uint8

// Classification labels.
const (
	Same Labels = 1 << iota
	Friendly
	ThirdParty
	Unknown
)

// Has reports whether l contains any label of m.
func (l Labels) Has(m Labels) bool { return l&m != 0 }

// Entity is something that has access: a category and a value, optionally
// labelled with an account for rendering.
type Entity struct {
	Category    string
	Value       string
	AccountID   string
	AccountName string
	labelled    bool
}

// String renders the entity (§2.5).
func (e Entity) String() string {
	if e.labelled && (e.AccountID != "" || e.AccountName != "") {
		return "Account: [" + e.AccountID + "/" + e.AccountName + "] Entity: [" + e.Category + ":" + e.Value + "]"
	}
	return "Entity: [" + e.Category + ":" + e.Value + "]"
}

// Label sets the account label of the entity.
func (e *Entity) Label(id, name string) {
	e.AccountID, e.AccountName, e.labelled = id, name, true
}

// classifyAccount is the account table of §2.4, labelling e when the
// account is described.
func (r *Run) classifyAccount(e *Entity, a string, null bool) Labels {
	if !null {
		if info, ok := r.Ctx.Account(a); ok {
			e.Label(info.Identifier, info.Name)
		}
	}
	switch {
	case null:
		return Unknown
	case a == WhitelistAccount:
		return Same
	case a == r.Item.Account.Identifier:
		return Same
	case r.Ctx.friendly[a]:
		return Friendly
	case r.Ctx.third[a]:
		return ThirdParty
	}
	return Unknown
}

func (r *Run) classifyAll(e *Entity, accts []string) Labels {
	if len(accts) == 0 {
		return Unknown
	}
	var l Labels
	for _, a := range accts {
		l |= r.classifyAccount(e, a, false)
	}
	return l
}

// Inspect classifies an entity (inspect_entity, §2.4). It may label e, may
// rewrite a security_group value and may record a Parse Error issue.
func (r *Run) Inspect(e *Entity) Labels {
	switch e.Category {
	case "principal", "arn":
		if e.Value == "*" {
			return Unknown
		}
		a, err := policy.ParseARN(e.Value)
		if err != nil {
			n := "Could not parse ARN - " + e.Value
			r.AddIssue(3, "Parse Error", &n, nil)
			return Unknown
		}
		if a.Service == "s3" {
			return r.classifyAll(e, r.Ctx.s3[a.Resource])
		}
		return r.classifyAccount(e, a.Account, a.Account == "")
	case "account":
		return r.classifyAccount(e, e.Value, false)
	case "security_group":
		owner, id, _ := strings.Cut(e.Value, "/")
		e.Value = id
		return r.classifyAccount(e, owner, false)
	case "userid":
		id, _, _ := strings.Cut(e.Value, ":")
		return r.classifyAll(e, r.Ctx.userid[id])
	case "cidr":
		p, ok := parseNet(e.Value)
		if !ok {
			return Unknown
		}
		var l Labels
		found := false
		for _, n := range r.Ctx.cidrs {
			if containsNet(n.net, p) {
				found = true
				for _, a := range n.accounts {
					l |= r.classifyAccount(e, a, false)
				}
			}
		}
		if !found {
			return Unknown
		}
		return l
	case "vpc":
		return r.classifyAll(e, r.Ctx.vpc[e.Value])
	case "vpce":
		return r.classifyAll(e, r.Ctx.vpce[e.Value])
	}
	return 0
}

func containsNet(outer, inner netip.Prefix) bool {
	return outer.Addr().BitLen() == inner.Addr().BitLen() && outer.Bits() <= inner.Bits() && outer.Contains(inner.Addr())
}

var rfc1918 = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
}

// IsRFC1918 reports whether cidr (a network or an address) is an IPv4
// network inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16 (host bits
// ignored); anything unparsable is not.
func IsRFC1918(cidr string) bool {
	p, ok := parseNet(cidr)
	if !ok || !p.Addr().Is4() {
		return false
	}
	for _, n := range rfc1918 {
		if containsNet(n, p) {
			return true
		}
	}
	return false
}
