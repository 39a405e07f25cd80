package s3

import (
	"github.com/secmonkey/monkey/internal/audit"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/tech"
	"github.com/secmonkey/monkey/internal/watch"
)

// Plugin is everything about s3.
func Plugin() tech.Plugin {
	return tech.Plugin{
		Technology: Technology,
		Shape:      Shape,
		NewWatcher: func(tech.Deps) (watch.Watcher, error) { return NewWatcher(), nil },
		NewAuditor: func(tech.Deps) (audit.Auditor, error) { return NewAuditor(), nil },
		Facts: func(name string, _ monkey.Config) []monkey.KnownResource {
			return audit.FactsOf(audit.KindS3Bucket, name)
		},
	}
}
