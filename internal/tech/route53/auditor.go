package route53

import (
	"net/netip"
	"strings"

	"github.com/secmonkey/monkey/internal/audit"
)

// Class is the reference auditor class.
const Class = "Route53Auditor"

// rfc1918 are the private networks of RFC 1918.
var rfc1918 = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
}

// Auditor audits Route 53 record sets (auditors.md §5.24).
type Auditor struct{ *audit.Checker }

// NewAuditor builds the auditor.
func NewAuditor() *Auditor {
	return &Auditor{audit.NewChecker(Technology.Index, Class, nil, false,
		audit.Check{Method: "check_for_public_zone_with_private_records", Run: func(r *audit.Run) {
			if audit.Truthy(r.Item.Config["zoneprivate"]) {
				return // private, or "Unknown" (truthy: skipped, as the reference did)
			}
			records, _ := r.Item.Config["records"].([]any)
			texts := make([]string, len(records))
			private := false
			for k, rec := range records {
				texts[k] = audit.PyRepr(rec)
				private = private || isPrivate(texts[k])
			}
			if private {
				r.AddIssue(1, "Route53 public zone contains private record.", audit.Str(strings.Join(texts, ", ")), nil)
			}
		}},
	)}
}

// isPrivate reports whether a record value names an internal load balancer
// (internal-…) or is an address or network inside an RFC 1918 network.
// Values that are neither an address nor a network are not private.
func isPrivate(v string) bool {
	if strings.HasPrefix(v, "internal-") {
		return true
	}
	var p netip.Prefix
	if addr, err := netip.ParseAddr(v); err == nil {
		p = netip.PrefixFrom(addr, addr.BitLen())
	} else if pre, err := netip.ParsePrefix(v); err == nil {
		p = pre.Masked()
	} else {
		return false
	}
	for _, n := range rfc1918 {
		if p.Addr().Is4() && n.Bits() <= p.Bits() && n.Contains(p.Addr()) {
			return true
		}
	}
	return false
}
