package configrecorder

import (
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/shape"
)

var stored = shape.Object(map[string]shape.Field{
	"name":            shape.Opt(shape.String),
	"role_arn":        shape.Opt(shape.Nullable(shape.String)),
	"recording_group": shape.Opt(shape.Nullable(shape.MapOf(shape.Any))),
})

// Shape checks the stored shape of technologies.md A.48 (no auditor reads
// it; audit-file then finds no issue).
func Shape(cfg monkey.Config) error { return shape.Check(stored, cfg) }
