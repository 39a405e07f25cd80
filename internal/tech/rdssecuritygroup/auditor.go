package rdssecuritygroup

import (
	"strconv"
	"strings"

	"github.com/secmonkey/monkey/internal/audit"
)

// Class is the reference auditor class.
const Class = "RDSSecurityGroupAuditor"

// Auditor audits DB security groups (auditors.md §5.9): the CIDRs of
// ip_ranges, against the RFC-1918 networks and the network whitelist (not
// the account context).
type Auditor struct{ *audit.Checker }

// NewAuditor builds the auditor.
func NewAuditor() *Auditor {
	checks := []audit.Check{
		{Method: "check_rds_ec2_rfc1918", Run: func(r *audit.Run) {
			if audit.Truthy(r.Item.Config["vpc_id"]) {
				return
			}
			for _, c := range cidrs(r) {
				if audit.IsRFC1918(c) {
					r.AddIssue(8, "Non-VPC RDS Security Group contains private RFC-1918 CIDR", audit.Str(c), nil)
				}
			}
		}},
		{Method: "check_securitygroup_large_subnet", Run: func(r *audit.Run) {
			for _, c := range cidrs(r) {
				if r.Ctx.Whitelisted(c) {
					continue
				}
				if m, ok := mask(c); ok && m > 0 && m < 24 {
					r.AddIssue(3, "RDS Security Group network larger than /24", audit.Str(c), nil)
				}
			}
		}},
		{Method: "check_securitygroup_zero_subnet", Run: func(r *audit.Run) {
			for _, c := range cidrs(r) {
				if m, ok := mask(c); ok && m == 0 {
					r.AddIssue(10, "RDS Security Group subnet mask is /0", audit.Str(c), nil)
				}
			}
		}},
		exact("check_securitygroup_any", "0.0.0.0/0"),
		exact("check_securitygroup_10net", "10.0.0.0/8"),
	}
	return &Auditor{audit.NewChecker(Technology.Index, Class, nil, false, checks...)}
}

// cidrs are the non-empty cidr_ip values of ip_ranges, in order.
func cidrs(r *audit.Run) []string {
	list, _ := r.Item.Config["ip_ranges"].([]any)
	var out []string
	for _, e := range list {
		if c, _ := audit.Get(e, "cidr_ip").(string); c != "" {
			out = append(out, c)
		}
	}
	return out
}

// mask is the prefix length of a CIDR written with '/', other than exactly
// 0.0.0.0/0 and 10.0.0.0/8 (which their own checks report).
func mask(c string) (int, bool) {
	if c == "0.0.0.0/0" || c == "10.0.0.0/8" {
		return 0, false
	}
	parts := strings.Split(c, "/")
	if len(parts) < 2 {
		return 0, false
	}
	m, err := strconv.Atoi(strings.TrimSpace(parts[1]))
	return m, err == nil
}

// exact reports the first CIDR equal to cidr, once.
func exact(method, cidr string) audit.Check {
	return audit.Check{Method: method, Run: func(r *audit.Run) {
		for _, c := range cidrs(r) {
			if c == cidr {
				r.AddIssue(5, "RDS Security Group contains "+cidr, audit.Str(cidr), nil)
				return
			}
		}
	}}
}
