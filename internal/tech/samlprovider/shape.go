package samlprovider

import (
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/shape"
)

var stored = shape.Object(map[string]shape.Field{
	"Arn":        shape.Opt(shape.String),
	"Name":       shape.Opt(shape.String),
	"CreateDate": shape.Opt(shape.String),
	"ValidUntil": shape.Opt(shape.String),
	"X509":       shape.Opt(shape.String),
	"Company":    shape.Opt(shape.String),
	"GivenName":  shape.Opt(shape.String),
	"Email":      shape.Opt(shape.String),
})

// Shape checks the stored shape of technologies.md A.39 (no auditor reads
// it; audit-file then finds no issue).
func Shape(cfg monkey.Config) error { return shape.Check(stored, cfg) }
