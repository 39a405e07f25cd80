package iamgroup

import (
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/shape"
)

var stored = shape.Object(map[string]shape.Field{
	"group":         shape.Opt(shape.Object(map[string]shape.Field{"arn": shape.Opt(shape.String), "group_name": shape.Opt(shape.String)})),
	"grouppolicies": shape.Opt(shape.MapOf(shape.PolicyDocument)),
	"users":         shape.Opt(shape.MapOf(shape.String)),
	"managed_policies": shape.Opt(shape.ListOf(shape.Object(map[string]shape.Field{
		"name": shape.Opt(shape.String), "arn": shape.Opt(shape.String), "version": shape.Opt(shape.String),
	}))),
})

// Shape checks the stored shape of technologies.md A.3.
func Shape(cfg monkey.Config) error { return shape.Check(stored, cfg) }
