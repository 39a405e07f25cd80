package sns

import (
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/shape"
)

var stored = shape.Object(map[string]shape.Field{
	"arn":    shape.Opt(shape.String),
	"name":   shape.Opt(shape.String),
	"policy": shape.Opt(shape.Nullable(shape.PolicyDocument)),
	"subscriptions": shape.Opt(shape.ListOf(shape.Object(map[string]shape.Field{
		"Owner":    shape.Opt(shape.Nullable(shape.String)),
		"Protocol": shape.Opt(shape.Nullable(shape.String)),
		"Endpoint": shape.Opt(shape.Nullable(shape.String)),
	}))),
})

// Shape checks the stored shape of technologies.md A.8.
func Shape(cfg monkey.Config) error { return shape.Check(stored, cfg) }
