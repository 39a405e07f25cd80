package rdsdbinstance

import (
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/shape"
)

var stored = shape.Object(map[string]shape.Field{
	"db_instance_identifier": shape.Opt(shape.String),
	"publicly_accessible":    shape.Opt(shape.Nullable(shape.Bool)),
	"endpoint": shape.Opt(shape.Nullable(shape.Object(map[string]shape.Field{
		"Port": shape.Opt(shape.Nullable(shape.Number)),
	}))),
	"vpc_security_groups": shape.Opt(shape.ListOf(shape.Object(map[string]shape.Field{
		"VpcSecurityGroupId": shape.Opt(shape.String),
	}))),
})

// Shape checks the stored shape of technologies.md A.13.
func Shape(cfg monkey.Config) error { return shape.Check(stored, cfg) }
