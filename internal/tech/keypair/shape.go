package keypair

import (
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/shape"
)

var stored = shape.Object(map[string]shape.Field{
	"fingerprint": shape.Opt(shape.String),
	"arn":         shape.Opt(shape.String),
	"name":        shape.Opt(shape.String),
})

// Shape checks the stored shape of technologies.md A.25.
func Shape(cfg monkey.Config) error { return shape.Check(stored, cfg) }
