package securitygroup

import (
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/shape"
)

var (
	nullableString = shape.Nullable(shape.String)
	portShape      = shape.Nullable(shape.Number)
	stored         = shape.Object(map[string]shape.Field{
		"id":       shape.Opt(shape.String),
		"name":     shape.Opt(shape.String),
		"vpc_id":   shape.Opt(nullableString),
		"owner_id": shape.Opt(nullableString),
		"rules": shape.Opt(shape.ListOf(shape.Object(map[string]shape.Field{
			"rule_type":   shape.Req(shape.String),
			"ip_protocol": shape.Opt(shape.Either("a string or number", shape.String, shape.Number)),
			"from_port":   shape.Opt(portShape),
			"to_port":     shape.Opt(portShape),
			"cidr_ip":     shape.Opt(nullableString),
			"owner_id":    shape.Opt(nullableString),
			"group_id":    shape.Opt(nullableString),
			"name":        shape.Opt(nullableString),
		}))),
		"assigned_to": shape.Opt(shape.Either("a list of instances, a summary string or null",
			shape.ListOf(shape.MapOf(shape.Scalar)), shape.String, shape.Nullable(shape.String))),
	})
)

// Shape checks the stored shape of technologies.md A.6.
func Shape(cfg monkey.Config) error { return shape.Check(stored, cfg) }
