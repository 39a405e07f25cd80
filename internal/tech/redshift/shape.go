package redshift

import (
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/shape"
)

var stored = shape.Object(map[string]shape.Field{
	"ClusterIdentifier": shape.Opt(shape.String),
	"VpcId":             shape.Opt(shape.Scalar),
	"arn":               shape.Opt(shape.String),
})

// Shape checks the stored shape of technologies.md A.42 (what the auditor
// reads).
func Shape(cfg monkey.Config) error { return shape.Check(stored, cfg) }
