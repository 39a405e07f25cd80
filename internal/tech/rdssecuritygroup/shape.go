package rdssecuritygroup

import (
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/shape"
)

var stored = shape.Object(map[string]shape.Field{
	"name":   shape.Opt(shape.String),
	"vpc_id": shape.Opt(shape.Nullable(shape.String)),
	"ip_ranges": shape.Opt(shape.ListOf(shape.Object(map[string]shape.Field{
		"cidr_ip": shape.Opt(shape.Nullable(shape.String)),
		"status":  shape.Opt(shape.Nullable(shape.String)),
	}))),
	"ec2_groups": shape.Opt(shape.ListOf(shape.MapOf(shape.Scalar))),
})

// Shape checks the stored shape of technologies.md A.15.
func Shape(cfg monkey.Config) error { return shape.Check(stored, cfg) }
