package rdsdbinstance

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
)

// normalize builds the stored config (technologies.md A.13): snake_case
// keys, each from the DescribeDBInstances field named in the table; nested
// structures in API casing; dates PY-STR.
func normalize(d *types.DBInstance) monkey.Config {
	str := awsclient.StringOrNull
	replicas := make([]any, len(d.ReadReplicaDBInstanceIdentifiers))
	for i, r := range d.ReadReplicaDBInstanceIdentifiers {
		replicas[i] = r
	}
	return monkey.Config{
		"db_instance_identifier":                     aws.ToString(d.DBInstanceIdentifier),
		"db_instance_class":                          str(d.DBInstanceClass),
		"engine":                                     str(d.Engine),
		"engine_version":                             str(d.EngineVersion),
		"db_instance_status":                         str(d.DBInstanceStatus),
		"master_username":                            str(d.MasterUsername),
		"db_name":                                    str(d.DBName),
		"endpoint":                                   awsclient.Passthrough(d.Endpoint),
		"allocated_storage":                          int(aws.ToInt32(d.AllocatedStorage)),
		"instance_create_time":                       awsclient.PyStr(d.InstanceCreateTime),
		"latest_restorable_time":                     awsclient.PyStr(d.LatestRestorableTime),
		"preferred_backup_window":                    str(d.PreferredBackupWindow),
		"preferred_maintenance_window":               str(d.PreferredMaintenanceWindow),
		"backup_retention_period":                    int(aws.ToInt32(d.BackupRetentionPeriod)),
		"db_security_groups":                         awsclient.Passthrough(d.DBSecurityGroups),
		"vpc_security_groups":                        awsclient.Passthrough(d.VpcSecurityGroups),
		"db_parameter_groups":                        awsclient.Passthrough(d.DBParameterGroups),
		"option_group_memberships":                   awsclient.Passthrough(d.OptionGroupMemberships),
		"availability_zone":                          str(d.AvailabilityZone),
		"secondary_availability_zone":                str(d.SecondaryAvailabilityZone),
		"db_subnet_group":                            awsclient.Passthrough(d.DBSubnetGroup),
		"multi_az":                                   aws.ToBool(d.MultiAZ),
		"auto_minor_version_upgrade":                 aws.ToBool(d.AutoMinorVersionUpgrade),
		"publicly_accessible":                        aws.ToBool(d.PubliclyAccessible),
		"storage_encrypted":                          aws.ToBool(d.StorageEncrypted),
		"copy_tags_to_snapshot":                      aws.ToBool(d.CopyTagsToSnapshot),
		"read_replica_source_db_instance_identifier": str(d.ReadReplicaSourceDBInstanceIdentifier),
		"read_replica_db_instance_identifiers":       replicas,
		"license_model":                              str(d.LicenseModel),
		"character_set_name":                         str(d.CharacterSetName),
		"storage_type":                               str(d.StorageType),
		"tde_credential_arn":                         str(d.TdeCredentialArn),
		"db_cluster_identifier":                      str(d.DBClusterIdentifier),
		"kms_key_id":                                 str(d.KmsKeyId),
		"dbi_resource_id":                            str(d.DbiResourceId),
		"ca_certificate_identifier":                  str(d.CACertificateIdentifier),
		"enhanced_monitoring_resource_arn":           str(d.EnhancedMonitoringResourceArn),
		"monitoring_role_arn":                        str(d.MonitoringRoleArn),
		"iops":                                       intOrNull(d.Iops),
		"db_instance_port":                           intOrNull(d.DbInstancePort),
		"monitoring_interval":                        intOrNull(d.MonitoringInterval),
		"arn":                                        aws.ToString(d.DBInstanceArn),
	}
}

// intOrNull renders an optional integer: the number, or null.
func intOrNull(v *int32) any {
	if v == nil {
		return nil
	}
	return int(*v)
}
