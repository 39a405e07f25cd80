package ses

import (
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/shape"
)

var stored = shape.Object(map[string]shape.Field{
	"name":     shape.Opt(shape.String),
	"verified": shape.Opt(shape.Scalar),
})

// Shape checks the stored shape of technologies.md A.49.
func Shape(cfg monkey.Config) error { return shape.Check(stored, cfg) }
