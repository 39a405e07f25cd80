package rdsdbcluster

import (
	"github.com/secmonkey/monkey/internal/audit"
	"github.com/secmonkey/monkey/internal/tech/securitygroup"
)

// Class is the reference auditor class.
const Class = "RDSDBClusterAuditor"

// Auditor audits DB clusters (auditors.md §5.13): a cluster takes on the
// issues of its VPC security groups that match its port (listener-linked,
// §2.11). Unlike instances, clusters have no public-access gate.
type Auditor struct{ *audit.Checker }

// NewAuditor builds the auditor.
func NewAuditor() *Auditor {
	check := audit.Check{Method: "check_internet_accessible", Run: func(r *audit.Run) {
		cfg := map[string]any(r.Item.Config)
		l := audit.Listeners{}
		if port, ok := audit.Int(cfg["port"]); ok {
			l.Add("TCP", port)
		}
		securitygroup.LinkListenerIssues(r, audit.Strings(cfg["vpc_security_groups"], "VpcSecurityGroupId"), l)
	}}
	return &Auditor{audit.NewChecker(Technology.Index, Class, []string{securitygroup.Technology.Index}, false, check).
		ReadsSupport(securitygroup.Technology.Index, securitygroup.LinkField)}
}
