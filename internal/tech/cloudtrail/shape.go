package cloudtrail

import (
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/shape"
)

var stored = shape.Object(map[string]shape.Field{
	"trail":                 shape.Opt(shape.String),
	"trail_status":          shape.Opt(shape.Scalar),
	"is_multi_region_trail": shape.Opt(shape.Scalar),
	"home_region":           shape.Opt(shape.Nullable(shape.String)),
	"trail_arn":             shape.Opt(shape.Nullable(shape.String)),
})

// Shape checks the stored shape of technologies.md A.46 (what the auditor
// reads).
func Shape(cfg monkey.Config) error { return shape.Check(stored, cfg) }
