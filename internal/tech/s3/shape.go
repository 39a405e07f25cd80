package s3

import (
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/shape"
)

var stored = shape.Object(map[string]shape.Field{
	"Name":            shape.Opt(shape.String),
	"Region":          shape.Opt(shape.String),
	"Owner":           shape.Opt(shape.Object(map[string]shape.Field{"ID": shape.Opt(shape.String)})),
	"Grants":          shape.Opt(shape.MapOf(shape.ListOf(shape.String))),
	"GrantReferences": shape.Opt(shape.MapOf(shape.String)),
	"Policy":          shape.Opt(shape.Nullable(shape.PolicyDocument)),
})

// Shape checks the stored shape of technologies.md A.5.
func Shape(cfg monkey.Config) error { return shape.Check(stored, cfg) }
