package kms

import (
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/shape"
)

var stored = shape.Object(map[string]shape.Field{
	"Arn":                shape.Opt(shape.String),
	"KeyId":              shape.Opt(shape.String),
	"Aliases":            shape.Opt(shape.ListOf(shape.String)),
	"Policies":           shape.Opt(shape.ListOf(shape.PolicyDocument)),
	"KeyRotationEnabled": shape.Opt(shape.Nullable(shape.Bool)),
})

// Shape checks the stored shape of technologies.md A.9.
func Shape(cfg monkey.Config) error { return shape.Check(stored, cfg) }
