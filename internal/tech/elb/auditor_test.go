package elb_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/audit"
	"github.com/secmonkey/monkey/internal/audit/audittest"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/tech"
	"github.com/secmonkey/monkey/internal/tech/elb"
	"github.com/secmonkey/monkey/internal/tech/securitygroup"
)

var I, N = audittest.I, audittest.N

func TestConformance(t *testing.T) {
	t.Parallel()
	audittest.Run(t, elb.NewAuditor())
}

func check(t *testing.T, only, cfg string, want ...audittest.Issue) {
	t.Helper()
	fs := elb.NewAuditor().Audit(audit.Item{Account: audittest.Prod, Config: audittest.Config(t, cfg)},
		&audit.Env{Context: audittest.Context(t), Only: map[string]bool{only: true}})
	audittest.Expect(t, fs, want...)
}

func TestLogging(t *testing.T) {
	t.Parallel()
	for cfg, want := range map[string]bool{
		`{"Attributes":{"AccessLog":{"Enabled":true,"S3BucketName":"logs"}}}`: false,
		`{"Attributes":{"AccessLog":{"Enabled":false}}}`:                      true,
		`{"Attributes":{"AccessLog":{}}}`:                                     true,
		`{"Attributes":{}}`:                                                   true,
		`{}`:                                                                  true,
	} {
		var issues []audittest.Issue
		if want {
			issues = append(issues, I("Recommendation", 1, "Enable access logs"))
		}
		check(t, "elb.logging", cfg, issues...)
	}
}

func TestInternetSchemeClassic(t *testing.T) {
	t.Parallel()
	check(t, "elb.internet_scheme", `{"Scheme":"internet-facing","SecurityGroups":[]}`,
		I("Internet Accessible", 1, "EC2 Classic ELB has internet-facing scheme."))
	check(t, "elb.internet_scheme", `{"Scheme":"internal"}`)
}

// TestInternetSchemeLinked is the ELB of auditors.md Appendix C: an
// internet-facing VPC ELB using the group, listeners HTTPS 443 and TCP 22,
// gets one linked Internet Accessible (10, notes null): the ingress 22 issue
// matches the TCP 22 listener; the egress issue never matches.
func TestInternetSchemeLinked(t *testing.T) {
	t.Parallel()
	ctx := audittest.Context(t)
	sgCfg := audittest.Config(t, `{"id":"sg-1","vpc_id":"vpc-1","assigned_to":[{"instance_id":"i-1"}],"rules":[
		{"rule_type":"ingress","ip_protocol":"tcp","from_port":22,"to_port":22,"cidr_ip":"0.0.0.0/0"},
		{"rule_type":"ingress","ip_protocol":"tcp","from_port":443,"to_port":443,"cidr_ip":"198.51.100.0/24"},
		{"rule_type":"ingress","ip_protocol":"tcp","from_port":5432,"to_port":5432,"cidr_ip":null,"owner_id":"444455556666","group_id":"sg-0aa"},
		{"rule_type":"egress","ip_protocol":"-1","from_port":null,"to_port":null,"cidr_ip":"0.0.0.0/0"}]}`)
	sgItem := audit.Item{ID: 7, Account: audittest.Prod, Technology: "securitygroup", Config: sgCfg}
	for _, f := range securitygroup.NewAuditor(tech.Settings{"SECURITYGROUP_INSTANCE_DETAIL": "FULL"}).Audit(sgItem, &audit.Env{Context: ctx}) {
		sgItem.Issues = append(sgItem.Issues, monkey.Issue{Text: f.Text, Score: f.Score, Notes: f.Notes})
	}
	require.Len(t, sgItem.Issues, 3)
	lb := func(scheme, vpc string) monkey.Config {
		return audittest.Config(t, `{"Scheme":"`+scheme+`","VPCId":`+vpc+`,"SecurityGroups":["sg-1"],"ListenerDescriptions":[
			{"Protocol":"HTTPS","LoadBalancerPort":443,"InstanceProtocol":"HTTP","InstancePort":80,"PolicyNames":[]},
			{"Protocol":"TCP","LoadBalancerPort":22,"InstanceProtocol":"TCP","InstancePort":22,"PolicyNames":[]}],
			"Attributes":{"AccessLog":{"Enabled":false}},"PolicyDescriptions":{}}`)
	}
	env := &audit.Env{Context: ctx, Support: map[string][]audit.Item{"securitygroup": {sgItem}}}
	fs := elb.NewAuditor().Audit(audit.Item{Account: audittest.Prod, Config: lb("internet-facing", `"vpc-1"`)}, env)
	require.Equal(t, []audit.Finding{
		{Text: "Internet Accessible", Score: 10, LinkedItemIDs: []int64{7}},
		{Text: "Recommendation", Score: 1, Notes: audit.Str("Enable access logs")},
	}, fs)
	fs = elb.NewAuditor().Audit(audit.Item{Account: audittest.Prod, Config: lb("internal", `"vpc-1"`)}, env)
	require.Equal(t, []audit.Finding{{Text: "Recommendation", Score: 1, Notes: audit.Str("Enable access logs")}}, fs)
}

// policyELB is an ELB whose listeners on ports name policy, with that
// policy's description.
func policyELB(policy string, ports []string, desc string) string {
	var ls []string
	for _, p := range ports {
		ls = append(ls, `{"Protocol":"HTTPS","LoadBalancerPort":`+p+`,"PolicyNames":["`+policy+`"]}`)
	}
	ls = append(ls, `{"Protocol":"HTTP","LoadBalancerPort":80,"PolicyNames":[]}`)
	return `{"ListenerDescriptions":[` + strings.Join(ls, ",") + `],"PolicyDescriptions":{"` + policy + `":` + desc + `}}`
}

func ref(name string) string {
	return `{"type":"SSLNegotiationPolicyType","protocols":{"sslv2":false,"sslv3":true,"tlsv1":true,"tlsv1_1":false,"tlsv1_2":false},` +
		`"server_defined_cipher_order":false,"reference_security_policy":"` + name + `","supported_ciphers":["RC4-SHA","EXP-RC4-MD5"]}`
}

func TestReferencePolicies(t *testing.T) {
	t.Parallel()
	notes := func(ref, reason string) string {
		return "Policy: [" + ref + "] Port: [443] Reason: [" + reason + "]"
	}
	cve := func(ref, reason, c string) string { return notes(ref, reason) + " CVE: [" + c + "]" }
	for _, tc := range []struct {
		ref  string
		want []audittest.Issue
	}{
		{"ELBSecurityPolicy-2011-08", []audittest.Issue{
			I("Insecure TLS", 10, notes("ELBSecurityPolicy-2011-08", "Vulnerable and deprecated")),
			I("Insecure TLS", 10, notes("ELBSecurityPolicy-2011-08", "Vulnerable to poodlebleed")),
			I("Insecure TLS", 10, notes("ELBSecurityPolicy-2011-08", "Lacks server order cipher preference")),
			I("Insecure TLS", 10, notes("ELBSecurityPolicy-2011-08", "Contains RC4 ciphers (RC4-SHA)")),
			I("Insecure TLS", 5, cve("ELBSecurityPolicy-2011-08", "Weak cipher (DES-CBC3-SHA) for Windows XP support", "SWEET32 CVE-2016-2183"))}},
		{"ELBSecurityPolicy-2014-01", []audittest.Issue{
			I("Insecure TLS", 10, notes("ELBSecurityPolicy-2014-01", "Vulnerable to poodlebleed")),
			I("Insecure TLS", 5, cve("ELBSecurityPolicy-2014-01", "Uses diffie-hellman (DHE-DSS-AES1280SHA)", "LOGJAM CVE-2015-4000")),
			I("Insecure TLS", 10, notes("ELBSecurityPolicy-2014-01", "Contains RC4 ciphers (ECDHE-RSA-RC4-SHA and RC4-SHA)"))}},
		{"ELBSecurityPolicy-2014-10", []audittest.Issue{
			I("Insecure TLS", 10, notes("ELBSecurityPolicy-2014-10", "Contains RC4 ciphers (ECDHE-RSA-RC4-SHA and RC4-SHA)")),
			I("Insecure TLS", 5, cve("ELBSecurityPolicy-2014-10", "Uses diffie-hellman (DHE-DSS-AES1280SHA)", "LOGJAM CVE-2015-4000"))}},
		{"ELBSecurityPolicy-2015-02", []audittest.Issue{
			I("Informational", 0, "ELBSecurityPolicy-2015-02 is not Windows XP compatible"),
			I("Insecure TLS", 5, notes("ELBSecurityPolicy-2015-02", "Uses diffie-hellman (DHE-DSS-AES1280SHA)"))}},
		{"ELBSecurityPolicy-2015-03", []audittest.Issue{
			I("Insecure TLS", 5, cve("ELBSecurityPolicy-2015-03", "Weak cipher (DES-CBC3-SHA) for Windows XP support", "SWEET32 CVE-2016-2183")),
			I("Insecure TLS", 5, cve("ELBSecurityPolicy-2015-03", "Uses diffie-hellman (DHE-DSS-AES1280SHA)", "LOGJAM CVE-2015-4000"))}},
		{"ELBSecurityPolicy-2015-05", []audittest.Issue{
			I("Insecure TLS", 5, cve("ELBSecurityPolicy-2015-05", "Weak cipher (DES-CBC3-SHA) for Windows XP support", "SWEET32 CVE-2016-2183"))}},
		{"ELBSecurityPolicy-2016-08", nil},
		{"ELBSecurityPolicy-TLS-1-1-2017-01", nil},
		{"ELBSecurityPolicy-TLS-1-2-2017-01", nil},
		{"ELBSecurityPolicy-TLS13-1-2-2021-06", []audittest.Issue{
			I("Insecure TLS", 10, notes("ELBSecurityPolicy-TLS13-1-2-2021-06", "Unknown reference policy"))}},
	} {
		t.Run(tc.ref, func(t *testing.T) {
			t.Parallel()
			// A reference policy is judged by its name alone: the protocols and
			// ciphers of the description do not add custom-policy issues.
			check(t, "elb.listener_reference_policy", policyELB("my-policy", []string{"443"}, ref(tc.ref)), tc.want...)
		})
	}
}

func TestCustomPolicy(t *testing.T) {
	t.Parallel()
	notes := func(reason string) string { return "Policy: [legacy-tls] Port: [443, 8443] Reason: [" + reason + "]" }
	desc := `{"type":"SSLNegotiationPolicyType","protocols":{"sslv2":true,"sslv3":true,"tlsv1":true,"tlsv1_1":false,"tlsv1_2":true},` +
		`"server_defined_cipher_order":false,"reference_security_policy":null,` +
		`"supported_ciphers":["ECDHE-RSA-AES128-GCM-SHA256","EXP-RC4-MD5","PSK-RC4-SHA","RC4-SHA","DES-CBC3-SHA"]}`
	check(t, "elb.listener_reference_policy", policyELB("legacy-tls", []string{"443", "8443"}, desc),
		I("Insecure TLS", 8, notes("Custom listener policies discouraged")),
		I("Insecure TLS", 10, notes("SSLv2 is enabled")),
		I("Insecure TLS", 10, notes("SSLv3 is enabled")),
		I("Insecure TLS", 10, notes("Server defined cipher order is disabled")),
		I("Insecure TLS", 10, notes("Export grade cipher (EXP-RC4-MD5)")+" CVE: [FREAK CVE-2015-0204]"),
		I("Insecure TLS", 10, notes("Deprecated cipher (PSK-RC4-SHA)")),
		I("Insecure TLS", 10, notes("Cipher not recommended (RC4-SHA)")),
		I("Insecure TLS", 10, notes("Cipher not recommended (DES-CBC3-SHA)")))

	// Secure custom policy: absent cipher order counts for nothing; ports [] when
	// no listener names the policy; other policy types are skipped.
	check(t, "elb.listener_reference_policy",
		`{"ListenerDescriptions":[{"Protocol":"HTTP","LoadBalancerPort":80,"PolicyNames":["sticky"]}],"PolicyDescriptions":{
			"unused":{"type":"SSLNegotiationPolicyType","protocols":{"sslv2":false,"sslv3":false},"reference_security_policy":null,"supported_ciphers":["ECDHE-RSA-AES128-GCM-SHA256"]},
			"sticky":{"type":"LBCookieStickinessPolicyType"}}}`,
		I("Insecure TLS", 8, "Policy: [unused] Port: [] Reason: [Custom listener policies discouraged]"))
}

func TestOverride(t *testing.T) {
	t.Parallel()
	scores := []monkey.AuditScore{{Technology: "elb", Method: "check_logging (ELBAuditor)", Score: 0}}
	fs := elb.NewAuditor().Audit(audit.Item{Account: audittest.Prod, Config: audittest.Config(t, `{}`)},
		&audit.Env{Context: audittest.Context(t), Scores: scores})
	audittest.Expect(t, fs, I("Recommendation", 0, "Enable access logs"))
}
