package policy

import (
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/shape"
)

var stored = shape.Object(map[string]shape.Field{
	"name":            shape.Opt(shape.String),
	"arn":             shape.Opt(shape.String),
	"policy":          shape.Req(shape.PolicyDocument),
	"attached_users":  shape.Opt(shape.ListOf(shape.String)),
	"attached_groups": shape.Opt(shape.ListOf(shape.String)),
	"attached_roles":  shape.Opt(shape.ListOf(shape.String)),
})

// Shape checks the stored shape of technologies.md A.4.
func Shape(cfg monkey.Config) error { return shape.Check(stored, cfg) }
