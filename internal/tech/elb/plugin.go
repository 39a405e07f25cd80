package elb

import (
	"github.com/secmonkey/monkey/internal/audit"
	"github.com/secmonkey/monkey/internal/tech"
	"github.com/secmonkey/monkey/internal/tech/securitygroup"
	"github.com/secmonkey/monkey/internal/watch"
)

// Plugin is everything about elb. SECURITYGROUP_INSTANCE_DETAIL decides
// what its items store of their instances (technologies.md A.11).
func Plugin() tech.Plugin {
	return tech.Plugin{
		Technology: Technology,
		Shape:      Shape,
		NewWatcher: func(d tech.Deps) (watch.Watcher, error) {
			detail, _ := d.Settings.Get(securitygroup.InstanceDetail.Name)
			return NewWatcher(detail)
		},
		NewAuditor: func(tech.Deps) (audit.Auditor, error) { return NewAuditor(), nil },
		Settings:   []*tech.Setting{securitygroup.InstanceDetail},
	}
}
