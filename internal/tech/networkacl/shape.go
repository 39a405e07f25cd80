package networkacl

import (
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/shape"
)

var stored = shape.Object(map[string]shape.Field{
	"id":           shape.Opt(shape.String),
	"vpc_id":       shape.Opt(shape.Nullable(shape.String)),
	"is_default":   shape.Opt(shape.Bool),
	"entries":      shape.Opt(shape.ListOf(shape.MapOf(shape.Any))),
	"associations": shape.Opt(shape.ListOf(shape.MapOf(shape.Any))),
	"tags":         shape.Opt(shape.ListOf(shape.MapOf(shape.Any))),
})

// Shape checks the stored shape of technologies.md A.29.
func Shape(cfg monkey.Config) error { return shape.Check(stored, cfg) }
