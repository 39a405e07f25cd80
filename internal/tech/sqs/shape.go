package sqs

import (
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/shape"
)

var stored = shape.Object(map[string]shape.Field{
	"Arn":  shape.Opt(shape.String),
	"Name": shape.Opt(shape.String),
	"Attributes": shape.Opt(shape.Object(map[string]shape.Field{
		"Policy": shape.Opt(shape.Nullable(shape.PolicyDocument)),
	})),
	"Policy": shape.Opt(shape.Nullable(shape.PolicyDocument)),
})

// Shape checks the stored shape of technologies.md A.7.
func Shape(cfg monkey.Config) error { return shape.Check(stored, cfg) }
