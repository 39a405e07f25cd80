package rdssnapshot

import (
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/shape"
)

var stored = shape.Object(map[string]shape.Field{
	"DBSnapshotIdentifier": shape.Opt(shape.String),
	"Attributes":           shape.Opt(shape.MapOf(shape.ListOf(shape.Scalar))),
})

// Shape checks the stored shape of technologies.md A.16.
func Shape(cfg monkey.Config) error { return shape.Check(stored, cfg) }
