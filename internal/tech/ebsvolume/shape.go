package ebsvolume

import (
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/shape"
)

var (
	nullableString = shape.Nullable(shape.String)
	stored         = shape.Object(map[string]shape.Field{
		"name":              shape.Opt(shape.String),
		"volume_id":         shape.Opt(nullableString),
		"volume_type":       shape.Opt(nullableString),
		"snapshot_id":       shape.Opt(nullableString),
		"availability_zone": shape.Opt(nullableString),
		"state":             shape.Opt(nullableString),
		"size":              shape.Opt(shape.Nullable(shape.Number)),
		"create_time":       shape.Opt(shape.String),
		"encrypted":         shape.Opt(shape.Bool),
		"attachments": shape.Opt(shape.ListOf(shape.Object(map[string]shape.Field{
			"attach_time":           shape.Opt(shape.String),
			"instance_id":           shape.Opt(nullableString),
			"volume_id":             shape.Opt(nullableString),
			"state":                 shape.Opt(nullableString),
			"delete_on_termination": shape.Opt(shape.Bool),
			"device":                shape.Opt(nullableString),
		}))),
	})
)

// Shape checks the stored shape of technologies.md A.22.
func Shape(cfg monkey.Config) error { return shape.Check(stored, cfg) }
