package alb_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/audit"
	"github.com/secmonkey/monkey/internal/audit/audittest"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/tech/alb"
)

var I = audittest.I

func TestConformance(t *testing.T) {
	t.Parallel()
	audittest.Run(t, alb.NewAuditor())
}

func check(t *testing.T, only, cfg string, want ...audittest.Issue) {
	t.Helper()
	fs := alb.NewAuditor().Audit(audit.Item{Account: audittest.Prod, Config: audittest.Config(t, cfg)},
		&audit.Env{Context: audittest.Context(t), Only: map[string]bool{only: true}})
	audittest.Expect(t, fs, want...)
}

func TestAttributes(t *testing.T) {
	t.Parallel()
	attrs := func(kv ...string) string {
		s := `{"Attributes":[`
		for i := 0; i < len(kv); i += 2 {
			if i > 0 {
				s += ","
			}
			s += `{"Key":"` + kv[i] + `","Value":"` + kv[i+1] + `"}`
		}
		return s + `]}`
	}
	logs := I("Recommendation", 1, "Enable access logs")
	protect := I("Recommendation", 1, "Enable deletion protection")
	check(t, "alb.logging", attrs("access_logs.s3.enabled", "false", "deletion_protection.enabled", "false"), logs)
	check(t, "alb.logging", attrs("access_logs.s3.enabled", "true"))
	check(t, "alb.logging", attrs("deletion_protection.enabled", "false"))                              // key absent
	check(t, "alb.logging", attrs("access_logs.s3.enabled", "true", "access_logs.s3.enabled", "false")) // the first one counts
	check(t, "alb.deletion_protection", attrs("access_logs.s3.enabled", "false", "deletion_protection.enabled", "false"), protect)
	check(t, "alb.deletion_protection", attrs("deletion_protection.enabled", "true"))
	check(t, "alb.deletion_protection", `{}`)
}

func TestSSLPolicy(t *testing.T) {
	t.Parallel()
	cfg := `{"Listeners":[
		{"Protocol":"HTTPS","Port":443,"SslPolicy":"ELBSecurityPolicy-TLS-1-0-2015-04"},
		{"Protocol":"HTTPS","Port":8443,"SslPolicy":"ELBSecurityPolicy-TLS13-1-2-2021-06"},
		{"Protocol":"TLS","Port":9443,"SslPolicy":"ELBSecurityPolicy-2016-08"},
		{"Protocol":"HTTPS","Port":10443,"SslPolicy":"ELBSecurityPolicy-2015-05"},
		{"Protocol":"HTTPS","Port":11443,"SslPolicy":"ELBSecurityPolicy-TLS-1-1-2017-01"},
		{"Protocol":"HTTPS","Port":12443,"SslPolicy":"ELBSecurityPolicy-TLS-1-2-2017-01"},
		{"Protocol":"HTTP","Port":80,"SslPolicy":""},
		{"Protocol":"HTTP","Port":8080}]}`
	check(t, "alb.ssl_policy", cfg,
		I("Insecure TLS", 5, "Policy: [ELBSecurityPolicy-TLS-1-0-2015-04] Port: [443] Reason: [Weak cipher (DES-CBC3-SHA) for Windows XP support] CVE: [SWEET32 CVE-2016-2183]"),
		I("Insecure TLS", 10, "Policy: [ELBSecurityPolicy-TLS13-1-2-2021-06] Port: [8443] Reason: [Unknown reference policy]"))
}

func issue(text string, score int, access string) monkey.Issue {
	n := "Entity: [cidr:0.0.0.0/0] Access: [" + access + "]"
	return monkey.Issue{Text: text, Score: score, Notes: &n}
}

func TestInternetFacing(t *testing.T) {
	t.Parallel()
	support := []audit.Item{
		{ID: 31, Config: monkey.Config{"id": "sg-web"}, Issues: []monkey.Issue{
			issue("Internet Accessible", 10, "ingress:tcp:443"), issue("Internet Accessible", 10, "ingress:tcp:80"),
			issue("Unknown Access", 10, "ingress:tcp:8443"), issue("Internet Accessible", 10, "egress:all_protocols:all_ports")}},
		{ID: 32, Config: monkey.Config{"id": "sg-udp"}, Issues: []monkey.Issue{issue("Internet Accessible", 10, "ingress:udp:53")}},
	}
	lb := func(scheme string) string {
		return `{"Scheme":"` + scheme + `","SecurityGroups":["sg-web","sg-udp"],"Listeners":[
			{"Protocol":"HTTPS","Port":443},{"Protocol":"HTTP","Port":80},{"Protocol":"UDP","Port":53},{"Protocol":"TLS","Port":8443}]}`
	}
	a := alb.NewAuditor()
	env := &audit.Env{Context: audittest.Context(t), Support: map[string][]audit.Item{"securitygroup": support}}
	fs := a.Audit(audit.Item{Account: audittest.Prod, Config: audittest.Config(t, lb("internet-facing"))}, env)
	require.Equal(t, []audit.Finding{
		{Text: "Internet Accessible", Score: 10, LinkedItemIDs: []int64{31, 32}},
	}, fs, "443 and 80 match TCP, 53 matches UDP; TLS 8443 never matches a tcp rule")
	fs = a.Audit(audit.Item{Account: audittest.Prod, Config: audittest.Config(t, lb("internal"))}, env)
	require.Empty(t, fs)
}
