package awssim

import (
	"fmt"
	"strconv"
	"time"
)

// Elastic network interfaces: the technology networkinterface and
// DescribeNetworkInterfaces. The reference scanned ENIs in the default
// region only (technologies.md A.24), so they all live in the first
// enabled region: every one of them is visible to the watcher.

const techENI = "networkinterface"

func networkInterfaceResource() resource {
	return resource{
		tech: techENI,
		arn: func(s *Server, a *account, k int) string {
			return "arn:aws:ec2:" + s.opts.Regions[0] + ":" + a.id + ":network-interface/" + s.eniID(a, k)
		},
		mutates: `the description gains " (mutation g)" (g: the mutation generation)`,
	}
}

func (s *Server) eniID(a *account, k int) string {
	return s.resourceID("eni-", 17, hexDigits, "networkinterface/id", a, k)
}

// eniKind: the primary interface of instance k when that instance lives in
// the first region (k % R == 0; three in four); otherwise, by k % 3, a spare
// detached interface, a load balancer's interface (requester managed,
// attached by amazon-elb, public address) or a NAT interface without
// source/destination check.
func (s *Server) eniKind(k int) string {
	if k%len(s.opts.Regions) == 0 && k%4 != 3 {
		return "instance"
	}
	return [...]string{"spare", "elb", "nat"}[k%3]
}

func (s *Server) describeNetworkInterfaces(req *request) (result, *apiError) {
	a := req.acct
	max, start, aerr := ec2Page(req, "eni")
	if aerr != nil {
		return result{}, aerr
	}
	x := newXWSize(max * 1200)
	x.open("networkInterfaceSet")
	var more bool
	next := start
	if req.region == s.opts.Regions[0] {
		ts := a.tech(techENI)
		count := 0
		for ; next < ts.n; next++ {
			if !ts.exists(next) {
				continue
			}
			if count == max {
				more = true
				break
			}
			s.writeENI(x, a, next, ts.generation(next))
			count++
		}
	}
	x.close("networkInterfaceSet")
	if more {
		x.elem("nextToken", pageToken("eni", next))
	}
	return xmlResult(x), nil
}

func (s *Server) writeENI(x *xw, a *account, k, gen int) {
	region := s.opts.Regions[0]
	kind := s.eniKind(k)
	ip := fmt.Sprintf("10.1.%d.%d", (k/250)%250, k%250+4)
	if kind == "instance" {
		ip = instancePrivateIP(k)
	}
	desc := map[string]string{
		"instance": "Primary network interface",
		"spare":    "spare interface " + strconv.Itoa(k),
		"elb":      "ELB app/sim-lb-" + strconv.Itoa(k) + "/" + s.resourceID("", 16, hexDigits, "networkinterface/elb", a, k),
		"nat":      "Interface for NAT Gateway nat-" + s.resourceID("", 17, hexDigits, "networkinterface/nat", a, k),
	}[kind]
	if gen > 0 {
		desc += fmt.Sprintf(" (mutation %d)", gen)
	}
	mac := s.h(salt("networkinterface/mac"), uint64(a.idx), uint64(k))
	created := s.created(techENI, k)
	x.open("item")
	x.elem("networkInterfaceId", s.eniID(a, k))
	x.elem("subnetId", s.subnetID(a.idx, 0))
	x.elem("vpcId", s.vpcID(a.idx, 0))
	x.elem("availabilityZone", zone(region, k))
	x.elem("description", desc)
	x.elem("ownerId", a.id)
	x.elemBool("requesterManaged", kind == "elb" || kind == "nat")
	if kind == "spare" {
		x.elem("status", "available")
	} else {
		x.elem("status", "in-use")
	}
	x.elem("macAddress", fmt.Sprintf("0e:%02x:%02x:%02x:%02x:%02x", mac&0xff, (mac>>8)&0xff, (mac>>16)&0xff, (mac>>24)&0xff, (mac>>32)&0xff))
	x.elem("privateIpAddress", ip)
	x.elem("privateDnsName", privateDNS(region, ip))
	x.elemBool("sourceDestCheck", kind != "nat")
	x.elem("interfaceType", map[string]string{"instance": "interface", "spare": "interface", "elb": "interface", "nat": "nat_gateway"}[kind])
	if kind != "spare" {
		x.open("attachment")
		x.elem("attachmentId", s.resourceID("eni-attach-", 17, hexDigits, "networkinterface/attachment", a, k))
		switch kind {
		case "instance":
			x.elem("instanceId", s.instanceID(a.idx, k))
			x.elem("instanceOwnerId", a.id)
			x.elemInt("deviceIndex", 0)
		case "elb":
			x.elem("instanceOwnerId", "amazon-elb")
			x.elemInt("deviceIndex", 1)
		default:
			x.elem("instanceOwnerId", "amazon-aws")
			x.elemInt("deviceIndex", 1)
		}
		x.elem("status", "attached")
		x.elemTime("attachTime", created.Add(30*time.Second))
		x.elemBool("deleteOnTermination", kind == "instance")
		x.close("attachment")
	}
	pub := ""
	owner := "amazon"
	switch kind {
	case "instance":
		pub = s.instancePublicIP(a, k)
	case "elb", "nat":
		h := s.h(salt("networkinterface/public-ip"), uint64(a.idx), uint64(k))
		pub = fmt.Sprintf("34.%d.%d.%d", 192+h%32, (h>>8)%256, 1+(h>>16)%254)
		owner = map[string]string{"elb": "amazon-elb", "nat": a.id}[kind]
	}
	if pub != "" {
		x.open("association")
		x.elem("publicIp", pub)
		x.elem("publicDnsName", publicDNS(region, pub))
		x.elem("ipOwnerId", owner)
		if kind == "nat" {
			x.elem("allocationId", s.resourceID("eipalloc-", 17, hexDigits, "networkinterface/allocation", a, k))
			x.elem("associationId", s.resourceID("eipassoc-", 17, hexDigits, "networkinterface/association", a, k))
		}
		x.close("association")
	}
	x.open("privateIpAddressesSet")
	x.open("item")
	x.elem("privateIpAddress", ip)
	x.elemBool("primary", true)
	x.close("item")
	x.close("privateIpAddressesSet")
	x.close("item")
}
