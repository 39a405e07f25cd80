package samlprovider

import (
	"github.com/secmonkey/monkey/internal/tech"
	"github.com/secmonkey/monkey/internal/watch"
)

// Plugin is everything about samlprovider.
func Plugin() tech.Plugin {
	return tech.Plugin{
		Technology: Technology,
		Shape:      Shape,
		NewWatcher: func(tech.Deps) (watch.Watcher, error) { return NewWatcher(), nil },
		NoAuditor:  "the reference has no auditor for SAML providers (auditors.md §5.27): changes are recorded only",
	}
}
