package codeartifactrepository

import (
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/shape"
)

var stored = shape.Object(map[string]shape.Field{
	"Name":   shape.Opt(shape.String),
	"Arn":    shape.Opt(shape.String),
	"Policy": shape.Opt(shape.Nullable(shape.PolicyDocument)),
})

// Shape checks the stored shape of docs/technologies.md.
func Shape(cfg monkey.Config) error { return shape.Check(stored, cfg) }
