package rdsclustersnapshot

import (
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/shape"
)

var (
	str    = shape.Opt(shape.Nullable(shape.String))
	num    = shape.Opt(shape.Nullable(shape.Number))
	stored = shape.Object(map[string]shape.Field{
		"db_cluster_snapshot_identifier": shape.Opt(shape.String),
		"db_cluster_identifier":          str,
		"snapshot_create_time":           str,
		"availability_zones":             shape.Opt(shape.ListOf(shape.String)),
		"engine":                         str,
		"engine_version":                 str,
		"license_model":                  str,
		"snapshot_type":                  str,
		"status":                         str,
		"master_username":                str,
		"vpc_id":                         str,
		"kms_key_id":                     str,
		"allocated_storage":              num,
		"port":                           num,
		"percent_progress":               num,
		"cluster_create_time":            str,
		"storage_encrypted":              shape.Opt(shape.Nullable(shape.Bool)),
	})
)

// Shape checks the stored shape of technologies.md A.17.
func Shape(cfg monkey.Config) error { return shape.Check(stored, cfg) }
