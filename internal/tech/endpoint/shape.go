package endpoint

import (
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/shape"
)

var stored = shape.Object(map[string]shape.Field{
	"id":                  shape.Opt(shape.String),
	"policy_document":     shape.Opt(shape.Either("a JSON string or {}", shape.String, shape.MapOf(shape.Any))),
	"service_name":        shape.Opt(shape.String),
	"service":             shape.Opt(shape.String),
	"route_table_ids":     shape.Opt(shape.ListOf(shape.String)),
	"creation_time_stamp": shape.Opt(shape.String),
	"state":               shape.Opt(shape.Nullable(shape.String)),
	"vpc_id":              shape.Opt(shape.Nullable(shape.String)),
})

// Shape checks the stored shape of technologies.md A.32.
func Shape(cfg monkey.Config) error { return shape.Check(stored, cfg) }
