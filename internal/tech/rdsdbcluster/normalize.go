package rdsdbcluster

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
)

// normalize builds the stored config (technologies.md A.14): snake_case
// keys, with the two irregular ones hosted_zoneId and db_cluster_resourceId;
// nested structures in API casing; dates PY-STR.
func normalize(c *types.DBCluster) monkey.Config {
	str := awsclient.StringOrNull
	zones := make([]any, len(c.AvailabilityZones))
	for i, z := range c.AvailabilityZones {
		zones[i] = z
	}
	return monkey.Config{
		"name":                                aws.ToString(c.DBClusterIdentifier),
		"allocated_storage":                   int(aws.ToInt32(c.AllocatedStorage)),
		"availability_zones":                  zones,
		"backup_retention_period":             int(aws.ToInt32(c.BackupRetentionPeriod)),
		"character_set_name":                  str(c.CharacterSetName),
		"database_name":                       str(c.DatabaseName),
		"db_cluster_parameter_group":          aws.ToString(c.DBClusterParameterGroup),
		"db_subnet_group":                     aws.ToString(c.DBSubnetGroup),
		"status":                              aws.ToString(c.Status),
		"percent_progress":                    str(c.PercentProgress),
		"earliest_restorable_time":            awsclient.PyStr(c.EarliestRestorableTime),
		"latest_restorable_time":              awsclient.PyStr(c.LatestRestorableTime),
		"endpoint":                            aws.ToString(c.Endpoint),
		"engine":                              aws.ToString(c.Engine),
		"engine_version":                      aws.ToString(c.EngineVersion),
		"master_username":                     aws.ToString(c.MasterUsername),
		"port":                                int(aws.ToInt32(c.Port)),
		"db_cluster_option_group_memberships": awsclient.Passthrough(c.DBClusterOptionGroupMemberships),
		"preferred_backup_window":             aws.ToString(c.PreferredBackupWindow),
		"preferred_maintenance_window":        aws.ToString(c.PreferredMaintenanceWindow),
		"db_cluster_members":                  awsclient.Passthrough(c.DBClusterMembers),
		"vpc_security_groups":                 awsclient.Passthrough(c.VpcSecurityGroups),
		"hosted_zoneId":                       aws.ToString(c.HostedZoneId),
		"storage_encrypted":                   aws.ToBool(c.StorageEncrypted),
		"kms_key_id":                          str(c.KmsKeyId),
		"db_cluster_resourceId":               aws.ToString(c.DbClusterResourceId),
		"arn":                                 aws.ToString(c.DBClusterArn),
	}
}
