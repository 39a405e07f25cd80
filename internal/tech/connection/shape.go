package connection

import (
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/shape"
)

var (
	nullableString = shape.Nullable(shape.String)
	stored         = shape.Object(map[string]shape.Field{
		"name":             shape.Opt(shape.String),
		"connection_name":  shape.Opt(shape.String),
		"owner_account":    shape.Opt(nullableString),
		"connection_id":    shape.Opt(nullableString),
		"connection_state": shape.Opt(nullableString),
		"region":           shape.Opt(nullableString),
		"location":         shape.Opt(nullableString),
		"bandwidth":        shape.Opt(nullableString),
		"partner_name":     shape.Opt(nullableString),
		"vlan":             shape.Opt(shape.Number),
	})
)

// Shape checks the stored shape of technologies.md A.37.
func Shape(cfg monkey.Config) error { return shape.Check(stored, cfg) }
