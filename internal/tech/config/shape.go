package config

import (
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/shape"
)

var stored = shape.Object(map[string]shape.Field{
	"config_rule":       shape.Opt(shape.String),
	"config_rule_arn":   shape.Opt(shape.String),
	"scope":             shape.Opt(shape.MapOf(shape.Any)),
	"source":            shape.Opt(shape.MapOf(shape.Any)),
	"imput_parameters":  shape.Opt(shape.Nullable(shape.String)),
	"config_rule_state": shape.Opt(shape.Nullable(shape.String)),
})

// Shape checks the stored shape of technologies.md A.47 (no auditor reads
// it; audit-file then finds no issue).
func Shape(cfg monkey.Config) error { return shape.Check(stored, cfg) }
