package glacier

import (
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/shape"
)

var stored = shape.Object(map[string]shape.Field{
	"VaultARN":  shape.Opt(shape.String),
	"VaultName": shape.Opt(shape.String),
	"Policy":    shape.Opt(shape.Nullable(shape.PolicyDocument)),
	"Tags":      shape.Opt(shape.Nullable(shape.MapOf(shape.Scalar))),
})

// Shape checks the stored shape of technologies.md A.40.
func Shape(cfg monkey.Config) error { return shape.Check(stored, cfg) }
