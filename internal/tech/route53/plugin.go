package route53

import (
	"github.com/secmonkey/monkey/internal/audit"
	"github.com/secmonkey/monkey/internal/tech"
	"github.com/secmonkey/monkey/internal/watch"
)

// Plugin is everything about route53.
func Plugin() tech.Plugin {
	return tech.Plugin{
		Technology: Technology,
		Shape:      Shape,
		NewWatcher: func(tech.Deps) (watch.Watcher, error) { return NewWatcher(), nil },
		NewAuditor: func(tech.Deps) (audit.Auditor, error) { return NewAuditor(), nil },
	}
}
