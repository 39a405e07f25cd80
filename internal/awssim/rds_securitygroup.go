package awssim

import (
	"fmt"
	"strconv"
)

// rdssecuritygroup: DB security groups of the EC2-Classic era
// (DescribeDBSecurityGroups). Group i (variant rdsVariant(i, 6)):
//
//	0 VPC, 198.51.100.10/32 and the same-index EC2 group of the account (benign)
//	1 EC2-Classic, 0.0.0.0/0
//	2 EC2-Classic, 10.0.0.0/8
//	3 EC2-Classic, 172.16.5.0/24 and 203.0.113.0/20
//	4 VPC, 10.1.0.0/16 and an EC2 group of the next simulated account
//	5 EC2-Classic, 192.0.2.0/0
//
// Mutations add the range 203.0.113.<g>/32.

var dbSecurityGroupKinds = [...]string{"vpc-office", "classic-any", "classic-10net", "classic-private", "vpc-wide", "classic-zero"}

func dbSecurityGroupName(i int) string {
	return "sim-dbsg-" + dbSecurityGroupKinds[rdsVariant(i, 6)] + "-" + strconv.Itoa(i)
}

func dbSecurityGroupHasVPC(i int) bool { v := rdsVariant(i, 6); return v == 0 || v == 4 }

func (s *Server) describeDBSecurityGroups(req *request) (result, *apiError) {
	return s.rdsList(req, techDBSecurityGroup, "DBSecurityGroups", 800, s.writeDBSecurityGroup)
}

func (s *Server) writeDBSecurityGroup(x *xw, a *account, i, region, gen int) {
	name := dbSecurityGroupName(i)
	var cidrs []string
	type ec2Group struct{ owner, id, name string }
	var groups []ec2Group
	switch rdsVariant(i, 6) {
	case 0:
		cidrs = []string{"198.51.100.10/32"}
		groups = []ec2Group{{a.id, s.sgID(a.idx, i), sgName(i)}}
	case 1:
		cidrs = []string{"0.0.0.0/0"}
	case 2:
		cidrs = []string{"10.0.0.0/8"}
	case 3:
		cidrs = []string{"172.16.5.0/24", "203.0.113.0/20"}
	case 4:
		other := s.nextAccount(a)
		cidrs = []string{"10.1.0.0/16"}
		groups = []ec2Group{{other.id, s.sgID(other.idx, i), sgName(i)}}
	default:
		cidrs = []string{"192.0.2.0/0"}
	}
	for g := 1; g <= gen; g++ {
		cidrs = append(cidrs, fmt.Sprintf("203.0.113.%d/32", g%256))
	}
	x.open("DBSecurityGroup")
	x.elem("OwnerId", a.id)
	x.elem("DBSecurityGroupName", name)
	x.elem("DBSecurityGroupDescription", "simulated DB security group "+strconv.Itoa(i))
	if dbSecurityGroupHasVPC(i) {
		x.elem("VpcId", s.vpcID(a.idx, region))
	}
	x.open("EC2SecurityGroups")
	for _, g := range groups {
		x.open("EC2SecurityGroup")
		x.elem("Status", "authorized")
		x.elem("EC2SecurityGroupName", g.name)
		x.elem("EC2SecurityGroupId", g.id)
		x.elem("EC2SecurityGroupOwnerId", g.owner)
		x.close("EC2SecurityGroup")
	}
	x.close("EC2SecurityGroups")
	x.open("IPRanges")
	for _, c := range cidrs {
		x.open("IPRange")
		x.elem("Status", "authorized")
		x.elem("CIDRIP", c)
		x.close("IPRange")
	}
	x.close("IPRanges")
	x.elem("DBSecurityGroupArn", "arn:aws:rds:"+s.opts.Regions[region]+":"+a.id+":secgrp:"+name)
	x.close("DBSecurityGroup")
}
