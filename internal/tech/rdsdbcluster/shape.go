package rdsdbcluster

import (
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/shape"
)

var stored = shape.Object(map[string]shape.Field{
	"name": shape.Opt(shape.String),
	"port": shape.Opt(shape.Nullable(shape.Number)),
	"vpc_security_groups": shape.Opt(shape.ListOf(shape.Object(map[string]shape.Field{
		"VpcSecurityGroupId": shape.Opt(shape.String),
	}))),
})

// Shape checks the stored shape of technologies.md A.14.
func Shape(cfg monkey.Config) error { return shape.Check(stored, cfg) }
