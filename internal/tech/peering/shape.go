package peering

import (
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/shape"
)

var stored = shape.Object(map[string]shape.Field{
	"name":                      shape.Opt(shape.String),
	"status":                    shape.Opt(shape.MapOf(shape.Any)),
	"accepter_vpc_info":         shape.Opt(shape.MapOf(shape.Any)),
	"requester_vpc_info":        shape.Opt(shape.MapOf(shape.Any)),
	"expiration_time":           shape.Opt(shape.String),
	"vpc_peering_connection_id": shape.Opt(shape.String),
})

// Shape checks the stored shape of technologies.md A.31.
func Shape(cfg monkey.Config) error { return shape.Check(stored, cfg) }
