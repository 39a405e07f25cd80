package awssim

import (
	"fmt"
	"strconv"
)

// Elastic IP addresses: the technology elasticip and DescribeAddresses
// (every address of the region in one reply, as AWS does).

const techAddress = "elasticip"

func elasticIPResource() resource {
	return resource{
		tech: techAddress,
		arn: func(s *Server, a *account, k int) string {
			if addressDomain(k) == "standard" {
				return "arn:aws:ec2:" + s.itemRegion(k) + ":" + a.id + ":elastic-ip/" + s.addressIP(a, k)
			}
			return "arn:aws:ec2:" + s.itemRegion(k) + ":" + a.id + ":elastic-ip/" + s.allocationID(a, k)
		},
		mutates: "the association toggles: an associated address is disassociated, a free one associated (with a new association id)",
	}
}

// addressIP is the public address of address k: 52.0.0.0/8, unique for the
// first 1,048,576 addresses of 16 accounts.
func (s *Server) addressIP(a *account, k int) string {
	v := (a.idx%16)<<20 | k&0xfffff
	return fmt.Sprintf("52.%d.%d.%d", v>>16, (v>>8)&0xff, v&0xff)
}

func (s *Server) allocationID(a *account, k int) string {
	return s.resourceID("eipalloc-", 17, hexDigits, "elasticip/allocation", a, k)
}

// addressDomain: every fifth address is an EC2-Classic ("standard") one.
func addressDomain(k int) string {
	if k%5 == 4 {
		return "standard"
	}
	return "vpc"
}

// addressAssociated: two addresses in three are associated with the
// instance of the same index (same region); a mutation toggles that.
func addressAssociated(k, gen int) bool { return (k%3 != 2) != (gen%2 == 1) }

func (s *Server) describeAddresses(req *request) (result, *apiError) {
	a := req.acct
	r := s.regionIndex(req.region)
	ts := a.tech(techAddress)
	x := newXWSize(4096)
	x.open("addressesSet")
	s.regionItems(ts, r, 0, nil, func(k int) bool {
		s.writeAddress(x, a, k, ts.generation(k))
		return true
	})
	x.close("addressesSet")
	return xmlResult(x), nil
}

func (s *Server) writeAddress(x *xw, a *account, k, gen int) {
	vpc := addressDomain(k) == "vpc"
	x.open("item")
	x.elem("publicIp", s.addressIP(a, k))
	if vpc {
		x.elem("allocationId", s.allocationID(a, k))
	}
	x.elem("domain", addressDomain(k))
	if addressAssociated(k, gen) {
		x.elem("instanceId", s.instanceID(a.idx, k))
		if vpc {
			x.elem("associationId", s.resourceID("eipassoc-", 17, hexDigits, "elasticip/association/"+strconv.Itoa(gen), a, k))
			x.elem("networkInterfaceId", s.eniID(a, k))
			x.elem("networkInterfaceOwnerId", a.id)
			x.elem("privateIpAddress", instancePrivateIP(k))
		}
	}
	x.elem("publicIpv4Pool", "amazon")
	x.elem("networkBorderGroup", s.itemRegion(k))
	x.close("item")
}
