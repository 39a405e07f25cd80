package awssim

import (
	"fmt"
	"strconv"
)

// rdssubnetgroup: DB subnet groups (DescribeDBSubnetGroups). Group i has two
// subnets in the VPC of its region; every fourth has no VpcId (the legacy
// shape the item name tells apart). Mutations change the description.

func dbSubnetGroupName(i int) string { return "sim-subnets-" + strconv.Itoa(i) }

func dbSubnetGroupHasVPC(i int) bool { return i%4 != 3 }

func (s *Server) describeDBSubnetGroups(req *request) (result, *apiError) {
	return s.rdsList(req, techDBSubnetGroup, "DBSubnetGroups", 700, func(x *xw, a *account, i, region, gen int) {
		s.writeDBSubnetGroup(x, "DBSubnetGroup", a, i, region, gen, true)
	})
}

// writeDBSubnetGroup writes subnet group i as element name; withARN adds
// DBSubnetGroupArn (absent where a DB instance embeds its group).
func (s *Server) writeDBSubnetGroup(x *xw, name string, a *account, i, region, gen int, withARN bool) {
	rname := s.opts.Regions[region]
	x.open(name)
	x.elem("DBSubnetGroupName", dbSubnetGroupName(i))
	desc := "simulated subnet group"
	if gen > 0 {
		desc += fmt.Sprintf(", revision %d", gen)
	}
	x.elem("DBSubnetGroupDescription", desc)
	if dbSubnetGroupHasVPC(i) {
		x.elem("VpcId", s.vpcID(a.idx, region))
	}
	x.elem("SubnetGroupStatus", "Complete")
	x.open("Subnets")
	for k, az := range []string{"a", "b"} {
		x.open("Subnet")
		x.elem("SubnetIdentifier", s.resourceID("subnet-", 17, hexDigits, "rdssubnetgroup/subnet", a, 2*i+k))
		x.open("SubnetAvailabilityZone")
		x.elem("Name", rname+az)
		x.close("SubnetAvailabilityZone")
		x.elem("SubnetStatus", "Active")
		x.close("Subnet")
	}
	x.close("Subnets")
	if withARN {
		x.elem("DBSubnetGroupArn", "arn:aws:rds:"+rname+":"+a.id+":subgrp:"+dbSubnetGroupName(i))
	}
	x.open("SupportedNetworkTypes")
	x.elem("member", "IPV4")
	x.close("SupportedNetworkTypes")
	x.close(name)
}
