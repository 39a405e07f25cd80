package iamssl

import (
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/shape"
)

var stored = shape.Object(map[string]shape.Field{
	"server_certificate_name": shape.Opt(shape.String),
	"issuer":                  shape.Opt(shape.Nullable(shape.String)),
	"size":                    shape.Opt(shape.Nullable(shape.Scalar)),
	"signature_algorithm":     shape.Opt(shape.Nullable(shape.String)),
	"expiration":              shape.Opt(shape.Nullable(shape.String)),
	"upload_date":             shape.Opt(shape.Nullable(shape.String)),
})

// Shape checks the stored shape of technologies.md A.38 (what the auditor
// reads).
func Shape(cfg monkey.Config) error { return shape.Check(stored, cfg) }
