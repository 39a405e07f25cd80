package elb

import (
	"sort"
	"strings"

	"github.com/secmonkey/monkey/internal/audit"
	"github.com/secmonkey/monkey/internal/tech/securitygroup"
)

// Class is the reference auditor class.
const Class = "ELBAuditor"

// Auditor audits Classic Load Balancers (auditors.md §5.10): the
// internet-facing scheme (EC2-Classic, or linked to the matching issues of
// its security groups), access logs, and the TLS policies of its listeners.
type Auditor struct{ *audit.Checker }

// NewAuditor builds the auditor.
func NewAuditor() *Auditor {
	checks := []audit.Check{
		{Method: "check_internet_scheme", Run: func(r *audit.Run) {
			cfg := map[string]any(r.Item.Config)
			if cfg["Scheme"] != "internet-facing" {
				return
			}
			if !audit.Truthy(cfg["VPCId"]) {
				r.AddIssue(1, "Internet Accessible", audit.Str("EC2 Classic ELB has internet-facing scheme."), nil)
				return
			}
			securitygroup.LinkListenerIssues(r, audit.StringList(cfg["SecurityGroups"]), audit.ListenerTable(cfg["ListenerDescriptions"], "LoadBalancerPort"))
		}},
		{Method: "check_logging", Run: func(r *audit.Run) {
			log := audit.Get(map[string]any(r.Item.Config), "Attributes", "AccessLog")
			if !audit.Truthy(log) || !audit.Truthy(audit.Get(log, "Enabled")) {
				r.AddIssue(1, "Recommendation", audit.Str("Enable access logs"), nil)
			}
		}},
		{Method: "check_listener_reference_policy", Run: referencePolicies},
	}
	return &Auditor{audit.NewChecker(Technology.Index, Class, []string{securitygroup.Technology.Index}, false, checks...).
		ReadsSupport(securitygroup.Technology.Index, securitygroup.LinkField)}
}

// Notes templates of §5.10.
func n1(policy, ports, reason string) string {
	return "Policy: [" + policy + "] Port: " + ports + " Reason: [" + reason + "]"
}

func n2(policy, ports, reason, cve string) string {
	return n1(policy, ports, reason) + " CVE: [" + cve + "]"
}

const (
	sweet32 = "SWEET32 CVE-2016-2183"
	logjam  = "LOGJAM CVE-2015-4000"
	des3    = "Weak cipher (DES-CBC3-SHA) for Windows XP support"
	dhe     = "Uses diffie-hellman (DHE-DSS-AES1280SHA)" // sic: the reference's text
	rc4Both = "Contains RC4 ciphers (ECDHE-RSA-RC4-SHA and RC4-SHA)"
	poodle  = "Vulnerable to poodlebleed"
)

// referencePolicies is check_listener_reference_policy.
func referencePolicies(r *audit.Run) {
	cfg := map[string]any(r.Item.Config)
	ports := map[string][]string{}
	list, _ := cfg["ListenerDescriptions"].([]any)
	for _, ld := range list {
		for _, name := range audit.StringList(audit.Get(ld, "PolicyNames")) {
			ports[name] = append(ports[name], audit.PyRepr(audit.Get(ld, "LoadBalancerPort")))
		}
	}
	policies, _ := cfg["PolicyDescriptions"].(map[string]any)
	names := make([]string, 0, len(policies))
	for n := range policies {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		p := policies[name]
		if audit.Get(p, "type") != "SSLNegotiationPolicyType" {
			continue
		}
		pp := "[" + strings.Join(ports[name], ", ") + "]"
		ref := audit.Get(p, "reference_security_policy")
		if ref == nil {
			customPolicy(r, name, pp, p)
			continue
		}
		refName := audit.PyRepr(ref)
		insecure := func(score int, notes string) { r.AddIssue(score, "Insecure TLS", audit.Str(notes), nil) }
		switch refName {
		case "ELBSecurityPolicy-2011-08":
			insecure(10, n1(refName, pp, "Vulnerable and deprecated"))
			insecure(10, n1(refName, pp, poodle))
			insecure(10, n1(refName, pp, "Lacks server order cipher preference"))
			insecure(10, n1(refName, pp, "Contains RC4 ciphers (RC4-SHA)"))
			insecure(5, n2(refName, pp, des3, sweet32))
		case "ELBSecurityPolicy-2014-01":
			insecure(10, n1(refName, pp, poodle))
			insecure(5, n2(refName, pp, dhe, logjam))
			insecure(10, n1(refName, pp, rc4Both))
		case "ELBSecurityPolicy-2014-10":
			insecure(10, n1(refName, pp, rc4Both))
			insecure(5, n2(refName, pp, dhe, logjam))
		case "ELBSecurityPolicy-2015-02":
			r.AddIssue(0, "Informational", audit.Str("ELBSecurityPolicy-2015-02 is not Windows XP compatible"), nil)
			insecure(5, n1(refName, pp, dhe))
		case "ELBSecurityPolicy-2015-03":
			insecure(5, n2(refName, pp, des3, sweet32))
			insecure(5, n2(refName, pp, dhe, logjam))
		case "ELBSecurityPolicy-2015-05":
			insecure(5, n2(refName, pp, des3, sweet32))
		case "ELBSecurityPolicy-2016-08", "ELBSecurityPolicy-TLS-1-1-2017-01", "ELBSecurityPolicy-TLS-1-2-2017-01":
		default:
			insecure(10, n1(refName, pp, "Unknown reference policy"))
		}
	}
}

// customPolicy checks a policy without reference policy.
func customPolicy(r *audit.Run, name, ports string, p any) {
	insecure := func(notes string) { r.AddIssue(10, "Insecure TLS", audit.Str(notes), nil) }
	r.AddIssue(8, "Insecure TLS", audit.Str(n1(name, ports, "Custom listener policies discouraged")), nil)
	if audit.Truthy(audit.Get(p, "protocols", "sslv2")) {
		insecure(n1(name, ports, "SSLv2 is enabled"))
	}
	if audit.Truthy(audit.Get(p, "protocols", "sslv3")) {
		insecure(n1(name, ports, "SSLv3 is enabled"))
	}
	if v, ok := audit.Get(p, "server_defined_cipher_order").(bool); ok && !v {
		insecure(n1(name, ports, "Server defined cipher order is disabled"))
	}
	ciphers, _ := audit.Get(p, "supported_ciphers").([]any)
	for _, e := range ciphers {
		c, _ := e.(string)
		switch {
		case exportCiphers[c]:
			insecure(n2(name, ports, "Export grade cipher ("+c+")", "FREAK CVE-2015-0204"))
		case deprecatedCiphers[c]:
			insecure(n1(name, ports, "Deprecated cipher ("+c+")"))
		case notRecommendedCiphers[c]:
			insecure(n1(name, ports, "Cipher not recommended ("+c+")"))
		}
	}
}

func set(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// The cipher lists of auditors.md §5.10.
var (
	exportCiphers = set("EXP-EDH-RSA-DES-CBC-SHA", "EXP-EDH-DSS-DES-CBC-SHA", "EXP-ADH-DES-CBC-SHA",
		"EXP-DES-CBC-SHA", "EXP-RC2-CBC-MD5", "EXP-KRB5-RC2-CBC-SHA", "EXP-KRB5-DES-CBC-SHA",
		"EXP-KRB5-RC2-CBC-MD5", "EXP-KRB5-DES-CBC-MD5", "EXP-ADH-RC4-MD5", "EXP-RC4-MD5",
		"EXP-KRB5-RC4-SHA", "EXP-KRB5-RC4-MD5")
	deprecatedCiphers = set("RC2-CBC-MD5", "PSK-AES256-CBC-SHA", "PSK-3DES-EDE-CBC-SHA",
		"KRB5-DES-CBC3-SHA", "KRB5-DES-CBC3-MD5", "PSK-AES128-CBC-SHA", "PSK-RC4-SHA", "KRB5-RC4-SHA",
		"KRB5-RC4-MD5", "KRB5-DES-CBC-SHA", "KRB5-DES-CBC-MD5")
	notRecommendedCiphers = set("CAMELLIA128-SHA", "EDH-RSA-DES-CBC3-SHA", "ECDHE-ECDSA-RC4-SHA",
		"DHE-DSS-AES256-GCM-SHA384", "DHE-RSA-AES256-GCM-SHA384", "DHE-RSA-AES256-SHA256",
		"DHE-DSS-AES256-SHA256", "DHE-RSA-AES256-SHA", "DHE-DSS-AES256-SHA", "DHE-RSA-CAMELLIA256-SHA",
		"DHE-DSS-CAMELLIA256-SHA", "CAMELLIA256-SHA", "EDH-DSS-DES-CBC3-SHA", "DHE-DSS-AES128-GCM-SHA256",
		"DHE-RSA-AES128-GCM-SHA256", "DHE-RSA-AES128-SHA256", "DHE-DSS-AES128-SHA256",
		"DHE-RSA-CAMELLIA128-SHA", "DHE-DSS-CAMELLIA128-SHA", "ADH-AES128-GCM-SHA256", "ADH-AES128-SHA",
		"ADH-AES128-SHA256", "ADH-AES256-GCM-SHA384", "ADH-AES256-SHA", "ADH-AES256-SHA256",
		"ADH-CAMELLIA128-SHA", "ADH-CAMELLIA256-SHA", "ADH-DES-CBC3-SHA", "ADH-DES-CBC-SHA", "ADH-RC4-MD5",
		"ADH-SEED-SHA", "DES-CBC-SHA", "DHE-DSS-SEED-SHA", "DHE-RSA-SEED-SHA", "EDH-DSS-DES-CBC-SHA",
		"EDH-RSA-DES-CBC-SHA", "IDEA-CBC-SHA", "RC4-MD5", "SEED-SHA", "DES-CBC3-MD5", "DES-CBC-MD5",
		"RC4-SHA", "ECDHE-RSA-RC4-SHA", "DHE-DSS-AES128-SHA", "DES-CBC3-SHA")
)
