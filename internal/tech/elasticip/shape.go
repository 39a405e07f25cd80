package elasticip

import (
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/shape"
)

var (
	nullableString = shape.Nullable(shape.String)
	stored         = shape.Object(map[string]shape.Field{
		"assigned_to":                shape.Opt(nullableString),
		"public_ip":                  shape.Opt(nullableString),
		"private_ip_address":         shape.Opt(nullableString),
		"instance_id":                shape.Opt(nullableString),
		"domain":                     shape.Opt(nullableString),
		"allocation_id":              shape.Opt(nullableString),
		"association_id":             shape.Opt(nullableString),
		"network_interface_id":       shape.Opt(nullableString),
		"network_interface_owner_id": shape.Opt(nullableString),
	})
)

// Shape checks the stored shape of technologies.md A.23.
func Shape(cfg monkey.Config) error { return shape.Check(stored, cfg) }
