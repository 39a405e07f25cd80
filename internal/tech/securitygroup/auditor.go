package securitygroup

import (
	"slices"
	"strings"

	"github.com/secmonkey/monkey/internal/audit"
	"github.com/secmonkey/monkey/internal/tech"
)

// Class is the reference auditor class.
const Class = "SecurityGroupAuditor"

// Auditor audits EC2 security groups (auditors.md §5.7).
type Auditor struct{ *audit.Checker }

// NewAuditor builds the auditor. Its scores depend on
// SECURITYGROUP_INSTANCE_DETAIL (the multiplier of auditors.md §2.12).
func NewAuditor(settings tech.Settings) *Auditor {
	detail, _ := settings.Get(InstanceDetail.Name)
	mult := func(cfg map[string]any) int { return Multiplier(detail, cfg) }
	checks := []audit.Check{
		{Method: "check_securitygroup_ec2_rfc1918", Run: func(r *audit.Run) {
			cfg := map[string]any(r.Item.Config)
			if audit.Truthy(cfg["vpc_id"]) {
				return
			}
			m := mult(cfg)
			for _, rule := range rules(r) {
				c, _ := rule["cidr_ip"].(string)
				if audit.IsRFC1918(c) {
					r.AddIssue(5*m, "Non-VPC Security Group contains private RFC-1918 CIDR", audit.Str(c), nil)
				}
			}
		}},
		internet("check_internet_accessible_ingress", "ingress", mult),
		internet("check_internet_accessible_egress", "egress", mult),
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

func internet(method, dir string, mult func(map[string]any) int) audit.Check {
	return audit.Check{Method: method, Run: func(r *audit.Run) {
		m := mult(map[string]any(r.Item.Config))
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

// Multiplier is the security-group score multiplier of auditors.md §2.12
// for the SECURITYGROUP_INSTANCE_DETAIL value detail ("" when not set).
func Multiplier(detail string, cfg map[string]any) int {
	if (detail == DetailSummary || detail == DetailFull) && !audit.Truthy(cfg["assigned_to"]) {
		return 0
	}
	return 1
}

// LinkField is the only config field LinkListenerIssues reads of the
// support security groups (their issues aside): the auditors that call it
// declare it (audit.Checker.ReadsSupport).
const LinkField = "id"

// LinkListenerIssues links the issues of the item's security groups that
// match its listeners (auditors.md §2.11 step 3): the listener-linked checks
// of load balancers and databases, whose auditors list securitygroup as a
// support technology. groupIDs are the item's security-group ids.
func LinkListenerIssues(r *audit.Run, groupIDs []string, l audit.Listeners) {
	// The groups are found through an index on their id and visited in
	// support order, as a walk over every group would.
	byID := r.Env.SupportByField(Technology.Index, LinkField)
	var at []int
	for _, g := range groupIDs {
		at = append(at, byID[g]...)
	}
	slices.Sort(at)
	at = slices.Compact(at)
	support := r.Env.Support[Technology.Index]
	for _, i := range at {
		sg := support[i]
		for _, i := range sg.Issues {
			// A fixed issue is no finding of the group any more: it links
			// nothing (else a closed rule would keep linking the group's
			// other issues of the same text, e.g. its open egress).
			if !i.Fixed && audit.ListenerMatches(i.Notes, l) {
				r.LinkSupportItemIssues(sg, i.Text, "", -1, i.Score)
			}
		}
	}
}
