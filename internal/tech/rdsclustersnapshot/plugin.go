package rdsclustersnapshot

import (
	"github.com/secmonkey/monkey/internal/tech"
	"github.com/secmonkey/monkey/internal/watch"
)

// Plugin is everything about rdsclustersnapshot.
func Plugin() tech.Plugin {
	return tech.Plugin{
		Technology: Technology,
		Shape:      Shape,
		NewWatcher: func(tech.Deps) (watch.Watcher, error) { return NewWatcher(), nil },
		NoAuditor:  "the reference has no auditor for RDS cluster snapshots (auditors.md §5.27) and collects no sharing attributes: changes are recorded only",
	}
}
