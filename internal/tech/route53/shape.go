package route53

import (
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/shape"
)

var stored = shape.Object(map[string]shape.Field{
	"zonename":    shape.Opt(shape.String),
	"zoneid":      shape.Opt(shape.String),
	"zoneprivate": shape.Opt(shape.Nullable(shape.Scalar)),
	"name":        shape.Opt(shape.String),
	"type":        shape.Opt(shape.String),
	"records":     shape.Opt(shape.Nullable(shape.ListOf(shape.Scalar))),
	"ttl":         shape.Opt(shape.Nullable(shape.Scalar)),
})

// Shape checks the stored shape of technologies.md A.43 (what the auditor
// reads).
func Shape(cfg monkey.Config) error { return shape.Check(stored, cfg) }
