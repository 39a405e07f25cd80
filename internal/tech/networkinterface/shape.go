package networkinterface

import (
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/shape"
)

var (
	nullableString = shape.Nullable(shape.String)
	stored         = shape.Object(map[string]shape.Field{
		"network_interface_id": shape.Opt(shape.String),
		"availability_zone":    shape.Opt(shape.String),
		"description":          shape.Opt(shape.String),
		"mac_address":          shape.Opt(shape.String),
		"owner_id":             shape.Opt(shape.String),
		"private_ip_address":   shape.Opt(shape.String),
		"status":               shape.Opt(shape.String),
		"vpc_id":               shape.Opt(shape.String),
		"source_dest_check":    shape.Opt(shape.Bool),
		"allocation_id":        shape.Opt(shape.String),
		"association_id":       shape.Opt(shape.String),
		"private_dns_name":     shape.Opt(shape.String),
		"public_dns_name":      shape.Opt(shape.String),
		"public_ip_address":    shape.Opt(shape.String),
		"ip_owner_id":          shape.Opt(shape.String),
		"attachment": shape.Opt(shape.Object(map[string]shape.Field{
			"attach_time":           shape.Opt(nullableString),
			"delete_on_termination": shape.Opt(shape.Bool),
			"device_index":          shape.Opt(shape.Nullable(shape.Number)),
			"id":                    shape.Opt(nullableString),
			"instance_id":           shape.Opt(nullableString),
			"instance_owner_id":     shape.Opt(nullableString),
			"status":                shape.Opt(shape.String),
		})),
	})
)

// Shape checks the stored shape of technologies.md A.24.
func Shape(cfg monkey.Config) error { return shape.Check(stored, cfg) }
