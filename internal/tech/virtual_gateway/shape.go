package virtualgateway

import (
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/shape"
)

var stored = shape.Object(map[string]shape.Field{
	"name":  shape.Opt(shape.String),
	"state": shape.Opt(shape.String),
	"type":  shape.Opt(shape.String),
	"vpcAttachments": shape.Opt(shape.ListOf(shape.Object(map[string]shape.Field{
		"State": shape.Opt(shape.String),
		"VpcId": shape.Opt(shape.String),
	}))),
	"virtual_gateway_state": shape.Opt(shape.Any),
})

// Shape checks the stored shape of technologies.md A.36.
func Shape(cfg monkey.Config) error { return shape.Check(stored, cfg) }
