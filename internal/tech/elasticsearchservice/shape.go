package elasticsearchservice

import (
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/shape"
)

var stored = shape.Object(map[string]shape.Field{
	"arn":    shape.Opt(shape.String),
	"name":   shape.Opt(shape.String),
	"policy": shape.Opt(shape.Nullable(shape.PolicyDocument)),
})

// Shape checks the stored shape of technologies.md A.41.
func Shape(cfg monkey.Config) error { return shape.Check(stored, cfg) }
