package virtualgateway

import (
	"github.com/secmonkey/monkey/internal/tech"
	"github.com/secmonkey/monkey/internal/watch"
)

// Plugin is everything about virtual_gateway.
func Plugin() tech.Plugin {
	return tech.Plugin{
		Technology: Technology,
		Shape:      Shape,
		NewWatcher: func(tech.Deps) (watch.Watcher, error) { return NewWatcher(), nil },
		NoAuditor:  "the reference has no auditor for virtual private gateways (auditors.md §5.27): their changes are recorded",
	}
}
