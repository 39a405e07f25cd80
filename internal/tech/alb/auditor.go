package alb

import (
	"github.com/secmonkey/monkey/internal/audit"
	"github.com/secmonkey/monkey/internal/tech/securitygroup"
)

// Class is the reference auditor class.
const Class = "ELBv2Auditor"

// Auditor audits ELBv2 load balancers (auditors.md §5.11): an
// internet-facing one takes on the matching issues of its security groups
// (listener-linked, §2.11), access logs, deletion protection and the SSL
// policies of its listeners.
type Auditor struct{ *audit.Checker }

// accepted are the SSL policies the reference accepted.
var accepted = map[string]bool{
	"ELBSecurityPolicy-2016-08": true, "ELBSecurityPolicy-TLS-1-2-2017-01": true, "ELBSecurityPolicy-TLS-1-1-2017-01": true,
	"ELBSecurityPolicy-2015-05": true, "ELBSecurityPolicy-TLS-1-0-2015-04": true,
}

// NewAuditor builds the auditor.
func NewAuditor() *Auditor {
	checks := []audit.Check{
		{Method: "check_internet_facing", Run: func(r *audit.Run) {
			cfg := map[string]any(r.Item.Config)
			if cfg["Scheme"] != "internet-facing" {
				return
			}
			securitygroup.LinkListenerIssues(r, audit.StringList(cfg["SecurityGroups"]), audit.ListenerTable(cfg["Listeners"], "Port"))
		}},
		attribute("check_logging", "access_logs.s3.enabled", "Enable access logs"),
		attribute("check_deletion_protection", "deletion_protection.enabled", "Enable deletion protection"),
		{Method: "check_ssl_policy", Run: func(r *audit.Run) {
			list, _ := r.Item.Config["Listeners"].([]any)
			for _, l := range list {
				p, _ := audit.Get(l, "SslPolicy").(string)
				if p == "" {
					continue
				}
				port := "[" + audit.PyRepr(audit.Get(l, "Port")) + "]"
				notes := "Policy: [" + p + "] Port: " + port + " Reason: "
				switch {
				case p == "ELBSecurityPolicy-TLS-1-0-2015-04":
					r.AddIssue(5, "Insecure TLS", audit.Str(notes+"[Weak cipher (DES-CBC3-SHA) for Windows XP support] CVE: [SWEET32 CVE-2016-2183]"), nil)
				case !accepted[p]:
					r.AddIssue(10, "Insecure TLS", audit.Str(notes+"[Unknown reference policy]"), nil)
				}
			}
		}},
	}
	return &Auditor{audit.NewChecker(Technology.Index, Class, []string{securitygroup.Technology.Index}, false, checks...).
		ReadsSupport(securitygroup.Technology.Index, securitygroup.LinkField)}
}

// attribute reports a Recommendation when the first attribute named key
// has the value "false" (an absent key is nothing).
func attribute(method, key, notes string) audit.Check {
	return audit.Check{Method: method, Run: func(r *audit.Run) {
		list, _ := r.Item.Config["Attributes"].([]any)
		for _, a := range list {
			if audit.Get(a, "Key") == key {
				if audit.Get(a, "Value") == "false" {
					r.AddIssue(1, "Recommendation", audit.Str(notes), nil)
				}
				return
			}
		}
	}}
}
