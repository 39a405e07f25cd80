package subnet

import (
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/shape"
)

var (
	nullableString = shape.Nullable(shape.String)
	stored         = shape.Object(map[string]shape.Field{
		"name":                shape.Opt(shape.String),
		"arn":                 shape.Opt(shape.String),
		"id":                  shape.Opt(shape.String),
		"cidr_block":          shape.Opt(nullableString),
		"availability_zone":   shape.Opt(nullableString),
		"state":               shape.Opt(nullableString),
		"vpc_id":              shape.Opt(nullableString),
		"defaultForAz":        shape.Opt(shape.Bool),
		"mapPublicIpOnLaunch": shape.Opt(shape.Bool),
		"tags": shape.Opt(shape.Nullable(shape.ListOf(shape.Object(map[string]shape.Field{
			"Key":   shape.Opt(shape.String),
			"Value": shape.Opt(shape.String),
		})))),
	})
)

// Shape checks the stored shape of technologies.md A.27.
func Shape(cfg monkey.Config) error { return shape.Check(stored, cfg) }
