package natgateway

import (
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/shape"
)

var (
	nullableString = shape.Nullable(shape.String)
	stored         = shape.Object(map[string]shape.Field{
		"id":              shape.Opt(shape.String),
		"subnet_id":       shape.Opt(nullableString),
		"vpc_id":          shape.Opt(nullableString),
		"state":           shape.Opt(nullableString),
		"failure_code":    shape.Opt(nullableString),
		"failure_message": shape.Opt(nullableString),
		"create_time":     shape.Opt(shape.String),
		"delete_time":     shape.Opt(shape.String),
		"nat_gateway_addresses": shape.Opt(shape.ListOf(shape.Object(map[string]shape.Field{
			"public_ip":            shape.Opt(nullableString),
			"allocation_id":        shape.Opt(nullableString),
			"private_ip":           shape.Opt(nullableString),
			"network_interface_id": shape.Opt(nullableString),
		}))),
	})
)

// Shape checks the stored shape of technologies.md A.34.
func Shape(cfg monkey.Config) error { return shape.Check(stored, cfg) }
