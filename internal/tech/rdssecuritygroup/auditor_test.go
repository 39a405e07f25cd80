package rdssecuritygroup_test

import (
	"strings"
	"testing"

	"github.com/secmonkey/monkey/internal/audit"
	"github.com/secmonkey/monkey/internal/audit/audittest"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/tech/rdssecuritygroup"
)

var I = audittest.I

func TestConformance(t *testing.T) {
	t.Parallel()
	audittest.Run(t, rdssecuritygroup.NewAuditor())
}

// group is a stored DB security group with vpc (or null) and CIDRs.
func group(vpc string, cidrs ...string) string {
	v := "null"
	if vpc != "" {
		v = `"` + vpc + `"`
	}
	var r []string
	for _, c := range cidrs {
		r = append(r, `{"cidr_ip":"`+c+`","status":"authorized"}`)
	}
	return `{"name":"db","description":"d","owner_id":"111122223333","region":"us-east-1","vpc_id":` + v +
		`,"ip_ranges":[` + strings.Join(r, ",") + `],"ec2_groups":[{"name":"web","owner_id":"111122223333","Status":"authorized"}],` +
		`"arn":"arn:aws:rds:us-east-1:111122223333:secgrp:db"}`
}

func TestChecks(t *testing.T) {
	t.Parallel()
	ctx := audittest.Context(t) // whitelist 198.51.100.0/24
	a := rdssecuritygroup.NewAuditor()
	for _, tc := range []struct {
		name, only, cfg string
		want            []audittest.Issue
	}{
		{"rfc1918 classic", "rdssecuritygroup.rds_ec2_rfc1918",
			group("", "10.0.0.0/8", "172.16.5.0/24", "192.168.1.7", "172.32.0.0/16", "8.8.8.8/32", "fd00::/8", "bogus"),
			[]audittest.Issue{I("Non-VPC RDS Security Group contains private RFC-1918 CIDR", 8, "10.0.0.0/8"),
				I("Non-VPC RDS Security Group contains private RFC-1918 CIDR", 8, "172.16.5.0/24"),
				I("Non-VPC RDS Security Group contains private RFC-1918 CIDR", 8, "192.168.1.7")}},
		{"rfc1918 vpc", "rdssecuritygroup.rds_ec2_rfc1918", group("vpc-1", "10.0.0.0/8"), nil},
		{"large subnet", "rdssecuritygroup.securitygroup_large_subnet",
			group("vpc-1", "203.0.113.0/20", "10.1.0.0/16", "0.0.0.0/0", "10.0.0.0/8", "198.51.0.0/16", "198.51.100.0/25",
				"203.0.113.0/24", "1.2.3.4", "5.0.0.0/1", "9.0.0.0/0", "7.0.0.0/x", "7.0.0.0/23/5"),
			[]audittest.Issue{I("RDS Security Group network larger than /24", 3, "203.0.113.0/20"),
				I("RDS Security Group network larger than /24", 3, "10.1.0.0/16"),
				I("RDS Security Group network larger than /24", 3, "198.51.0.0/16"),
				I("RDS Security Group network larger than /24", 3, "5.0.0.0/1"),
				I("RDS Security Group network larger than /24", 3, "7.0.0.0/23/5")}},
		{"zero subnet", "rdssecuritygroup.securitygroup_zero_subnet",
			group("", "192.0.2.0/0", "0.0.0.0/0", "::/0", "10.0.0.0/8", "1.0.0.0/1"),
			[]audittest.Issue{I("RDS Security Group subnet mask is /0", 10, "192.0.2.0/0"),
				I("RDS Security Group subnet mask is /0", 10, "::/0")}},
		{"any once", "rdssecuritygroup.securitygroup_any", group("", "0.0.0.0/0", "10.0.0.0/8", "0.0.0.0/0"),
			[]audittest.Issue{I("RDS Security Group contains 0.0.0.0/0", 5, "0.0.0.0/0")}},
		{"any absent", "rdssecuritygroup.securitygroup_any", group("", "0.0.0.0/1"), nil},
		{"10net once", "rdssecuritygroup.securitygroup_10net", group("vpc-1", "10.0.0.0/8", "10.0.0.0/8"),
			[]audittest.Issue{I("RDS Security Group contains 10.0.0.0/8", 5, "10.0.0.0/8")}},
		{"10net absent", "rdssecuritygroup.securitygroup_10net", group("vpc-1", "10.0.0.0/9"), nil},
		{"every check", "", group("", "0.0.0.0/0", "10.0.0.0/8", "192.0.2.0/0", "172.16.0.0/16"),
			[]audittest.Issue{I("RDS Security Group contains 0.0.0.0/0", 5, "0.0.0.0/0"),
				I("RDS Security Group contains 10.0.0.0/8", 5, "10.0.0.0/8"),
				I("RDS Security Group subnet mask is /0", 10, "192.0.2.0/0"),
				I("RDS Security Group network larger than /24", 3, "172.16.0.0/16"),
				I("Non-VPC RDS Security Group contains private RFC-1918 CIDR", 8, "10.0.0.0/8"),
				I("Non-VPC RDS Security Group contains private RFC-1918 CIDR", 8, "172.16.0.0/16")}},
		{"no ranges", "", `{"name":"db","ip_ranges":[{"cidr_ip":null},{}],"vpc_id":null}`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var only map[string]bool
			if tc.only != "" {
				only = map[string]bool{tc.only: true}
			}
			fs := a.Audit(audit.Item{Account: audittest.Prod, Config: audittest.Config(t, tc.cfg)}, &audit.Env{Context: ctx, Only: only})
			audittest.Expect(t, fs, tc.want...)
		})
	}
}

func TestOverride(t *testing.T) {
	t.Parallel()
	scores := []monkey.AuditScore{
		{Technology: "rdssecuritygroup", Method: "check_securitygroup_any (RDSSecurityGroupAuditor)", Score: 9},
		{Technology: "rdssecuritygroup", Method: "check_rds_ec2_rfc1918 (RDSSecurityGroupAuditor)", Disabled: true},
	}
	fs := rdssecuritygroup.NewAuditor().Audit(audit.Item{Account: audittest.Prod, Config: audittest.Config(t, group("", "0.0.0.0/0", "10.9.0.0/24"))},
		&audit.Env{Context: audittest.Context(t), Scores: scores})
	audittest.Expect(t, fs, I("RDS Security Group contains 0.0.0.0/0", 9, "0.0.0.0/0"))
}
