package route53domains

import (
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/shape"
)

var stored = shape.Object(map[string]shape.Field{
	"domain_name":        shape.Opt(shape.String),
	"admin_contact":      shape.Opt(shape.Nullable(shape.MapOf(shape.Any))),
	"registrant_contact": shape.Opt(shape.Nullable(shape.MapOf(shape.Any))),
})

// Shape checks the stored shape of technologies.md A.44 (no auditor reads
// it; audit-file then finds no issue).
func Shape(cfg monkey.Config) error { return shape.Check(stored, cfg) }
