package awssim

import (
	"fmt"
	"strconv"
)

// Route tables: the technology routetable and DescribeRouteTables (5..100
// a page, AWS's limit). Table k belongs to VPC vpcMember(k); the tables
// k < 2R are their VPC's main table, the others are associated with subnet
// k. Routes: the VPC's local route, then by k%3 a default route to the
// VPC's internet gateway, to NAT gateway k, or a route to peering
// connection k.

const techRouteTable = "routetable"

func routeTableResource() resource {
	return resource{
		tech: techRouteTable,
		arn: func(s *Server, a *account, k int) string {
			return "arn:aws:ec2:" + s.itemRegion(k) + ":" + a.id + ":route-table/" + s.routeTableID(a, k)
		},
		mutates: "one more route 172.31.g.0/24 to the VPC's internet gateway (g: the mutation generation)",
	}
}

func (s *Server) routeTableID(a *account, k int) string {
	return s.resourceID("rtb-", 17, hexDigits, "routetable/id", a, k)
}

func (s *Server) describeRouteTables(req *request) (result, *apiError) {
	return s.ec2RegionList(req, techRouteTable, "rtb", "routeTableSet", 100, 1200, s.writeRouteTable)
}

func (s *Server) writeRouteTable(x *xw, a *account, k int, _ string, gen int) {
	id := s.routeTableID(a, k)
	vpc := s.vpcMember(k)
	route := func(dest, target, targetID string) {
		x.open("item")
		x.elem("destinationCidrBlock", dest)
		x.elem(target, targetID)
		x.elem("state", "active")
		x.elem("origin", "CreateRoute")
		x.close("item")
	}
	x.open("item")
	x.elem("routeTableId", id)
	x.elem("vpcId", s.vpcItemID(a, vpc))
	x.elem("ownerId", a.id)
	x.open("routeSet")
	x.open("item")
	x.elem("destinationCidrBlock", vpcCIDR(vpc))
	x.elem("gatewayId", "local")
	x.elem("state", "active")
	x.elem("origin", "CreateRouteTable")
	x.close("item")
	switch k % 3 {
	case 0:
		route("0.0.0.0/0", "gatewayId", s.igwID(a, vpc))
	case 1:
		route("0.0.0.0/0", "natGatewayId", s.natGatewayID(a, k))
	default:
		route(fmt.Sprintf("172.16.%d.0/24", k%256), "vpcPeeringConnectionId", s.peeringID(a, k))
	}
	for g := 1; g <= gen; g++ {
		route(fmt.Sprintf("172.31.%d.0/24", g%256), "gatewayId", s.igwID(a, vpc))
	}
	x.close("routeSet")
	x.open("associationSet")
	x.open("item")
	x.elem("routeTableAssociationId", s.resourceID("rtbassoc-", 17, hexDigits, "routetable/assoc", a, k))
	x.elem("routeTableId", id)
	if k < 2*len(s.opts.Regions) {
		x.elemBool("main", true)
	} else {
		x.elemBool("main", false)
		x.elem("subnetId", s.subnetItemID(a, k))
	}
	x.raw("<associationState><state>associated</state></associationState>")
	x.close("item")
	x.close("associationSet")
	x.raw("<propagatingVgwSet/>")
	var tags []tag
	if k%2 == 0 {
		tags = append(tags, tag{"Name", "sim-rtb-" + strconv.Itoa(k)})
	}
	tags = append(tags, tag{"", "empty key"}, tag{"tier", ""})
	writeTagList(x, "tagSet", "item", "key", "value", tags)
	x.close("item")
}
