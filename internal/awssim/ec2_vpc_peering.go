package awssim

import (
	"fmt"
	"strconv"
	"time"
)

// VPC peering connections: the technology peering and
// DescribeVpcPeeringConnections (5..1000 a page). Connection p is
// requested by VPC vpcMember(p) of its region; by p%3 the accepter is the
// region's VPC of the next account (cross account), another VPC of the
// same region, or the VPC of the next region (inter-region). Pending
// acceptance (with an expiration time) when p%5 == 4; tags (the first
// names the item) on even connections.

const techPeering = "peering"

func peeringResource() resource {
	return resource{
		tech: techPeering,
		arn: func(s *Server, a *account, p int) string {
			return "arn:aws:ec2:" + s.itemRegion(p) + ":" + a.id + ":vpc-peering-connection/" + s.peeringID(a, p)
		},
		mutates: "the accepter VPC gains the CIDR block 100.64.g.0/24 (g: the mutation generation)",
	}
}

func (s *Server) peeringID(a *account, p int) string {
	return s.resourceID("pcx-", 17, hexDigits, "peering/id", a, p)
}

func (s *Server) describeVpcPeeringConnections(req *request) (result, *apiError) {
	return s.ec2RegionList(req, techPeering, "pcx", "vpcPeeringConnectionSet", 1000, 1200, s.writePeering)
}

func (s *Server) writePeering(x *xw, a *account, p int, region string, gen int) {
	r := s.regionIndex(region)
	req := s.vpcMember(p)
	owner, vpc, cidr, accRegion := a.id, "", "", region
	switch p % 3 {
	case 0:
		other := s.nextAccount(a)
		owner, vpc, cidr = other.id, s.vpcID(other.idx, r), vpcCIDR(r)
	case 1:
		acc := s.vpcMember(p + len(s.opts.Regions))
		vpc, cidr = s.vpcItemID(a, acc), vpcCIDR(acc)
	default:
		next := (r + 1) % len(s.opts.Regions)
		vpc, cidr, accRegion = s.vpcID(a.idx, next), vpcCIDR(next), s.opts.Regions[next]
	}
	pending := !bulkBenign(p) && p%5 == 4
	info := func(name, owner, vpc, cidr, region string, extra []string) {
		x.open(name)
		x.elem("ownerId", owner)
		x.elem("vpcId", vpc)
		x.elem("cidrBlock", cidr)
		x.open("cidrBlockSet")
		for _, c := range append([]string{cidr}, extra...) {
			x.open("item")
			x.elem("cidrBlock", c)
			x.close("item")
		}
		x.close("cidrBlockSet")
		if !pending {
			x.open("peeringOptions")
			x.elemBool("allowDnsResolutionFromRemoteVpc", p%2 == 1)
			x.elemBool("allowEgressFromLocalClassicLinkToRemoteVpc", false)
			x.elemBool("allowEgressFromLocalVpcToRemoteClassicLink", false)
			x.close("peeringOptions")
		}
		x.elem("region", region)
		x.close(name)
	}
	var extra []string
	for g := 1; g <= gen; g++ {
		extra = append(extra, fmt.Sprintf("100.64.%d.0/24", g%256))
	}
	x.open("item")
	x.elem("vpcPeeringConnectionId", s.peeringID(a, p))
	info("requesterVpcInfo", a.id, s.vpcItemID(a, req), vpcCIDR(req), region, nil)
	info("accepterVpcInfo", owner, vpc, cidr, accRegion, extra)
	x.open("status")
	if pending {
		x.elem("code", "pending-acceptance")
		x.elem("message", "Pending Acceptance by "+owner)
	} else {
		x.elem("code", "active")
		x.elem("message", "Active")
	}
	x.close("status")
	if pending {
		x.elemTime("expirationTime", s.created(techPeering, p).Add(7*24*time.Hour))
	}
	var tags []tag
	if p%2 == 0 {
		tags = append(tags, tag{"Name", "sim-peer-" + strconv.Itoa(p)})
		if p%4 == 0 {
			tags = append(tags, tag{"team", "network"})
		}
	}
	writeTagList(x, "tagSet", "item", "key", "value", tags)
	x.close("item")
}
