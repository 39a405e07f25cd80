package awssim

import (
	"fmt"
	"net/http"
	"strconv"
)

// VPCs: the technology vpc, DescribeVpcs (5..1000 a page),
// DescribeVpcAttribute and DescribeInternetGateways (one gateway per VPC
// that has one, 5..1000 a page).
//
// VPC i lives in region i % R (R enabled regions). The first VPC of each
// region (i < R) is the region's VPC that the other simulated EC2 and RDS
// resources already name (s.vpcID: instances, security groups, network
// interfaces…). The resources of the other VPC technologies (subnets, route
// tables, network ACLs, endpoints, NAT gateways, flow logs, peering
// connections, VPN gateways) with index j belong to VPC vpcMember(j) =
// j % 2R — a VPC of their own region — so a VPC's subnets, route tables…
// are the listed resources that name it.

const techVPC = "vpc"

func vpcResource() resource {
	return resource{
		tech: techVPC,
		arn: func(s *Server, a *account, i int) string {
			return "arn:aws:ec2:" + s.itemRegion(i) + ":" + a.id + ":vpc/" + s.vpcItemID(a, i)
		},
		mutates: `one more tag "sim:mutation" = g (g: the mutation generation)`,
	}
}

// vpcItemID is the id of VPC i (the region's VPC for i < R).
func (s *Server) vpcItemID(a *account, i int) string {
	if i < len(s.opts.Regions) {
		return s.vpcID(a.idx, i)
	}
	return s.indexedID("vpc-", "vpc/id", a, i)
}

// vpcIndexOf is the index of the VPC id of account a, or -1.
func (s *Server) vpcIndexOf(a *account, id string) int {
	for r := range s.opts.Regions {
		if s.vpcID(a.idx, r) == id {
			return r
		}
	}
	if i := s.indexOfID("vpc-", "vpc/id", a, id); i >= len(s.opts.Regions) {
		return i
	}
	return -1
}

// vpcMember is the index of the VPC that resource j of another VPC
// technology belongs to: the region's VPC or the next VPC of j's region.
func (s *Server) vpcMember(j int) int { return j % (2 * len(s.opts.Regions)) }

// vpcCIDR is the primary IPv4 block of VPC i.
func vpcCIDR(i int) string { return fmt.Sprintf("10.%d.0.0/16", i%256) }

// Seeded VPCs (i % 6 unless bulk): a Name tag except when i%3 == 2 (item
// "None (vpc-…)"); a "vpcnat" tag (known NAT CIDRs) when i%6 == 4; an IPv6
// block when i%4 == 1; dedicated tenancy when i%6 == 5; DNS hostnames off
// for odd VPCs past the region's VPC, DNS support off when i%7 == 3; an
// internet gateway except when i%3 == 1. The region's VPCs are the default
// VPCs. Flow logs: see ec2_flow_logs.go.

func vpcHasIGW(i int) bool { return bulkBenign(i) || i%3 != 1 }

func (s *Server) igwID(a *account, i int) string {
	return s.resourceID("igw-", 17, hexDigits, "vpc/igw", a, i)
}

func (s *Server) vpcTags(i, gen int) []tag {
	var tags []tag
	if bulkBenign(i) || i%3 != 2 {
		tags = append(tags, tag{"Name", "sim-vpc-" + strconv.Itoa(i)})
	}
	if !bulkBenign(i) && i%6 == 4 {
		tags = append(tags, tag{"vpcnat", fmt.Sprintf("198.18.%d.10/32, 198.18.%d.11", i%256, i%256)})
	}
	if gen > 0 {
		tags = append(tags, tag{"sim:mutation", strconv.Itoa(gen)})
	}
	return tags
}

func (s *Server) describeVpcs(req *request) (result, *apiError) {
	return s.ec2RegionList(req, techVPC, "vpc", "vpcSet", 1000, 900, s.writeVPC)
}

func (s *Server) writeVPC(x *xw, a *account, i int, region string, gen int) {
	id := s.vpcItemID(a, i)
	x.open("item")
	x.elem("vpcId", id)
	x.elem("ownerId", a.id)
	x.elem("state", "available")
	x.elem("cidrBlock", vpcCIDR(i))
	x.open("cidrBlockAssociationSet")
	x.open("item")
	x.elem("associationId", s.resourceID("vpc-cidr-assoc-", 17, hexDigits, "vpc/cidr-assoc", a, i))
	x.elem("cidrBlock", vpcCIDR(i))
	x.raw("<cidrBlockState><state>associated</state></cidrBlockState>")
	x.close("item")
	x.close("cidrBlockAssociationSet")
	if !bulkBenign(i) && i%4 == 1 {
		x.open("ipv6CidrBlockAssociationSet")
		x.open("item")
		x.elem("associationId", s.resourceID("vpc-cidr-assoc-", 17, hexDigits, "vpc/ipv6-assoc", a, i))
		x.elem("ipv6CidrBlock", fmt.Sprintf("2600:1f18:%x:%x00::/56", a.idx%0x10000, i%0x100))
		x.raw("<ipv6CidrBlockState><state>associated</state></ipv6CidrBlockState>")
		x.elem("networkBorderGroup", region)
		x.elem("ipv6Pool", "Amazon")
		x.close("item")
		x.close("ipv6CidrBlockAssociationSet")
	}
	x.elem("dhcpOptionsId", s.dhcpID(a, s.vpcMember(i)))
	writeTagList(x, "tagSet", "item", "key", "value", s.vpcTags(i, gen))
	tenancy := "default"
	if !bulkBenign(i) && i%6 == 5 {
		tenancy = "dedicated"
	}
	x.elem("instanceTenancy", tenancy)
	x.elemBool("isDefault", i < len(s.opts.Regions))
	x.close("item")
}

// describeVpcAttribute answers enableDnsSupport and enableDnsHostnames of
// one VPC of the region (InvalidVpcID.NotFound otherwise).
func (s *Server) describeVpcAttribute(req *request) (result, *apiError) {
	a := req.acct
	id := req.form.Get("VpcId")
	i := s.vpcIndexOf(a, id)
	if i < 0 || !a.tech(techVPC).exists(i) || s.itemRegion(i) != req.region {
		return result{}, errf(http.StatusBadRequest, "InvalidVpcID.NotFound", "The vpc ID '%s' does not exist", id)
	}
	attr := req.form.Get("Attribute")
	var v bool
	switch attr {
	case "enableDnsSupport":
		v = bulkBenign(i) || i%7 != 3
	case "enableDnsHostnames":
		v = i < len(s.opts.Regions) || bulkBenign(i) || i%2 == 0
	default:
		return result{}, errf(http.StatusBadRequest, "InvalidParameterValue", "Value (%s) for parameter attribute is invalid. Unknown attribute.", attr)
	}
	x := newXW()
	x.elem("vpcId", id)
	x.open(attr)
	x.elemBool("value", v)
	x.close(attr)
	return xmlResult(x), nil
}

// describeInternetGateways lists the gateways of the region's VPCs (one per
// VPC that has one, attached to it).
func (s *Server) describeInternetGateways(req *request) (result, *apiError) {
	a := req.acct
	max, start, aerr := ec2Page(req, "igw")
	if aerr != nil {
		return result{}, aerr
	}
	x := newXWSize(min(max, 1000) * 300)
	x.open("internetGatewaySet")
	count := 0
	next, more := s.regionItems(a.tech(techVPC), s.regionIndex(req.region), start, vpcHasIGW, func(i int) bool {
		if count == max {
			return false
		}
		x.open("item")
		x.elem("internetGatewayId", s.igwID(a, i))
		x.elem("ownerId", a.id)
		x.open("attachmentSet")
		x.open("item")
		x.elem("vpcId", s.vpcItemID(a, i))
		x.elem("state", "available")
		x.close("item")
		x.close("attachmentSet")
		writeTagList(x, "tagSet", "item", "key", "value", []tag{{"Name", "sim-igw-" + strconv.Itoa(i)}})
		x.close("item")
		count++
		return true
	})
	x.close("internetGatewaySet")
	if more {
		x.elem("nextToken", pageToken("igw", next))
	}
	return xmlResult(x), nil
}
