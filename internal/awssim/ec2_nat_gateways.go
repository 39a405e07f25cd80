package awssim

import (
	"fmt"
	"time"
)

// NAT gateways: the technology natgateway and DescribeNatGateways (5..1000
// a page). Gateway k lives in subnet vpcMember(k) of VPC vpcMember(k).
// Below 50: failed when k%5 == 3, deleted (with a delete time) when
// k%7 == 5, private (no public address) when k%4 == 2; the others are
// available public gateways whose addresses are known CIDRs.

const techNATGateway = "natgateway"

func natGatewayResource() resource {
	return resource{
		tech: techNATGateway,
		arn: func(s *Server, a *account, k int) string {
			return "arn:aws:ec2:" + s.itemRegion(k) + ":" + a.id + ":natgateway/" + s.natGatewayID(a, k)
		},
		mutates: "one more secondary private address 10.m.254.g (g: the mutation generation)",
	}
}

func (s *Server) natGatewayID(a *account, k int) string {
	return s.resourceID("nat-", 17, hexDigits, "natgateway/id", a, k)
}

func (s *Server) describeNatGateways(req *request) (result, *apiError) {
	return s.ec2RegionList(req, techNATGateway, "nat", "natGatewaySet", 1000, 1000, s.writeNATGateway)
}

func (s *Server) writeNATGateway(x *xw, a *account, k int, _ string, gen int) {
	m := s.vpcMember(k)
	state := "available"
	switch {
	case !bulkBenign(k) && k%5 == 3:
		state = "failed"
	case !bulkBenign(k) && k%7 == 5:
		state = "deleted"
	}
	private := !bulkBenign(k) && k%4 == 2
	created := s.created(techNATGateway, k)
	eni := s.resourceID("eni-", 17, hexDigits, "natgateway/eni", a, k)
	address := func(public, private, alloc string, primary bool) {
		x.open("item")
		x.elemOpt("allocationId", alloc)
		x.elem("networkInterfaceId", eni)
		x.elem("privateIp", private)
		x.elemOpt("publicIp", public)
		x.elemBool("isPrimary", primary)
		x.elem("status", "succeeded")
		x.close("item")
	}
	x.open("item")
	x.elemTime("createTime", created)
	if state == "deleted" {
		x.elemTime("deleteTime", created.Add(48*time.Hour))
	}
	if state == "failed" {
		x.elem("failureCode", "Gateway.NotAttached")
		x.elem("failureMessage", "Network "+s.vpcItemID(a, m)+" has no Internet gateway attached")
	}
	x.open("natGatewayAddressSet")
	if state != "failed" {
		pub, alloc := fmt.Sprintf("54.%d.%d.%d", a.idx%64, (k/250)%250, k%250+1), s.resourceID("eipalloc-", 17, hexDigits, "natgateway/alloc", a, k)
		if private {
			pub, alloc = "", ""
		}
		address(pub, fmt.Sprintf("10.%d.%d.%d", m%256, 200+(k/250)%50, k%250+4), alloc, true)
	}
	for g := 1; g <= gen; g++ {
		address("", fmt.Sprintf("10.%d.254.%d", m%256, g%256), "", false)
	}
	x.close("natGatewayAddressSet")
	x.elem("natGatewayId", s.natGatewayID(a, k))
	x.elem("state", state)
	x.elem("subnetId", s.subnetItemID(a, m))
	x.elem("vpcId", s.vpcItemID(a, m))
	x.raw("<tagSet/>")
	if private {
		x.elem("connectivityType", "private")
	} else {
		x.elem("connectivityType", "public")
	}
	x.close("item")
}
