package iamrole

import (
	"github.com/secmonkey/monkey/internal/audit"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/tech"
	"github.com/secmonkey/monkey/internal/watch"
)

// Plugin is everything about iamrole.
func Plugin() tech.Plugin {
	return tech.Plugin{
		Technology: Technology,
		Shape:      Shape,
		NewWatcher: func(tech.Deps) (watch.Watcher, error) { return NewWatcher(), nil },
		NewAuditor: func(d tech.Deps) (audit.Auditor, error) { return NewAuditor(d.Catalogue, d.Settings), nil },
		Facts: func(_ string, cfg monkey.Config) []monkey.KnownResource {
			return audit.FactsOf(audit.KindUserID, cfg["RoleId"])
		},
		Settings: []*tech.Setting{tech.SensitiveServices},
	}
}
