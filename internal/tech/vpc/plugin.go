package vpc

import (
	"strings"

	"github.com/secmonkey/monkey/internal/audit"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/tech"
	"github.com/secmonkey/monkey/internal/watch"
)

// Plugin is everything about vpc.
func Plugin() tech.Plugin {
	return tech.Plugin{
		Technology: Technology,
		Shape:      Shape,
		NewWatcher: func(tech.Deps) (watch.Watcher, error) { return NewWatcher(), nil },
		NewAuditor: func(tech.Deps) (audit.Auditor, error) { return NewAuditor(), nil },
		Facts:      Facts,
	}
}

// Facts are a VPC's known resources (technologies.md Part E): its id, its
// primary CIDR and every comma-separated CIDR of its "vpcnat" tag. The
// reference read the lower-case keys id, cidr_block and a tags map, which
// CloudAux-era configs lack; both spellings are read.
func Facts(_ string, cfg monkey.Config) []monkey.KnownResource {
	c := map[string]any(cfg)
	var nats []string
	if tags, ok := c["Tags"].([]any); ok {
		for _, t := range tags {
			if audit.GetStr(t, "Key") == "vpcnat" {
				nats = append(nats, audit.GetStr(t, "Value"))
			}
		}
	}
	nats = append(nats, audit.GetStr(c, "tags", "vpcnat"))
	cidrs := []any{c["CidrBlock"], c["cidr_block"]}
	for _, n := range nats {
		for _, p := range strings.Split(n, ",") {
			cidrs = append(cidrs, strings.TrimSpace(p))
		}
	}
	return append(audit.FactsOf(audit.KindVPC, c["Id"], c["id"]), audit.FactsOf(audit.KindCIDR, cidrs...)...)
}
