package routetable

import (
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/shape"
)

var (
	nullableString = shape.Nullable(shape.String)
	stored         = shape.Object(map[string]shape.Field{
		"name":   shape.Opt(nullableString),
		"arn":    shape.Opt(shape.String),
		"id":     shape.Opt(shape.String),
		"vpc_id": shape.Opt(nullableString),
		"tags":   shape.Opt(shape.MapOf(shape.String)),
		"routes": shape.Opt(shape.ListOf(shape.Object(map[string]shape.Field{
			"destination_cidr_block":    shape.Opt(nullableString),
			"gateway_id":                shape.Opt(nullableString),
			"instance_id":               shape.Opt(nullableString),
			"interface_id":              shape.Opt(nullableString),
			"nat_gateway_id":            shape.Opt(nullableString),
			"state":                     shape.Opt(nullableString),
			"vpc_peering_connection_id": shape.Opt(nullableString),
		}))),
		"associations": shape.Opt(shape.ListOf(shape.Object(map[string]shape.Field{
			"id":        shape.Opt(nullableString),
			"main":      shape.Opt(shape.Bool),
			"subnet_id": shape.Opt(nullableString),
		}))),
	})
)

// Shape checks the stored shape of technologies.md A.28.
func Shape(cfg monkey.Config) error { return shape.Check(stored, cfg) }
