package flowlog

import (
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/shape"
)

var (
	nullableString = shape.Nullable(shape.String)
	stored         = shape.Object(map[string]shape.Field{
		"creation_time":               shape.Opt(shape.String),
		"deliver_logs_permission_arn": shape.Opt(nullableString),
		"flow_log_id":                 shape.Opt(shape.String),
		"flow_log_status":             shape.Opt(nullableString),
		"log_group_name":              shape.Opt(nullableString),
		"resource_id":                 shape.Opt(nullableString),
		"traffic_type":                shape.Opt(nullableString),
	})
)

// Shape checks the stored shape of technologies.md A.33 (flow_log_id and
// flow_log_status are read by the vpc auditor).
func Shape(cfg monkey.Config) error { return shape.Check(stored, cfg) }
