package awssim

import (
	"fmt"
	"strconv"
)

// Network ACLs: the technology networkacl and DescribeNetworkAcls (5..100 a
// page, AWS's limit). ACL k belongs to VPC vpcMember(k); the ACLs k < 2R
// are their VPC's default ACL (allow everything), the others are
// associated with subnet k and, when k%3 == 1, allow SSH from anywhere.

const techNetworkACL = "networkacl"

func networkACLResource() resource {
	return resource{
		tech: techNetworkACL,
		arn: func(s *Server, a *account, k int) string {
			return "arn:aws:ec2:" + s.itemRegion(k) + ":" + a.id + ":network-acl/" + s.networkACLID(a, k)
		},
		mutates: "one more inbound rule 200+g denying tcp from 10.g.0.0/16 (g: the mutation generation)",
	}
}

func (s *Server) networkACLID(a *account, k int) string {
	return s.resourceID("acl-", 17, hexDigits, "networkacl/id", a, k)
}

func (s *Server) describeNetworkAcls(req *request) (result, *apiError) {
	return s.ec2RegionList(req, techNetworkACL, "acl", "networkAclSet", 100, 1500, s.writeNetworkACL)
}

type aclEntry struct {
	rule           int
	proto, action  string
	egress         bool
	cidr           string
	from, to       int
	icmpType, code int
}

func (s *Server) writeNetworkACL(x *xw, a *account, k int, _ string, gen int) {
	id := s.networkACLID(a, k)
	isDefault := k < 2*len(s.opts.Regions)
	entries := []aclEntry{
		{rule: 100, proto: "-1", action: "allow", egress: true, cidr: "0.0.0.0/0"},
		{rule: 32767, proto: "-1", action: "deny", egress: true, cidr: "0.0.0.0/0"},
		{rule: 100, proto: "-1", action: "allow", cidr: "0.0.0.0/0"},
		{rule: 32767, proto: "-1", action: "deny", cidr: "0.0.0.0/0"},
	}
	if !isDefault {
		entries[2] = aclEntry{rule: 100, proto: "6", action: "allow", cidr: vpcCIDR(s.vpcMember(k)), from: 0, to: 65535}
		if !bulkBenign(k) && k%3 == 1 {
			entries = append(entries, aclEntry{rule: 110, proto: "6", action: "allow", cidr: "0.0.0.0/0", from: 22, to: 22})
		}
		entries = append(entries, aclEntry{rule: 120, proto: "1", action: "allow", cidr: "10.0.0.0/8", icmpType: -1, code: -1})
	}
	for g := 1; g <= gen; g++ {
		entries = append(entries, aclEntry{rule: 200 + g, proto: "6", action: "deny", cidr: fmt.Sprintf("10.%d.0.0/16", g%256), from: 0, to: 65535})
	}
	x.open("item")
	x.elem("networkAclId", id)
	x.elem("vpcId", s.vpcItemID(a, s.vpcMember(k)))
	x.elem("ownerId", a.id)
	x.elemBool("default", isDefault)
	x.open("entrySet")
	for _, e := range entries {
		x.open("item")
		x.elemInt("ruleNumber", e.rule)
		x.elem("protocol", e.proto)
		x.elem("ruleAction", e.action)
		x.elemBool("egress", e.egress)
		x.elem("cidrBlock", e.cidr)
		switch e.proto {
		case "6":
			x.raw("<portRange><from>" + strconv.Itoa(e.from) + "</from><to>" + strconv.Itoa(e.to) + "</to></portRange>")
		case "1":
			x.raw("<icmpTypeCode><code>" + strconv.Itoa(e.code) + "</code><type>" + strconv.Itoa(e.icmpType) + "</type></icmpTypeCode>")
		}
		x.close("item")
	}
	x.close("entrySet")
	x.open("associationSet")
	if !isDefault {
		x.open("item")
		x.elem("networkAclAssociationId", s.resourceID("aclassoc-", 17, hexDigits, "networkacl/assoc", a, k))
		x.elem("networkAclId", id)
		x.elem("subnetId", s.subnetItemID(a, k))
		x.close("item")
	}
	x.close("associationSet")
	var tags []tag
	if k%2 == 1 {
		tags = append(tags, tag{"Name", "sim-acl-" + strconv.Itoa(k)})
	}
	writeTagList(x, "tagSet", "item", "key", "value", tags)
	x.close("item")
}
