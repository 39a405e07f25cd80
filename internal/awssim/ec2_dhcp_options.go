package awssim

import (
	"fmt"
	"strconv"
)

// DHCP option sets: the technology dhcp and DescribeDhcpOptions (5..1000 a
// page). Set k: the region's domain name and, by k, Amazon's DNS or two
// custom name servers (k%3 == 1), NTP servers (k%4 == 2), NetBIOS servers
// and node type (k%5 == 3). VPC i uses set vpcMember(i).

const techDHCP = "dhcp"

func dhcpResource() resource {
	return resource{
		tech: techDHCP,
		arn: func(s *Server, a *account, k int) string {
			return "arn:aws:ec2:" + s.itemRegion(k) + ":" + a.id + ":dhcp-options/" + s.dhcpID(a, k)
		},
		mutates: "one more domain name server 10.0.1.g (g: the mutation generation)",
	}
}

func (s *Server) dhcpID(a *account, k int) string {
	return s.resourceID("dopt-", 17, hexDigits, "dhcp/id", a, k)
}

func (s *Server) describeDhcpOptions(req *request) (result, *apiError) {
	return s.ec2RegionList(req, techDHCP, "dopt", "dhcpOptionsSet", 1000, 700, s.writeDHCPOptions)
}

func (s *Server) writeDHCPOptions(x *xw, a *account, k int, region string, gen int) {
	domain := region + ".compute.internal"
	if region == "us-east-1" {
		domain = "ec2.internal"
	}
	servers := []string{"AmazonProvidedDNS"}
	if !bulkBenign(k) && k%3 == 1 {
		servers = []string{"10.0.0.2", "10.0.0.3"}
	}
	for g := 1; g <= gen; g++ {
		servers = append(servers, fmt.Sprintf("10.0.1.%d", g%256))
	}
	option := func(key string, values ...string) {
		x.open("item")
		x.elem("key", key)
		x.open("valueSet")
		for _, v := range values {
			x.open("item")
			x.elem("value", v)
			x.close("item")
		}
		x.close("valueSet")
		x.close("item")
	}
	x.open("item")
	x.elem("dhcpOptionsId", s.dhcpID(a, k))
	x.elem("ownerId", a.id)
	x.open("dhcpConfigurationSet")
	option("domain-name", domain)
	option("domain-name-servers", servers...)
	if !bulkBenign(k) && k%4 == 2 {
		option("ntp-servers", "169.254.169.123")
	}
	if !bulkBenign(k) && k%5 == 3 {
		option("netbios-name-servers", "10.0.0.4", "10.0.0.5")
		option("netbios-node-type", "2")
	}
	x.close("dhcpConfigurationSet")
	writeTagList(x, "tagSet", "item", "key", "value", []tag{{"Name", "sim-dopt-" + strconv.Itoa(k)}})
	x.close("item")
}
