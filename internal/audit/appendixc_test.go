package audit_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/audit"
	"github.com/secmonkey/monkey/internal/audit/audittest"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/tech"
	"github.com/secmonkey/monkey/internal/tech/securitygroup"
)

// Appendix C, second half: an internet-facing VPC ELB using the group with
// listeners HTTPS 443 and TCP 22 gets one linked Internet Accessible (10,
// notes null): the ingress 22 issue matches the TCP 22 listener, the egress
// issue never matches.
func TestAppendixCListenerLink(t *testing.T) {
	t.Parallel()
	ctx := audittest.Context(t)
	sgCfg := audittest.Config(t, `{"id":"sg-1","vpc_id":"vpc-1","assigned_to":[{"instance_id":"i-1"}],"rules":[
		{"rule_type":"ingress","ip_protocol":"tcp","from_port":22,"to_port":22,"cidr_ip":"0.0.0.0/0"},
		{"rule_type":"ingress","ip_protocol":"tcp","from_port":443,"to_port":443,"cidr_ip":"198.51.100.0/24"},
		{"rule_type":"ingress","ip_protocol":"tcp","from_port":5432,"to_port":5432,"cidr_ip":null,"owner_id":"444455556666","group_id":"sg-0aa"},
		{"rule_type":"egress","ip_protocol":"-1","from_port":null,"to_port":null,"cidr_ip":"0.0.0.0/0"}]}`)
	sgFindings := securitygroup.NewAuditor(tech.Settings{"SECURITYGROUP_INSTANCE_DETAIL": "FULL"}).Audit(audit.Item{ID: 7, Account: audittest.Prod, Config: sgCfg}, &audit.Env{Context: ctx})
	rec := audit.Reconcile(securitygroup.Class, nil, sgFindings)
	require.Len(t, rec.Create, 3)
	var stored []monkey.Issue
	for i, f := range rec.Create {
		stored = append(stored, monkey.Issue{ID: int64(i + 1), AuditorClass: securitygroup.Class, Text: f.Text, Score: f.Score, Notes: f.Notes})
	}
	sg := audit.Item{ID: 7, Account: audittest.Prod, Technology: "securitygroup", Config: sgCfg, Issues: stored}

	elb := audit.NewChecker("elb", "ELBAuditor", []string{"securitygroup"}, false, audit.Check{Method: "check_internet_scheme", Run: func(r *audit.Run) {
		l := audit.Listeners{}
		for _, ld := range []struct {
			proto string
			port  int
		}{{"HTTPS", 443}, {"TCP", 22}} {
			p := ld.proto
			if p == "HTTPS" || p == "HTTP" {
				p = "TCP"
			}
			l.Add(p, ld.port)
		}
		securitygroup.LinkListenerIssues(r, []string{"sg-1"}, l)
	}})
	fs := elb.Audit(audit.Item{Account: audittest.Prod, Config: monkey.Config{}},
		&audit.Env{Context: ctx, Support: map[string][]audit.Item{"securitygroup": {sg}}})
	require.Equal(t, []audit.Finding{{Text: "Internet Accessible", Score: 10, LinkedItemIDs: []int64{7}}}, fs)
}
