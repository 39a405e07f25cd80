package rdssubnetgroup

import (
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/shape"
)

var stored = shape.Object(map[string]shape.Field{
	"name":                        shape.Opt(shape.String),
	"db_subnet_group_description": shape.Opt(shape.String),
	"subnet_group_status":         shape.Opt(shape.String),
	"vpc_id":                      shape.Opt(shape.Nullable(shape.String)),
	"subnets": shape.Opt(shape.ListOf(shape.Object(map[string]shape.Field{
		"subnet_identifier": shape.Opt(shape.String),
		"subnet_status":     shape.Opt(shape.String),
		"name":              shape.Opt(shape.String),
	}))),
	"arn": shape.Opt(shape.String),
})

// Shape checks the stored shape of technologies.md A.18.
func Shape(cfg monkey.Config) error { return shape.Check(stored, cfg) }
