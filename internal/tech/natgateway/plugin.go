package natgateway

import (
	"github.com/secmonkey/monkey/internal/audit"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/tech"
	"github.com/secmonkey/monkey/internal/watch"
)

// Plugin is everything about natgateway.
func Plugin() tech.Plugin {
	return tech.Plugin{
		Technology: Technology,
		Shape:      Shape,
		NewWatcher: func(tech.Deps) (watch.Watcher, error) { return NewWatcher(), nil },
		NoAuditor:  "the reference has no auditor for NAT gateways (auditors.md §5.27): their addresses are known CIDRs of the account",
		Facts:      Facts,
	}
}

// Facts are the known CIDRs of a NAT gateway (technologies.md Part E): the
// public and private address of each of its addresses.
func Facts(_ string, cfg monkey.Config) []monkey.KnownResource {
	var values []any
	addrs, _ := cfg["nat_gateway_addresses"].([]any)
	for _, a := range addrs {
		m, ok := a.(map[string]any)
		if !ok {
			continue
		}
		values = append(values, m["public_ip"], m["private_ip"])
	}
	return audit.FactsOf(audit.KindCIDR, values...)
}
