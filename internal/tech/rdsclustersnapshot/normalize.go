package rdsclustersnapshot

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
)

// normalize builds the stored config (technologies.md A.17): snake_case
// keys, each from the same-named DescribeDBClusterSnapshots field, dates
// PY-STR.
func normalize(s *types.DBClusterSnapshot) monkey.Config {
	zones := make([]any, len(s.AvailabilityZones))
	for i, z := range s.AvailabilityZones {
		zones[i] = z
	}
	return monkey.Config{
		"db_cluster_snapshot_identifier": aws.ToString(s.DBClusterSnapshotIdentifier),
		"db_cluster_identifier":          aws.ToString(s.DBClusterIdentifier),
		"snapshot_create_time":           awsclient.PyStr(s.SnapshotCreateTime),
		"availability_zones":             zones,
		"engine":                         awsclient.StringOrNull(s.Engine),
		"engine_version":                 awsclient.StringOrNull(s.EngineVersion),
		"license_model":                  awsclient.StringOrNull(s.LicenseModel),
		"snapshot_type":                  awsclient.StringOrNull(s.SnapshotType),
		"status":                         awsclient.StringOrNull(s.Status),
		"master_username":                awsclient.StringOrNull(s.MasterUsername),
		"vpc_id":                         awsclient.StringOrNull(s.VpcId),
		"kms_key_id":                     awsclient.StringOrNull(s.KmsKeyId),
		"allocated_storage":              int(aws.ToInt32(s.AllocatedStorage)),
		"port":                           int(aws.ToInt32(s.Port)),
		"percent_progress":               int(aws.ToInt32(s.PercentProgress)),
		"cluster_create_time":            awsclient.PyStr(s.ClusterCreateTime),
		"storage_encrypted":              aws.ToBool(s.StorageEncrypted),
	}
}
