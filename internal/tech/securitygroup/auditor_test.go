package securitygroup_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/audit"
	"github.com/secmonkey/monkey/internal/audit/audittest"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/tech"
	"github.com/secmonkey/monkey/internal/tech/securitygroup"
)

var _ = audittest.DefineUpdateFlag()

var I, N = audittest.I, audittest.N

func TestConformance(t *testing.T) {
	t.Parallel()
	audittest.Run(t, securitygroup.NewAuditor(tech.Settings{"SECURITYGROUP_INSTANCE_DETAIL": "FULL"}))
}

func rule(dir, proto string, from, to any, cidr, owner, group string) string {
	js := func(s string) string {
		if s == "" {
			return "null"
		}
		return `"` + s + `"`
	}
	num := func(v any) string {
		if v == nil {
			return "null"
		}
		return jsonInt(v.(int))
	}
	return `{"rule_type":"` + dir + `","ip_protocol":"` + proto + `","from_port":` + num(from) + `,"to_port":` + num(to) +
		`,"cidr_ip":` + js(cidr) + `,"owner_id":` + js(owner) + `,"group_id":` + js(group) + `,"name":null}`
}

func jsonInt(i int) string {
	if i < 0 {
		return "-" + jsonInt(-i)
	}
	if i < 10 {
		return string(rune('0' + i))
	}
	return jsonInt(i/10) + string(rune('0'+i%10))
}

func sg(vpc string, assigned string, rules ...string) string {
	v := "null"
	if vpc != "" {
		v = `"` + vpc + `"`
	}
	r := ""
	for i, x := range rules {
		if i > 0 {
			r += ","
		}
		r += x
	}
	return `{"id":"sg-1","name":"web","description":"d","vpc_id":` + v + `,"owner_id":"111122223333","region":"us-east-1",` +
		`"arn":"arn:aws:ec2:us-east-1:111122223333:security-group/sg-1","assigned_to":` + assigned + `,"rules":[` + r + `]}`
}

const attached = `[{"instance_id":"i-1","Name":"web"}]`

func TestChecks(t *testing.T) {
	t.Parallel()
	known := []monkey.KnownResource{
		{Account: "111122223333", Kind: "cidr", Value: "10.10.0.0/16"},
		{Account: "444455556666", Kind: "cidr", Value: "10.20.0.0/16"},
		{Account: "999988887777", Kind: "cidr", Value: "203.0.113.0/25"},
	}
	ctx := audittest.Context(t, known...)
	full := securitygroup.NewAuditor(tech.Settings{"SECURITYGROUP_INSTANCE_DETAIL": "FULL"})
	unset := securitygroup.NewAuditor(nil)
	summary := securitygroup.NewAuditor(tech.Settings{"SECURITYGROUP_INSTANCE_DETAIL": "SUMMARY"})
	for _, tc := range []struct {
		name string
		only string
		a    *securitygroup.Auditor
		cfg  string
		want []audittest.Issue
	}{
		{"rfc1918 classic", "securitygroup.securitygroup_ec2_rfc1918", full,
			sg("", attached, rule("ingress", "tcp", 22, 22, "10.1.0.0/16", "", ""), rule("egress", "tcp", 22, 22, "172.20.0.0/16", "", ""),
				rule("ingress", "tcp", 22, 22, "172.32.0.0/16", "", ""), rule("ingress", "tcp", 22, 22, "192.168.1.1/32", "", ""),
				rule("ingress", "tcp", 22, 22, "10.0.0.0/7", "", ""), rule("ingress", "tcp", 22, 22, "fd00::/8", "", "")),
			[]audittest.Issue{I("Non-VPC Security Group contains private RFC-1918 CIDR", 5, "10.1.0.0/16"),
				I("Non-VPC Security Group contains private RFC-1918 CIDR", 5, "172.20.0.0/16"),
				I("Non-VPC Security Group contains private RFC-1918 CIDR", 5, "192.168.1.1/32")}},
		{"rfc1918 vpc", "securitygroup.securitygroup_ec2_rfc1918", full,
			sg("vpc-1", attached, rule("ingress", "tcp", 22, 22, "10.1.0.0/16", "", "")), nil},
		{"rfc1918 unattached FULL", "securitygroup.securitygroup_ec2_rfc1918", full,
			sg("", `[]`, rule("ingress", "tcp", 22, 22, "10.1.0.0/16", "", "")),
			[]audittest.Issue{I("Non-VPC Security Group contains private RFC-1918 CIDR", 0, "10.1.0.0/16")}},
		{"internet ingress", "securitygroup.internet_accessible_ingress", full,
			sg("vpc-1", attached, rule("ingress", "tcp", 22, 22, "0.0.0.0/0", "", ""), rule("ingress", "tcp", 1024, 65535, "::/0", "", ""),
				rule("ingress", "icmp", -1, -1, "0.0.0.0/0", "", ""), rule("egress", "-1", nil, nil, "0.0.0.0/0", "", ""),
				rule("ingress", "tcp", 80, 80, "1.2.3.0/24", "", "")),
			[]audittest.Issue{I("Internet Accessible", 10, "Entity: [cidr:0.0.0.0/0] Access: [ingress:tcp:22]"),
				I("Internet Accessible", 10, "Entity: [cidr:::/0] Access: [ingress:tcp:1024-65535]"),
				I("Internet Accessible", 10, "Entity: [cidr:0.0.0.0/0] Access: [ingress:icmp:-1]")}},
		{"internet egress", "securitygroup.internet_accessible_egress", full,
			sg("vpc-1", attached, rule("ingress", "tcp", 22, 22, "0.0.0.0/0", "", ""), rule("egress", "-1", nil, nil, "0.0.0.0/0", "", "")),
			[]audittest.Issue{I("Internet Accessible", 10, "Entity: [cidr:0.0.0.0/0] Access: [egress:all_protocols:all_ports]")}},
		{"internet unattached FULL scores 0", "securitygroup.internet_accessible_ingress", full,
			sg("vpc-1", `null`, rule("ingress", "tcp", 22, 22, "0.0.0.0/0", "", "")),
			[]audittest.Issue{I("Internet Accessible", 0, "Entity: [cidr:0.0.0.0/0] Access: [ingress:tcp:22]")}},
		{"internet unattached setting unset scores 10", "securitygroup.internet_accessible_ingress", unset,
			sg("vpc-1", `null`, rule("ingress", "tcp", 22, 22, "0.0.0.0/0", "", "")),
			[]audittest.Issue{I("Internet Accessible", 10, "Entity: [cidr:0.0.0.0/0] Access: [ingress:tcp:22]")}},
		{"internet SUMMARY string is truthy", "securitygroup.internet_accessible_ingress", summary,
			sg("vpc-1", `"0 instances"`, rule("ingress", "tcp", 22, 22, "0.0.0.0/0", "", "")),
			[]audittest.Issue{I("Internet Accessible", 10, "Entity: [cidr:0.0.0.0/0] Access: [ingress:tcp:22]")}},
		{"friendly ingress", "securitygroup.friendly_cross_account_ingress", full,
			sg("vpc-1", attached, rule("ingress", "tcp", 5432, 5432, "", "444455556666", "sg-0aa"), rule("ingress", "udp", 53, 53, "10.20.1.0/24", "", ""),
				rule("egress", "tcp", 1, 2, "", "444455556666", "sg-0bb"), rule("ingress", "tcp", 1, 1, "", "111122223333", "sg-own")),
			[]audittest.Issue{I("Friendly Cross Account", 0, "Account: [444455556666/partner] Entity: [security_group:sg-0aa] Access: [ingress:tcp:5432]"),
				I("Friendly Cross Account", 0, "Account: [444455556666/partner] Entity: [cidr:10.20.1.0/24] Access: [ingress:udp:53]")}},
		{"friendly egress", "securitygroup.friendly_cross_account_egress", full,
			sg("vpc-1", attached, rule("egress", "tcp", 1, 2, "", "444455556666", "sg-0bb")),
			[]audittest.Issue{I("Friendly Cross Account", 0, "Account: [444455556666/partner] Entity: [security_group:sg-0bb] Access: [egress:tcp:1-2]")}},
		{"thirdparty ingress", "securitygroup.thirdparty_cross_account_ingress", full,
			sg("vpc-1", `[]`, rule("ingress", "tcp", 443, 443, "203.0.113.0/26", "", ""), rule("ingress", "tcp", 443, 443, "", "999988887777", "sg-v")),
			[]audittest.Issue{I("Thirdparty Cross Account", 0, "Account: [999988887777/vendor] Entity: [cidr:203.0.113.0/26] Access: [ingress:tcp:443]"),
				I("Thirdparty Cross Account", 0, "Account: [999988887777/vendor] Entity: [security_group:sg-v] Access: [ingress:tcp:443]")}},
		{"thirdparty egress", "securitygroup.thirdparty_cross_account_egress", full,
			sg("vpc-1", attached, rule("egress", "tcp", 443, 443, "203.0.113.0/26", "", "")),
			[]audittest.Issue{I("Thirdparty Cross Account", 0, "Account: [999988887777/vendor] Entity: [cidr:203.0.113.0/26] Access: [egress:tcp:443]")}},
		{"unknown ingress ignores multiplier", "securitygroup.unknown_cross_account_ingress", full,
			sg("vpc-1", `[]`, rule("ingress", "tcp", 22, 22, "203.0.113.0/24", "", ""), rule("ingress", "tcp", 22, 22, "", "555555555555", "sg-x"),
				rule("ingress", "tcp", 22, 22, "10.10.5.0/24", "", ""), rule("ingress", "tcp", 22, 22, "198.51.100.7/32", "", ""),
				rule("ingress", "tcp", 22, 22, "0.0.0.0/0", "", "")),
			[]audittest.Issue{I("Unknown Access", 10, "Entity: [cidr:203.0.113.0/24] Access: [ingress:tcp:22]"),
				I("Unknown Access", 10, "Entity: [security_group:sg-x] Access: [ingress:tcp:22]")}},
		{"unknown egress", "securitygroup.unknown_cross_account_egress", full,
			sg("vpc-1", attached, rule("egress", "-1", nil, nil, "192.0.2.0/24", "", "")),
			[]audittest.Issue{I("Unknown Access", 10, "Entity: [cidr:192.0.2.0/24] Access: [egress:all_protocols:all_ports]")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fs := tc.a.Audit(audit.Item{Account: audittest.Prod, Config: audittest.Config(t, tc.cfg)},
				&audit.Env{Context: ctx, Only: map[string]bool{tc.only: true}})
			audittest.Expect(t, fs, tc.want...)
			for _, f := range fs {
				require.Nil(t, f.ActionInstructions)
			}
		})
	}
}

// Appendix C walk-through.
func TestAppendixC(t *testing.T) {
	t.Parallel()
	a := securitygroup.NewAuditor(tech.Settings{"SECURITYGROUP_INSTANCE_DETAIL": "FULL"})
	ctx := audittest.Context(t)
	rules := []string{
		rule("ingress", "tcp", 22, 22, "0.0.0.0/0", "", ""),
		rule("ingress", "tcp", 443, 443, "198.51.100.0/24", "", ""),
		rule("ingress", "tcp", 5432, 5432, "", "444455556666", "sg-0aa"),
		rule("egress", "-1", nil, nil, "0.0.0.0/0", "", ""),
	}
	fs := a.Audit(audit.Item{Account: audittest.Prod, Config: audittest.Config(t, sg("vpc-1", attached, rules...))}, &audit.Env{Context: ctx})
	audittest.Expect(t, fs,
		I("Internet Accessible", 10, "Entity: [cidr:0.0.0.0/0] Access: [ingress:tcp:22]"),
		I("Internet Accessible", 10, "Entity: [cidr:0.0.0.0/0] Access: [egress:all_protocols:all_ports]"),
		I("Friendly Cross Account", 0, "Account: [444455556666/partner] Entity: [security_group:sg-0aa] Access: [ingress:tcp:5432]"))
	total := 0
	for _, f := range fs {
		total += f.Score
	}
	require.Equal(t, 20, total)

	audittest.GoldenFile(t, "appendix_c.json", audittest.Golden(fs))

	fs = a.Audit(audit.Item{Account: audittest.Prod, Config: audittest.Config(t, sg("vpc-1", `[]`, rules...))}, &audit.Env{Context: ctx})
	audittest.Expect(t, fs,
		I("Internet Accessible", 0, "Entity: [cidr:0.0.0.0/0] Access: [ingress:tcp:22]"),
		I("Internet Accessible", 0, "Entity: [cidr:0.0.0.0/0] Access: [egress:all_protocols:all_ports]"),
		I("Friendly Cross Account", 0, "Account: [444455556666/partner] Entity: [security_group:sg-0aa] Access: [ingress:tcp:5432]"))
}

func TestOverrideAndDisable(t *testing.T) {
	t.Parallel()
	a := securitygroup.NewAuditor(nil)
	ctx := audittest.Context(t)
	cfg := audittest.Config(t, sg("vpc-1", attached, rule("ingress", "tcp", 22, 22, "0.0.0.0/0", "", ""), rule("ingress", "tcp", 22, 22, "192.0.2.0/24", "", "")))
	scores := []monkey.AuditScore{
		{Technology: "securitygroup", Method: "check_internet_accessible_ingress (SecurityGroupAuditor)", Score: 3,
			Patterns: []monkey.AccountPatternScore{{AccountType: "AWS", AccountField: "name", AccountPattern: "prod", Score: 42}}},
		{Technology: "securitygroup", Method: "check_unknown_cross_account_ingress (SecurityGroupAuditor)", Disabled: true},
	}
	fs := a.Audit(audit.Item{Account: audittest.Prod, Config: cfg}, &audit.Env{Context: ctx, Scores: scores})
	audittest.Expect(t, fs, I("Internet Accessible", 42, "Entity: [cidr:0.0.0.0/0] Access: [ingress:tcp:22]"))
	fs = a.Audit(audit.Item{Account: audittest.Partner, Config: cfg}, &audit.Env{Context: ctx, Scores: scores})
	audittest.Expect(t, fs, I("Internet Accessible", 3, "Entity: [cidr:0.0.0.0/0] Access: [ingress:tcp:22]"))
}

func TestAccess(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		rule string
		want string
	}{
		{rule("ingress", "tcp", 22, 22, "", "", ""), "ingress:tcp:22"},
		{rule("egress", "-1", nil, nil, "", "", ""), "egress:all_protocols:all_ports"},
		{rule("ingress", "tcp", 1024, 65535, "", "", ""), "ingress:tcp:1024-65535"},
		{rule("ingress", "icmp", -1, -1, "", "", ""), "ingress:icmp:-1"},
		{rule("ingress", "50", nil, nil, "", "", ""), "ingress:50:None"},
		{rule("ingress", "icmpv6", 8, nil, "", "", ""), "ingress:icmpv6:8-None"},
	} {
		require.Equal(t, tc.want, securitygroup.Access(audittest.Config(t, tc.rule)))
	}
}

func TestMultiplier(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		setting  string // "" = not set
		assigned any
		want     int
	}{
		{"", nil, 1},
		{"NONE", nil, 1},
		{"FULL", nil, 0},
		{"FULL", []any{}, 0},
		{"FULL", []any{map[string]any{"instance_id": "i-1"}}, 1},
		{"SUMMARY", "0 instances", 1},
		{"SUMMARY", "", 0},
	} {
		require.Equal(t, tc.want, securitygroup.Multiplier(tc.setting, map[string]any{"assigned_to": tc.assigned}), "%v %v", tc.setting, tc.assigned)
	}
}
