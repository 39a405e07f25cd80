package lambda

import (
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/shape"
)

var stored = shape.Object(map[string]shape.Field{
	"FunctionName": shape.Opt(shape.String),
	"Arn":          shape.Opt(shape.String),
	"Policy": shape.Opt(shape.Object(map[string]shape.Field{
		"DEFAULT":  shape.Opt(shape.Nullable(shape.PolicyDocument)),
		"Aliases":  shape.Opt(shape.MapOf(shape.PolicyDocument)),
		"Versions": shape.Opt(shape.MapOf(shape.PolicyDocument)),
	})),
	"Tags": shape.Opt(shape.MapOf(shape.Scalar)),
})

// Shape checks the stored shape of technologies.md A.10.
func Shape(cfg monkey.Config) error { return shape.Check(stored, cfg) }
