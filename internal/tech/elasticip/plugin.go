package elasticip

import (
	"github.com/secmonkey/monkey/internal/audit"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/tech"
	"github.com/secmonkey/monkey/internal/watch"
)

// Plugin is everything about elasticip.
func Plugin() tech.Plugin {
	return tech.Plugin{
		Technology: Technology,
		Shape:      Shape,
		NewWatcher: func(tech.Deps) (watch.Watcher, error) { return NewWatcher(), nil },
		NoAuditor:  "the reference has no auditor for Elastic IPs (auditors.md §5.27): their addresses are known CIDRs of the account",
		Facts:      Facts,
	}
}

// Facts are the known CIDRs of an Elastic IP (technologies.md Part E): its
// public and private addresses, which classify as the owning account's.
func Facts(_ string, cfg monkey.Config) []monkey.KnownResource {
	return audit.FactsOf(audit.KindCIDR, cfg["public_ip"], cfg["private_ip_address"])
}
