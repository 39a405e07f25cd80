package securitygroup

import (
	"net/netip"
	"strings"

	"github.com/secmonkey/monkey/internal/audit"
)

// Class is the reference auditor class.
const Class = "SecurityGroupAuditor"

// Auditor audits EC2 security groups (auditors.md §5.7).
type Auditor struct{ *audit.Checker }

// NewAuditor builds the auditor (it needs no catalogue).
func NewAuditor() *Auditor {
	checks := []audit.Check{
		{Method: "check_securitygroup_ec2_rfc1918", Run: func(r *audit.Run) {
			cfg := map[string]any(r.Item.Config)
			if audit.Truthy(cfg["vpc_id"]) {
				return
			}
			m := audit.SGMultiplier(r.Ctx, cfg)
			for _, rule := range rules(r) {
				c, _ := rule["cidr_ip"].(string)
				if isRFC1918(c) {
					r.AddIssue(5*m, "Non-VPC Security Group contains private RFC-1918 CIDR", audit.Str(c), nil)
				}
			}
		}},
		internet("check_internet_accessible_ingress", "ingress"),
		internet("check_internet_accessible_egress", "egress"),
		cross("check_friendly_cross_account_ingress", "ingress", audit.Friendly),
		cross("check_friendly_cross_account_egress", "egress", audit.Friendly),
		cross("check_thirdparty_cross_account_ingress", "ingress", audit.ThirdParty),
		cross("check_thirdparty_cross_account_egress", "egress", audit.ThirdParty),
		cross("check_unknown_cross_account_ingress", "ingress", audit.Unknown),
		cross("check_unknown_cross_account_egress", "egress", audit.Unknown),
	}
	return &Auditor{audit.NewChecker(Technology.Index, Class, nil, false, checks...)}
}

func rules(r *audit.Run) []map[string]any {
	list, _ := map[string]any(r.Item.Config)["rules"].([]any)
	out := make([]map[string]any, 0, len(list))
	for _, e := range list {
		if m, ok := e.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// Access renders "<direction>:<protocol>:<ports>" of a rule.
func Access(rule map[string]any) string {
	dir := audit.PyRepr(rule["rule_type"])
	proto := audit.PyRepr(rule["ip_protocol"])
	if proto == "-1" {
		return dir + ":all_protocols:all_ports"
	}
	from, to := audit.PyRepr(rule["from_port"]), audit.PyRepr(rule["to_port"])
	ports := from
	if from != to {
		ports = from + "-" + to
	}
	return dir + ":" + proto + ":" + ports
}

var rfc1918 = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
}

func isRFC1918(c string) bool {
	var p netip.Prefix
	if strings.Contains(c, "/") {
		x, err := netip.ParsePrefix(c)
		if err != nil {
			return false
		}
		p = x.Masked()
	} else {
		a, err := netip.ParseAddr(c)
		if err != nil {
			return false
		}
		p = netip.PrefixFrom(a, a.BitLen())
	}
	if !p.Addr().Is4() {
		return false
	}
	for _, n := range rfc1918 {
		if n.Bits() <= p.Bits() && n.Contains(p.Addr()) {
			return true
		}
	}
	return false
}

func internet(method, dir string) audit.Check {
	return audit.Check{Method: method, Run: func(r *audit.Run) {
		m := audit.SGMultiplier(r.Ctx, map[string]any(r.Item.Config))
		for _, rule := range rules(r) {
			if t, _ := rule["rule_type"].(string); t != dir {
				continue
			}
			c, _ := rule["cidr_ip"].(string)
			if strings.HasSuffix(c, "/0") {
				e := audit.Entity{Category: "cidr", Value: c}
				r.AddIssue(10*m, "Internet Accessible", audit.Str(audit.AccessNotes(e, Access(rule))), nil)
			}
		}
	}}
}

func cross(method, dir string, want audit.Labels) audit.Check {
	return audit.Check{Method: method, Run: func(r *audit.Run) {
		for _, rule := range rules(r) {
			if t, _ := rule["rule_type"].(string); t != dir {
				continue
			}
			var ents []audit.Entity
			if audit.Truthy(rule["owner_id"]) {
				ents = append(ents, audit.Entity{Category: "security_group", Value: audit.PyRepr(rule["owner_id"]) + "/" + audit.PyRepr(rule["group_id"])})
			}
			if audit.Truthy(rule["cidr_ip"]) {
				if c := audit.PyRepr(rule["cidr_ip"]); !strings.Contains(c, "/0") {
					ents = append(ents, audit.Entity{Category: "cidr", Value: c})
				}
			}
			for _, e := range ents {
				if !r.Inspect(&e).Has(want) {
					continue
				}
				n := audit.AccessNotes(e, Access(rule))
				switch want {
				case audit.Friendly:
					r.RecordFriendly(n)
				case audit.ThirdParty:
					r.RecordThirdParty(n)
				default:
					r.RecordUnknown(n)
				}
			}
		}
	}}
}
