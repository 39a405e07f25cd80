package awssim

import (
	"fmt"
	"strconv"
)

// Subnets: the technology subnet and DescribeSubnets (5..1000 a page).
// Subnet j belongs to VPC vpcMember(j) of its region; the first subnet of
// each region (j < R) is the region's subnet that instances and network
// interfaces name (s.subnetID). Seeded: a Name tag on even subnets, public
// IPs on launch when j%4 == 1, default-for-AZ for the region's subnets.

const techSubnet = "subnet"

func subnetResource() resource {
	return resource{
		tech: techSubnet,
		arn: func(s *Server, a *account, j int) string {
			return "arn:aws:ec2:" + s.itemRegion(j) + ":" + a.id + ":subnet/" + s.subnetItemID(a, j)
		},
		mutates: `one more tag "sim:mutation" = g (g: the mutation generation)`,
	}
}

// subnetItemID is the id of subnet j (the region's subnet for j < R).
func (s *Server) subnetItemID(a *account, j int) string {
	if j < len(s.opts.Regions) {
		return s.subnetID(a.idx, j)
	}
	return s.resourceID("subnet-", 17, hexDigits, "subnet/id", a, j)
}

// subnetCIDR is a /24 of the VPC of subnet j.
func (s *Server) subnetCIDR(j int) string {
	return fmt.Sprintf("10.%d.%d.0/24", s.vpcMember(j)%256, (j/(2*len(s.opts.Regions)))%256)
}

func (s *Server) describeSubnets(req *request) (result, *apiError) {
	return s.ec2RegionList(req, techSubnet, "subnet", "subnetSet", 1000, 800, s.writeSubnet)
}

func (s *Server) writeSubnet(x *xw, a *account, j int, region string, gen int) {
	id := s.subnetItemID(a, j)
	x.open("item")
	x.elem("subnetId", id)
	x.elem("subnetArn", "arn:aws:ec2:"+region+":"+a.id+":subnet/"+id)
	x.elem("state", "available")
	x.elem("ownerId", a.id)
	x.elem("vpcId", s.vpcItemID(a, s.vpcMember(j)))
	x.elem("cidrBlock", s.subnetCIDR(j))
	x.raw("<ipv6CidrBlockAssociationSet/>")
	x.elemInt("availableIpAddressCount", 251-j%200)
	x.elem("availabilityZone", zone(region, j/len(s.opts.Regions)))
	x.elemBool("defaultForAz", j < len(s.opts.Regions))
	x.elemBool("mapPublicIpOnLaunch", !bulkBenign(j) && j%4 == 1)
	var tags []tag
	if j%2 == 0 {
		tags = append(tags, tag{"Name", "sim-subnet-" + strconv.Itoa(j)})
	}
	if gen > 0 {
		tags = append(tags, tag{"sim:mutation", strconv.Itoa(gen)})
	}
	writeTagList(x, "tagSet", "item", "key", "value", tags)
	x.close("item")
}
