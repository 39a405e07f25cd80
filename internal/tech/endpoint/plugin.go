package endpoint

import (
	"github.com/secmonkey/monkey/internal/audit"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/tech"
	"github.com/secmonkey/monkey/internal/watch"
)

// Plugin is everything about endpoint.
func Plugin() tech.Plugin {
	return tech.Plugin{
		Technology: Technology,
		Shape:      Shape,
		NewWatcher: func(tech.Deps) (watch.Watcher, error) { return NewWatcher(), nil },
		NoAuditor:  "the reference has no auditor for VPC endpoints (auditors.md §5.27): their ids are the account's known VPC endpoints",
		Facts:      Facts,
	}
}

// Facts are the known VPC endpoints (technologies.md Part E): the
// endpoint's id, which classifies as the owning account's in conditions on
// aws:SourceVpce.
func Facts(_ string, cfg monkey.Config) []monkey.KnownResource {
	return audit.FactsOf(audit.KindVPCE, cfg["id"])
}
