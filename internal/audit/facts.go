package audit

import (
	"strings"

	"github.com/secmonkey/monkey/internal/monkey"
)

// Facts returns the known resources an item of tech named name contributes
// to the audit context (technologies.md Part E, auditors.md §2.3). Account
// is left empty (the store fills it). Empty values are never returned.
func Facts(tech, name string, cfg monkey.Config) []monkey.KnownResource {
	var out []monkey.KnownResource
	add := func(kind string, v any) {
		if s, ok := v.(string); ok && s != "" {
			out = append(out, monkey.KnownResource{Kind: kind, Value: s})
		}
	}
	c := map[string]any(cfg)
	switch tech {
	case "s3":
		add(KindS3Bucket, name)
	case "iamuser":
		add(KindUserID, c["UserId"])
	case "iamrole":
		add(KindUserID, c["RoleId"])
	case "vpc":
		add(KindVPC, c["Id"])
		add(KindVPC, c["id"])
		add(KindCIDR, c["CidrBlock"])
		add(KindCIDR, c["cidr_block"])
		var nats []string
		if tags, ok := c["Tags"].([]any); ok {
			for _, t := range tags {
				if GetStr(t, "Key") == "vpcnat" {
					nats = append(nats, GetStr(t, "Value"))
				}
			}
		}
		nats = append(nats, GetStr(c, "tags", "vpcnat"))
		for _, n := range nats {
			for _, p := range strings.Split(n, ",") {
				add(KindCIDR, strings.TrimSpace(p))
			}
		}
	case "endpoint":
		add(KindVPCE, c["id"])
	case "elasticip":
		add(KindCIDR, c["public_ip"])
		add(KindCIDR, c["private_ip_address"])
	case "natgateway":
		if addrs, ok := c["nat_gateway_addresses"].([]any); ok {
			for _, a := range addrs {
				add(KindCIDR, Get(a, "public_ip"))
				add(KindCIDR, Get(a, "private_ip"))
			}
		}
	}
	return dedupFacts(out)
}

func dedupFacts(in []monkey.KnownResource) []monkey.KnownResource {
	seen := map[monkey.KnownResource]bool{}
	out := in[:0]
	for _, k := range in {
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}
