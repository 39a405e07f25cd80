package ebssnapshot

import (
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/shape"
)

var stored = shape.Object(map[string]shape.Field{
	"snapshot_id": shape.Opt(shape.Nullable(shape.String)),
	"ownerId":     shape.Opt(shape.Nullable(shape.String)),
	"create_volume_permissions": shape.Opt(shape.ListOf(shape.Object(map[string]shape.Field{
		"UserId": shape.Opt(shape.String),
		"Group":  shape.Opt(shape.String),
	}))),
})

// Shape checks the stored shape of technologies.md A.21.
func Shape(cfg monkey.Config) error { return shape.Check(stored, cfg) }
