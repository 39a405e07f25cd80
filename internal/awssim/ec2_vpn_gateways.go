package awssim

import (
	"strconv"
)

// Virtual private gateways: the technology virtual_gateway and
// DescribeVpnGateways (every gateway of the region in one reply). Gateway k
// is attached to VPC vpcMember(k), except when k%4 == 3 below 50
// (detached, no attachment).

const techVGW = "virtual_gateway"

func vgwResource() resource {
	return resource{
		tech: techVGW,
		arn: func(s *Server, a *account, k int) string {
			return "arn:aws:ec2:" + s.itemRegion(k) + ":" + a.id + ":vpn-gateway/" + s.vgwID(a, k)
		},
		mutates: "one more detached VPC attachment (g: the mutation generation)",
	}
}

func (s *Server) vgwID(a *account, k int) string {
	return s.resourceID("vgw-", 17, hexDigits, "virtual_gateway/id", a, k)
}

func (s *Server) describeVpnGateways(req *request) (result, *apiError) {
	return s.ec2RegionList(req, techVGW, "vgw", "vpnGatewaySet", 0, 500, s.writeVGW)
}

func (s *Server) writeVGW(x *xw, a *account, k int, region string, gen int) {
	attachment := func(vpc, state string) {
		x.open("item")
		x.elem("vpcId", vpc)
		x.elem("state", state)
		x.close("item")
	}
	x.open("item")
	x.elem("vpnGatewayId", s.vgwID(a, k))
	x.elem("state", "available")
	x.elem("type", "ipsec.1")
	x.elem("availabilityZone", zone(region, k/len(s.opts.Regions)))
	x.open("attachments")
	if bulkBenign(k) || k%4 != 3 {
		attachment(s.vpcItemID(a, s.vpcMember(k)), "attached")
	}
	for g := 1; g <= gen; g++ {
		attachment(s.resourceID("vpc-", 17, hexDigits, "virtual_gateway/previous-vpc", a, k<<16|g&0xffff), "detached")
	}
	x.close("attachments")
	x.elemInt("amazonSideAsn", 64512)
	writeTagList(x, "tagSet", "item", "key", "value", []tag{{"Name", "sim-vgw-" + strconv.Itoa(k)}})
	x.close("item")
}
