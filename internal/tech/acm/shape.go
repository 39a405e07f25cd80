package acm

import (
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/shape"
)

var stored = shape.Object(map[string]shape.Field{
	"CertificateArn": shape.Opt(shape.String),
	"DomainName":     shape.Opt(shape.String),
	"NotAfter":       shape.Opt(shape.Nullable(shape.String)),
})

// Shape checks the stored shape of technologies.md A.45 (what the auditor
// reads).
func Shape(cfg monkey.Config) error { return shape.Check(stored, cfg) }
