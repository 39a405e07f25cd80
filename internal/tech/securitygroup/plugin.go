package securitygroup

import (
	"github.com/secmonkey/monkey/internal/audit"
	"github.com/secmonkey/monkey/internal/config"
	"github.com/secmonkey/monkey/internal/tech"
	"github.com/secmonkey/monkey/internal/watch"
)

// InstanceDetail is SECURITYGROUP_INSTANCE_DETAIL (spec/config.md §10): what
// a group's assigned_to holds — FULL (the instances; the collector's default),
// SUMMARY (a count) or NONE (nothing, and no DescribeInstances) — and, when
// set to FULL or SUMMARY, the score multiplier of auditors.md §2.12.
var InstanceDetail = &tech.Setting{
	Name:  "SECURITYGROUP_INSTANCE_DETAIL",
	Env:   []string{"MONKEY_SECURITYGROUP_INSTANCE_DETAIL", "SECURITYGROUP_INSTANCE_DETAIL"},
	Doc:   "what a security group's assigned_to holds: FULL, SUMMARY or NONE (unset: FULL, no score multiplier)",
	Parse: config.Choice(DetailFull, DetailSummary, DetailNone),
}

// Plugin is everything about securitygroup.
func Plugin() tech.Plugin {
	return tech.Plugin{
		Technology: Technology,
		Shape:      Shape,
		NewWatcher: func(d tech.Deps) (watch.Watcher, error) {
			detail, _ := d.Settings.Get(InstanceDetail.Name)
			return NewWatcher(detail)
		},
		NewAuditor: func(d tech.Deps) (audit.Auditor, error) { return NewAuditor(d.Settings), nil },
		Settings:   []*tech.Setting{InstanceDetail},
	}
}
