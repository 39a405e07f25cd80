package efs

import (
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/shape"
)

var stored = shape.Object(map[string]shape.Field{
	"FileSystemId": shape.Opt(shape.String),
	"Arn":          shape.Opt(shape.String),
	"Policy":       shape.Opt(shape.Nullable(shape.PolicyDocument)),
	"Tags":         shape.Opt(shape.MapOf(shape.Scalar)),
})

// Shape checks the stored shape of docs/technologies.md.
func Shape(cfg monkey.Config) error { return shape.Check(stored, cfg) }
