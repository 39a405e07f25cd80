package alb

import (
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/shape"
)

var (
	str    = shape.Opt(shape.Nullable(shape.String))
	stored = shape.Object(map[string]shape.Field{
		"LoadBalancerName": str,
		"Scheme":           str,
		"SecurityGroups":   shape.Opt(shape.ListOf(shape.String)),
		"Listeners": shape.Opt(shape.ListOf(shape.Object(map[string]shape.Field{
			"Protocol":  str,
			"Port":      shape.Opt(shape.Nullable(shape.Number)),
			"SslPolicy": str,
		}))),
		"Attributes": shape.Opt(shape.ListOf(shape.Object(map[string]shape.Field{
			"Key":   str,
			"Value": str,
		}))),
	})
)

// Shape checks the stored shape of technologies.md A.12.
func Shape(cfg monkey.Config) error { return shape.Check(stored, cfg) }
